/**
 * `npm run bench:batch [-- --workers N] [-- --entry FILE] [-- --seeds N] [-- --preset NAME] [-- --cold]`:
 * a batch of every named variant × seeds 1..N (default 10) of a preset (default phone-8g-appswitch)
 * through the worker pool, as the lab runs it; prints the batch's wall time and the sum of its runs'
 * times divided by the workers (what a perfectly busy pool would take), and the runs' mean time
 * apart for each worker's first run (fresh arrays, and with --cold code not yet loaded and
 * optimised) and the rest. The pool is warmed first (SimPool.warm()), as the app and serve mode do
 * when they open; --cold submits the batch to workers that have not started. A benchmark, not a
 * test.
 */
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { SimPool, type PoolListener } from '../src/lab/pool/sim-pool'
import { workerFactory } from '../src/lab/pool/worker-factory'
import { VARIANTS, resolvePreset } from '../src/sim'

const args = process.argv.slice(2)
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : dflt
}
const workers = Number(opt('workers', String(Math.min(2, availableParallelism()))))
const entry = opt('entry', join(__dirname, '..', 'src', 'sim', 'worker.ts'))
const seeds = Number(opt('seeds', '10'))
const preset = opt('preset', 'phone-8g-appswitch')
const cold = args.includes('--cold')
const scenario = resolvePreset(preset)
// The named designs (custom is the named ones' knobs, set by hand).
const variants = Object.keys(VARIANTS).filter((v) => v !== 'custom')
const jobs = variants.flatMap((variant) =>
  Array.from({ length: seeds }, (_, i) => ({ variant, seed: i + 1 }))
)

/** Wall ms per run id; the first `workers` ids are each worker's first run. */
const runWall = new Map<number, number>()
let left = jobs.length
let finish: () => void = () => {}
let abort: (err: Error) => void = () => {}
const done = new Promise<void>((resolve, reject) => {
  finish = resolve
  abort = reject
})
const listener: PoolListener = {
  started() {},
  progress() {},
  samples() {},
  done(id, _result, wallMs) {
    runWall.set(id, wallMs)
    if (--left === 0) finish()
  },
  failed(id, message) {
    abort(new Error(`run ${id}: ${message}`))
  },
  cancelled() {}
}
const pool = new SimPool(workers, workerFactory(entry), listener)
async function main(): Promise<void> {
  const w0 = performance.now()
  if (!cold) await pool.warm()
  const warmS = (performance.now() - w0) / 1000
  const t0 = performance.now()
  jobs.forEach((j, i) => pool.submit({ runId: i, scenario, ...j }))
  await done
  await pool.close()
  const wall = (performance.now() - t0) / 1000
  const runMs = [...runWall.values()].reduce((a, b) => a + b, 0)
  const ideal = runMs / 1000 / workers
  const meanS = (ms: number[]) => ms.reduce((a, b) => a + b, 0) / ms.length / 1000
  const first = [...runWall].filter(([id]) => id < workers).map(([, ms]) => ms)
  const rest = [...runWall].filter(([id]) => id >= workers).map(([, ms]) => ms)
  const warmed = cold ? 'cold workers' : `workers warmed first (${warmS.toFixed(1)} s)`
  process.stdout.write(
    `${preset}: ${jobs.length} runs (${variants.length} variants × ${seeds} seeds), ${workers} ${warmed}: wall ${wall.toFixed(1)} s, sum of runs ${(runMs / 1000).toFixed(1)} s, / ${workers} = ${ideal.toFixed(1)} s (pool busy ${Math.round((ideal / wall) * 100)}%); a worker's first run ${meanS(first).toFixed(2)} s, the others ${meanS(rest).toFixed(2)} s on average\n`
  )
}

void main()
