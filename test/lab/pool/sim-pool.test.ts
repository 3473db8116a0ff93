import { Worker } from 'node:worker_threads'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { SimPool, type PoolListener } from '../../../src/lab/pool/sim-pool'
import { workerFactory } from '../../../src/lab/pool/worker-factory'
import { appendBatch, type SeriesColumns } from '../../../src/lab/store/series-codec'
import { applySets, resolvePreset, runSimulationSync } from '../../../src/sim'

const ENTRY = join(__dirname, '..', '..', '..', 'src', 'sim', 'worker.ts')
// From source, as in `reclaim-lab serve`: the worker loads TypeScript through tsx.
const tsWorkers = workerFactory(ENTRY)

type Outcome =
  | { status: 'done'; result: unknown }
  | { status: 'failed'; message: string }
  | { status: 'cancelled' }

function recorder() {
  const outcomes = new Map<number, Outcome>()
  const progress = new Map<number, number>()
  const series = new Map<number, SeriesColumns>()
  const started: number[] = []
  const waiters = new Map<number, (o: Outcome) => void>()
  const settle = (id: number, o: Outcome) => {
    outcomes.set(id, o)
    waiters.get(id)?.(o)
  }
  const listener: PoolListener = {
    started: (id) => started.push(id),
    progress: (id, f) => progress.set(id, f),
    samples: (id, batch) => {
      const cols = series.get(id) ?? { t_s: [], series: {} }
      appendBatch(cols, batch)
      series.set(id, cols)
    },
    done: (id, result) => settle(id, { status: 'done', result }),
    failed: (id, message) => settle(id, { status: 'failed', message }),
    cancelled: (id) => settle(id, { status: 'cancelled' })
  }
  const outcome = (id: number) =>
    outcomes.has(id)
      ? Promise.resolve(outcomes.get(id)!)
      : new Promise<Outcome>((r) => waiters.set(id, r))
  return { listener, outcome, progress, series, started }
}

function scenario(duration_s: number): unknown {
  return applySets(resolvePreset('single-cpu'), [`duration_s=${duration_s}`])
}

/** Minutes of wall time: the phone's app switching goes on for the whole duration, unlike
 * single-cpu's eater, which is done within seconds of wall time whatever the duration. */
function longScenario(): unknown {
  return applySets(resolvePreset('phone-8g-appswitch'), ['duration_s=3000'])
}

describe('SimPool', () => {
  let pool: SimPool | undefined
  afterEach(async () => {
    await pool?.close()
    pool = undefined
  })

  it('gives the same result as runSimulation called directly for the same seed', async () => {
    const rec = recorder()
    pool = new SimPool(1, tsWorkers, rec.listener)
    pool.submit({ runId: 1, scenario: scenario(3), variant: 'baseline', seed: 7 })
    const outcome = await rec.outcome(1)
    const direct = runSimulationSync(scenario(3), {}, { seed: 7, variant: 'baseline' })
    expect(outcome.status).toBe('done')
    expect(outcome.status === 'done' && outcome.result).toEqual(direct)
    expect(rec.progress.get(1)).toBe(1)
    expect(rec.series.get(1)!.t_s.length).toBe(30)
  })

  it('fails a run that throws, with its message, and still completes the next one', async () => {
    const rec = recorder()
    pool = new SimPool(1, tsWorkers, rec.listener)
    pool.submit({ runId: 1, scenario: { duration_s: -5 }, variant: 'baseline', seed: 1 })
    pool.submit({ runId: 2, scenario: scenario(1), variant: 'baseline', seed: 1 })
    const failed = await rec.outcome(1)
    expect(failed.status).toBe('failed')
    expect(failed.status === 'failed' && failed.message).toMatch(/duration_s/)
    expect((await rec.outcome(2)).status).toBe('done')
  })

  it('replaces a worker that exits or runs out of memory, failing only its run', async () => {
    const rec = recorder()
    let made = 0
    const crashing = () => {
      made++
      if (made === 1) return new Worker('process.exit(3)', { eval: true })
      if (made === 2)
        return new Worker('const a = []; for (;;) a.push(new Array(1e6).fill(1))', {
          eval: true,
          resourceLimits: { maxOldGenerationSizeMb: 32 }
        })
      return tsWorkers()
    }
    pool = new SimPool(1, crashing, rec.listener)
    for (const runId of [1, 2, 3])
      pool.submit({ runId, scenario: scenario(1), variant: 'baseline', seed: 1 })
    expect(await rec.outcome(1)).toEqual({
      status: 'failed',
      message: 'the simulation worker exited with code 3'
    })
    const oom = await rec.outcome(2)
    expect(oom.status === 'failed' && oom.message).toMatch(/memory/i)
    expect((await rec.outcome(3)).status).toBe('done')
    expect(made).toBe(3)
  })

  it('cancels a running run, frees its worker and runs the next', async () => {
    const rec = recorder()
    pool = new SimPool(1, tsWorkers, rec.listener)
    pool.submit({ runId: 1, scenario: longScenario(), variant: 'baseline', seed: 1 })
    pool.submit({ runId: 2, scenario: longScenario(), variant: 'baseline', seed: 2 })
    pool.submit({ runId: 3, scenario: scenario(1), variant: 'baseline', seed: 3 })
    await expect.poll(() => rec.progress.get(1) ?? 0, { timeout: 20_000 }).toBeGreaterThan(0)
    expect(pool.cancel(2)).toBe(true) // queued
    expect(pool.cancel(1)).toBe(true) // running
    expect(await rec.outcome(1)).toEqual({ status: 'cancelled' })
    expect(await rec.outcome(2)).toEqual({ status: 'cancelled' })
    expect((await rec.outcome(3)).status).toBe('done')
    expect(rec.started).toEqual([1, 3])
    expect(pool.cancel(99)).toBe(false)
  })

  it('shrinking lets a busy worker finish its run, then retires it', async () => {
    const rec = recorder()
    let made = 0
    pool = new SimPool(2, () => (made++, tsWorkers()), rec.listener)
    for (const runId of [1, 2, 3])
      pool.submit({ runId, scenario: scenario(1), variant: 'baseline', seed: runId })
    pool.resize(1)
    expect([pool.size, pool.running, pool.queued]).toEqual([2, 2, 1])
    await Promise.all([1, 2, 3].map((id) => rec.outcome(id)))
    expect(pool.size).toBe(1)
    expect(made).toBe(2)
    expect(rec.started.sort()).toEqual([1, 2, 3])
  })

  describe('warm()', () => {
    /** tsx workers whose requests and replies are logged, in order, with the pool's reports. */
    function logged(log: string[]) {
      let made = 0
      const create = () => {
        const id = ++made
        const w = tsWorkers()
        const post = w.postMessage.bind(w)
        w.postMessage = (req: { scenario: { name: string; duration_s: number } }) => {
          log.push(`w${id} <- ${req.scenario.name} ${req.scenario.duration_s}s`)
          post(req)
        }
        w.on('message', (m: { type: string }) => {
          if (m.type === 'result' || m.type === 'error') log.push(`w${id} -> ${m.type}`)
        })
        return w
      }
      return { create, made: () => made }
    }

    it('runs a short simulation in every worker that nobody hears of, then the batch on the same workers', async () => {
      const rec = recorder()
      const log: string[] = []
      const workers = logged(log)
      pool = new SimPool(2, workers.create, rec.listener)
      const warming = pool.warm()
      expect(workers.made()).toBe(2)
      // Warm-ups are not runs: the status shows none running or queued.
      expect([pool.running, pool.queued]).toEqual([0, 0])
      await warming
      expect(log.sort()).toEqual([
        'w1 -> result',
        'w1 <- twin-eater-512m 2s',
        'w2 -> result',
        'w2 <- twin-eater-512m 2s'
      ])
      expect(rec.started).toEqual([])
      pool.submit({ runId: 1, scenario: scenario(3), variant: 'baseline', seed: 7 })
      pool.submit({ runId: 2, scenario: scenario(1), variant: 'v1', seed: 2 })
      const [one, two] = await Promise.all([rec.outcome(1), rec.outcome(2)])
      expect(one.status === 'done' && one.result).toEqual(
        runSimulationSync(scenario(3), {}, { seed: 7, variant: 'baseline' })
      )
      expect(two.status === 'done' && two.result).toEqual(
        runSimulationSync(scenario(1), {}, { seed: 2, variant: 'v1' })
      )
      expect(workers.made()).toBe(2)
    })

    it('holds a run submitted during the warm-up until the worker is done with it', async () => {
      const rec = recorder()
      const log: string[] = []
      const workers = logged(log)
      pool = new SimPool(1, workers.create, rec.listener)
      const warming = pool.warm()
      pool.submit({ runId: 1, scenario: scenario(1), variant: 'baseline', seed: 1 })
      expect([pool.running, pool.queued]).toEqual([0, 1])
      await warming
      expect((await rec.outcome(1)).status).toBe('done')
      expect(log).toEqual([
        'w1 <- twin-eater-512m 2s',
        'w1 -> result',
        'w1 <- single-cpu 1s',
        'w1 -> result'
      ])
      expect(rec.started).toEqual([1])
    })

    it('a worker that dies warming up fails nothing and is replaced for the next run; close() ends a warm-up', async () => {
      const rec = recorder()
      let made = 0
      const dying = () =>
        ++made === 1 ? new Worker('process.exit(3)', { eval: true }) : tsWorkers()
      const failed: number[] = []
      pool = new SimPool(1, dying, {
        ...rec.listener,
        failed: (id, message) => {
          failed.push(id)
          rec.listener.failed(id, message)
        }
      })
      await pool.warm()
      expect(rec.started).toEqual([])
      expect(failed).toEqual([])
      pool.submit({ runId: 1, scenario: scenario(1), variant: 'baseline', seed: 1 })
      expect((await rec.outcome(1)).status).toBe('done')
      expect(made).toBe(2)
      const other = new SimPool(1, tsWorkers, recorder().listener)
      const warming = other.warm()
      await other.close()
      await expect(warming).resolves.toBeUndefined()
    })
  })
})
