import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { openLab } from '../../lab/lab'
import { migrationsDir, packageRoot } from '../../lab/paths'
import { LabError } from '../../shared/errors'
import type { Accelerator, KernelImageChoice } from '../../shared/kernel-run'
import { kernelStartInput } from '../../shared/schemas'
import { issuesText, zodIssues } from '../../shared/zod-issues'
import { lastFlag, parseArgs } from '../args'
import { UsageError, type CliIO } from '../io'

export const KERNEL_RUN_USAGE =
  'usage: kernel-run --db PATH --experiment ID --label TEXT [--kernel debian|debian:RELEASE|BZIMAGE] ' +
  '[--runs N] [--timeout SECONDS] [--accel kvm|tcg]'

/** Progress lines at most this often per run. */
const REPORT_EVERY_MS = 5000

function imageChoice(kernel: string): KernelImageChoice {
  if (kernel === 'debian') return { kind: 'debian' }
  if (kernel.startsWith('debian:')) return { kind: 'debian', release: kernel.slice(7) }
  return { kind: 'file', path: resolve(kernel) }
}

function parseOptions(args: string[]) {
  const parsed = parseArgs(args, [
    'db',
    'experiment',
    'label',
    'kernel',
    'runs',
    'timeout',
    'accel'
  ])
  if (parsed.positional.length) throw new UsageError(`unexpected argument ${parsed.positional[0]}`)
  const db = lastFlag(parsed, 'db')
  const experiment = lastFlag(parsed, 'experiment')
  const label = lastFlag(parsed, 'label')
  if (!db || !experiment || label === undefined)
    throw new UsageError(`--db, --experiment and --label are required\n${KERNEL_RUN_USAGE}`)
  const accel = lastFlag(parsed, 'accel')
  if (accel !== undefined && accel !== 'kvm' && accel !== 'tcg')
    throw new UsageError(`--accel ${accel}: expected kvm or tcg`)
  const number = (flag: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined
    const n = Number(text)
    if (!Number.isFinite(n) || text.trim() === '')
      throw new UsageError(`--${flag} ${text}: expected a number`)
    return n
  }
  const input = kernelStartInput.safeParse({
    experimentId: number('experiment', experiment),
    image: imageChoice(lastFlag(parsed, 'kernel') ?? 'debian'),
    label,
    runs: number('runs', lastFlag(parsed, 'runs')) ?? 1,
    timeoutS: number('timeout', lastFlag(parsed, 'timeout'))
  })
  if (!input.success) {
    const flags: Record<string, string> = {
      experimentId: 'experiment',
      image: 'kernel',
      timeoutS: 'timeout'
    }
    const issues = zodIssues(input.error).map((i) => {
      const top = i.path.split('.')[0]
      return { ...i, path: `--${flags[top] ?? top}` }
    })
    throw new UsageError(issuesText(issues))
  }
  return { db: resolve(db), accel: accel as Accelerator | undefined, input: input.data }
}

/**
 * `reclaim-lab kernel-run`: the experiment's scenario on a real kernel (Debian's, or a bzImage),
 * booted in qemu once per run and stored in the notebook as observed runs under the label.
 * Exit codes: 0 every run done, 1 a run failed or was cancelled, 2 bad arguments or a scenario the
 * guest cannot express.
 */
export async function kernelRunCommand(args: string[], io: CliIO): Promise<number> {
  const { db, accel, input } = parseOptions(args)
  if (!existsSync(db)) throw new UsageError(`--db: there is no notebook at ${db}`)
  const root = packageRoot()
  const lab = openLab({
    databasePath: db,
    migrationsDir: migrationsDir(root),
    workerEntry: join(root, 'src', 'sim', 'worker.ts'),
    workers: 1,
    accel
  })
  try {
    const pending = new Map<number, { lastMs: number }>()
    const outcome = new Map<number, string>()
    let finished: () => void = () => {}
    const allEnded = new Promise<void>((done) => (finished = done))
    const stopListening = lab.ctx.events.subscribe((event, payload) => {
      if (event !== 'run:progress') return
      const p = payload as { runId: number; status: string; fraction: number }
      const run = pending.get(p.runId)
      if (!run) return
      if (p.status === 'running') {
        const now = Date.now()
        if (now - run.lastMs < REPORT_EVERY_MS) return
        run.lastMs = now
        io.stderr(`run #${p.runId}: ${Math.round(p.fraction * 100)}%\n`)
        return
      }
      pending.delete(p.runId)
      outcome.set(p.runId, p.status)
      const detail = lab.ctx.runs.get(p.runId)
      io.stderr(
        `run #${p.runId}: ${p.status}${detail.error ? `: ${detail.error}` : ''}` +
          (detail.wallMs !== null ? ` (${(detail.wallMs / 1000).toFixed(1)} s)` : '') +
          '\n'
      )
      if (!pending.size) finished()
    })
    const cancel = (): void => {
      io.stderr('cancelling…\n')
      void lab.handlers['run:cancel']({ runIds: [...pending.keys()] })
    }
    process.once('SIGINT', cancel)
    try {
      const { scenario } = lab.ctx.experiments.get(input.experimentId)
      if (scenario === null)
        throw new UsageError(
          `experiment #${input.experimentId} has no scenario yet: choose one (a preset) first`
        )
      const started = lab.ctx.kernelRuns.start(input.experimentId, scenario, input)
      for (const id of started.runIds) pending.set(id, { lastMs: Date.now() })
      const host = lab.ctx.kernelRuns.host()
      io.stderr(
        `${started.runIds.length} kernel run${started.runIds.length === 1 ? '' : 's'} queued as "${input.label}" ` +
          `(batch #${started.batchId}) in experiment #${input.experimentId}` +
          (host.accel ? `; ${host.accel.note}` : '; trying KVM first, TCG if it does not work') +
          '\n'
      )
      await allEnded
    } finally {
      process.removeListener('SIGINT', cancel)
      stopListening()
    }
    const done = [...outcome.values()].filter((s) => s === 'done').length
    io.stdout(
      `${done} of ${outcome.size} kernel run${outcome.size === 1 ? '' : 's'} stored as "${input.label}" in ${db}\n`
    )
    return done === outcome.size ? 0 : 1
  } catch (err) {
    if (err instanceof LabError && (err.code === 'invalid' || err.code === 'not_found'))
      throw new UsageError(err.message)
    throw err
  } finally {
    await lab.close()
  }
}
