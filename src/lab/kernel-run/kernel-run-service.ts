import { createHash } from 'node:crypto'
import { statSync } from 'node:fs'
import type { RunSummary } from '../../shared/dto'
import { LabError } from '../../shared/errors'
import type { Accelerator, KernelHost, KernelImageChoice } from '../../shared/kernel-run'
import type { EventBus } from '../events'
import { observedMetrics } from '../observed'
import type { RunRepository } from '../store/repositories/runs'
import { storageMessage } from '../store/storage-errors'
import { AccelPolicy } from './accel'
import { planGuest, type GuestPlan } from './guest-plan'
import { findHostTools, type HostTools } from './host-tools'
import { debianKernels, imageHash, resolveImage } from './kernel-image'
import { runKernel, type KernelRunOutcome } from './kernel-run'
import type { KernelImage } from '../../shared/kernel-run'

/** PROGRESS events per run at most this often, as for simulated runs. */
const PROGRESS_EVERY_MS = 250

export interface KernelRunRequest {
  image: KernelImageChoice
  label: string
  runs: number
  /** The time limit of each run, boot included; by default from the scenario's duration. */
  timeoutS?: number
}

export interface KernelRunServiceOptions {
  runs: RunRepository
  events: EventBus
  databasePath: string
  /** Where initramfs images and KVM's verdict are kept. */
  cacheDir: string
  /** Force an accelerator (tests, `--accel`); otherwise KVM when it works, else TCG. */
  accel?: Accelerator | null
  findTools?: () => HostTools | { missing: string }
  boot?: string
  modulesRoot?: string
  /** One boot; replaced in tests that need no qemu. */
  run?: typeof runKernel
}

interface Job {
  runId: number
  experimentId: number
  image: KernelImage
  plan: GuestPlan
  scenarioName: string
  timeoutS: number
  abort: AbortController
  fraction: number
  lastEmitMs: number
}

class Cancelled extends Error {
  constructor() {
    super('Cancelled.')
  }
}

/** The default time limit: boot under TCG, then the duration several times over for a slow host. */
export function defaultTimeoutS(durationMs: number): number {
  return Math.ceil(120 + (3 * durationMs) / 1000)
}

/**
 * Runs the experiment's scenario on real kernels, one boot at a time (a guest takes the CPUs it
 * is given). Each run is queued as an observed run of the experiment, follows its progress through
 * `run:progress` like a simulated run, and ends stored whole (result, series and console together)
 * or failed with the console kept.
 */
export class KernelRunService {
  private readonly queue: Job[] = []
  private current: Job | null = null
  private readonly accel: AccelPolicy
  private readonly hashes = new Map<string, { key: string; sha256: string }>()
  private idle: Promise<void> = Promise.resolve()

  constructor(private readonly options: KernelRunServiceOptions) {
    this.accel = new AccelPolicy(options.cacheDir, options.accel ?? null)
  }

  host(): KernelHost {
    const tools = (this.options.findTools ?? findHostTools)()
    return {
      missing: 'missing' in tools ? tools.missing : null,
      debianKernels: debianKernels(this.options.boot, this.options.modulesRoot),
      accel: this.accel.known()
    }
  }

  /** Checks everything that can be checked before a boot, then queues the runs. */
  start(
    experimentId: number,
    scenario: unknown,
    request: KernelRunRequest
  ): { batchId: number; runIds: number[] } {
    const tools = (this.options.findTools ?? findHostTools)()
    if ('missing' in tools) throw new LabError('invalid', tools.missing)
    const plan = planGuest(scenario)
    const image = resolveImage(request.image, this.options.boot, this.options.modulesRoot)
    const timeoutS = request.timeoutS ?? defaultTimeoutS(plan.durationMs)
    const name = (scenario as { name?: unknown }).name
    const scenarioName = typeof name === 'string' ? name : 'custom'
    const configHash = createHash('sha256')
      .update(JSON.stringify({ image: image.path, version: image.version, scenario }))
      .digest('hex')
    const created = this.options.runs.createKernelBatch(
      experimentId,
      { kernel: { image: image.path, release: image.release, label: request.label, timeoutS } },
      { label: request.label, scenario, configHash, count: request.runs }
    )
    for (const runId of created.runIds)
      this.queue.push({
        runId,
        experimentId,
        image,
        plan,
        scenarioName,
        timeoutS,
        abort: new AbortController(),
        fraction: 0,
        lastEmitMs: 0
      })
    if (!this.current) this.idle = this.drain(tools)
    return created
  }

  /** Cancels queued or running kernel runs among `runIds`; how many were. */
  cancel(runIds: number[]): number {
    let n = 0
    for (const id of runIds) {
      const queued = this.queue.findIndex((j) => j.runId === id)
      if (queued >= 0) {
        const [job] = this.queue.splice(queued, 1)
        this.end(job, { ok: false, cancelled: true, error: 'Cancelled.', console: '', wallMs: 0 })
        n++
      } else if (this.current?.runId === id) {
        this.current.abort.abort()
        n++
      }
    }
    return n
  }

  forget(runId: number): void {
    const queued = this.queue.findIndex((j) => j.runId === runId)
    if (queued >= 0) this.queue.splice(queued, 1)
    if (this.current?.runId === runId) {
      this.current.abort.abort()
      this.current.runId = -1
    }
  }

  withProgress(runs: RunSummary[]): RunSummary[] {
    const cur = this.current
    return cur ? runs.map((r) => (r.id === cur.runId ? { ...r, progress: cur.fraction } : r)) : runs
  }

  /** Cancels what is queued and running, and waits for the guest to be gone. */
  async close(): Promise<void> {
    this.cancel(this.queue.map((j) => j.runId))
    this.current?.abort.abort()
    await this.idle
  }

  private async drain(tools: HostTools): Promise<void> {
    while (this.queue.length) {
      const job = this.queue.shift()!
      this.current = job
      this.options.runs.markRunning(job.runId)
      this.emit(job, 'running')
      let outcome: KernelRunOutcome
      try {
        const imageSha256 = await this.hash(job.image.path)
        if (job.abort.signal.aborted) throw new Cancelled()
        outcome = await (this.options.run ?? runKernel)({
          tools,
          image: job.image,
          imageSha256,
          cacheDir: this.options.cacheDir,
          plan: job.plan,
          scenarioName: job.scenarioName,
          accel: this.accel,
          timeoutS: job.timeoutS,
          signal: job.abort.signal,
          onProgress: (fraction) => this.progress(job, fraction)
        })
      } catch (err) {
        const cancelled = err instanceof Cancelled
        const message = err instanceof Error ? err.message : String(err)
        outcome = { ok: false, cancelled, error: message, console: '', wallMs: 0 }
      }
      this.current = null
      if (job.runId > 0) this.end(job, outcome)
    }
  }

  private end(job: Job, outcome: KernelRunOutcome): void {
    const runs = this.options.runs
    try {
      if (outcome.ok) {
        const { result, series } = outcome.observed
        runs.endWithLog(
          job.runId,
          {
            finished: {
              wallMs: Math.round(outcome.wallMs),
              metrics: observedMetrics(result),
              result,
              series
            }
          },
          outcome.console
        )
        job.fraction = 1
        this.emit(job, 'done')
      } else {
        const status = outcome.cancelled ? 'cancelled' : 'failed'
        runs.endWithLog(
          job.runId,
          { status, error: outcome.cancelled ? null : outcome.error },
          outcome.console
        )
        this.emit(job, status)
      }
    } catch (err) {
      const reason = storageMessage(err, this.options.databasePath)
      try {
        runs.end(job.runId, 'failed', `The run finished but could not be saved: ${reason}`)
      } catch {
        // The notebook takes no writes; a restart marks the run interrupted.
      }
      this.emit(job, 'failed')
    }
    this.options.events.emit('experiment:changed', { id: job.experimentId, kind: 'updated' })
  }

  private progress(job: Job, fraction: number): void {
    job.fraction = fraction
    const now = Date.now()
    if (now - job.lastEmitMs < PROGRESS_EVERY_MS) return
    job.lastEmitMs = now
    this.emit(job, 'running')
  }

  private emit(job: Job, status: RunSummary['status']): void {
    this.options.events.emit('run:progress', {
      runId: job.runId,
      experimentId: job.experimentId,
      status,
      fraction: job.fraction,
      simS: (job.fraction * job.plan.durationMs) / 1000
    })
  }

  /** The image's sha256, computed once per file version. */
  private async hash(path: string): Promise<string> {
    const st = statSync(path)
    const key = `${st.size}:${st.mtimeMs}`
    const known = this.hashes.get(path)
    if (known?.key === key) return known.sha256
    const sha256 = await imageHash(path)
    this.hashes.set(path, { key, sha256 })
    return sha256
  }
}
