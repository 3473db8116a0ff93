import type { RunResult } from '../../shared/result'
import type { QueueState, RunSummary } from '../../shared/dto'
import type { EventBus } from '../events'
import type { Worker } from 'node:worker_threads'
import { SimPool, type PoolListener } from '../pool/sim-pool'
import { appendBatch, type SeriesColumns } from '../store/series-codec'
import type { RunRepository } from '../store/repositories/runs'
import { storageMessage } from '../store/storage-errors'
import { expandBatch, type BatchSpec } from './batch'
import type { ExecutorFactory, RunExecutor } from './executor'
import { keyMetrics } from './metrics'

/** run:progress events per run at most this often (the simulator reports every 1% of a run). */
const PROGRESS_EVERY_MS = 100
/** How often a run's end that the notebook could not take (full, read-only) is written again. */
const RETRY_END_EVERY_MS = 2000

interface Ended {
  status: 'failed' | 'cancelled'
  error: string | null
}

interface Live {
  experimentId: number
  lastEmitMs: number
  fraction: number
  simS: number
  startedAt: number | null
  series: SeriesColumns
}

export interface RunServiceOptions {
  runs: RunRepository
  /** The notebook file, named in the error of a run that could not be saved. */
  databasePath: string
  events: EventBus
  simulatorVersion: string
  workers: number
  createWorker: () => Worker
  clock?: () => number
  /** Runs somewhere else than a SimPool of `workers` threads (see queue/run-on.ts). */
  executor?: ExecutorFactory
}

/**
 * Turns batches into queued runs, feeds them to the worker pool, persists what comes back and
 * tells the UI. A run's result and series are written together when it finishes. A notebook that
 * refuses a write (a full disk) fails the run, not the process: an end it cannot take is kept here,
 * shown as it is, and written once the notebook takes writes again.
 */
export class RunService {
  private readonly live = new Map<number, Live>()
  private readonly unsaved = new Map<number, Ended>()
  private retry: NodeJS.Timeout | undefined
  private readonly pool: RunExecutor
  private failedThisSession = 0
  private readonly clock: () => number

  constructor(private readonly options: RunServiceOptions) {
    this.clock = options.clock ?? (() => Date.now())
    options.runs.markInterrupted()
    const listener: PoolListener = {
      started: (id) => this.started(id),
      progress: (id, fraction, simS) => this.progress(id, fraction, simS),
      samples: (id, batch) => {
        const live = this.live.get(id)
        if (live) appendBatch(live.series, batch)
      },
      done: (id, result, wallMs) => this.done(id, result as RunResult, wallMs),
      failed: (id, message) => this.ended(id, 'failed', message),
      cancelled: (id) => this.ended(id, 'cancelled', null)
    }
    this.pool =
      options.executor?.(listener) ?? new SimPool(options.workers, options.createWorker, listener)
  }

  start(
    experimentId: number,
    scenario: unknown,
    spec: BatchSpec
  ): { batchId: number; runIds: number[] } {
    const runs = expandBatch(scenario, spec, this.options.simulatorVersion)
    const created = this.options.runs.createBatch(experimentId, spec, runs)
    created.runIds.forEach((runId, i) => {
      this.live.set(runId, {
        experimentId,
        lastEmitMs: 0,
        fraction: 0,
        simS: 0,
        startedAt: null,
        series: { t_s: [], series: {} }
      })
      const { scenario, variant, seed } = runs[i]
      this.pool.submit({ runId, scenario, variant, seed })
    })
    this.emitQueue()
    return created
  }

  cancel(runIds: number[]): number {
    return runIds.filter((id) => this.pool.cancel(id)).length
  }

  /** Stops following a run that is being deleted: a result already on its way is dropped. */
  forget(runId: number): void {
    this.pool.cancel(runId)
    this.unsaved.delete(runId)
    if (this.live.delete(runId)) this.emitQueue()
  }

  /** Adds live progress, and ends not yet written, to stored summaries. */
  withProgress(runs: RunSummary[]): RunSummary[] {
    return runs.map((r) => {
      const ended = this.unsaved.get(r.id)
      if (ended) return { ...r, ...ended, progress: 0 }
      const live = this.live.get(r.id)
      return live ? { ...r, progress: live.fraction } : r
    })
  }

  /** The samples a queued or running run has sent so far; null once it is not running here. */
  liveSeries(id: number): SeriesColumns | null {
    const live = this.live.get(id)
    if (!live) return null
    // Copies: the columns grow while the answer is on its way.
    const { t_s, series } = live.series
    return {
      t_s: t_s.slice(),
      series: Object.fromEntries(Object.entries(series).map(([k, v]) => [k, v.slice()]))
    }
  }

  queueState(): QueueState {
    const unfinished = [...this.live.values()]
    const fraction = unfinished.length
      ? unfinished.reduce((s, l) => s + l.fraction, 0) / unfinished.length
      : 1
    return {
      workers: this.pool.size,
      running: this.pool.running,
      queued: this.pool.queued,
      failed: this.failedThisSession,
      fraction,
      etaS: this.eta(unfinished)
    }
  }

  setWorkers(n: number): void {
    this.pool.resize(n)
  }

  async close(): Promise<void> {
    await this.pool.close()
    clearTimeout(this.retry)
    this.saveEnds()
  }

  /** Remaining wall time: the running runs' own rates, spread over the pool's width. */
  private eta(unfinished: Live[]): number | null {
    const now = this.clock()
    const rates = unfinished
      .filter((l) => l.startedAt !== null && l.fraction > 0.02)
      .map((l) => (now - l.startedAt!) / 1000 / l.fraction)
    if (!rates.length) return null
    const perRun = rates.reduce((a, b) => a + b, 0) / rates.length
    const remaining = unfinished.reduce((s, l) => s + (1 - l.fraction), 0)
    return Math.round((remaining * perRun) / Math.max(1, this.pool.size))
  }

  private started(id: number): void {
    const live = this.live.get(id)
    if (live) live.startedAt = this.clock()
    // Not worth failing a run for: its end writes the outcome, and a restart marks it interrupted.
    this.write(() => this.options.runs.markRunning(id))
    this.emitRun(id, 'running')
    this.emitQueue()
  }

  private progress(id: number, fraction: number, simS: number): void {
    const live = this.live.get(id)
    if (!live) return
    live.fraction = fraction
    live.simS = simS
    const now = this.clock()
    if (now - live.lastEmitMs < PROGRESS_EVERY_MS) return
    live.lastEmitMs = now
    this.emitRun(id, 'running')
    this.emitQueue()
  }

  private done(id: number, result: RunResult, wallMs: number): void {
    const live = this.live.get(id)
    if (!live) return
    try {
      this.options.runs.finish(id, {
        wallMs,
        metrics: keyMetrics(result),
        result,
        series: live.series
      })
      live.fraction = 1
      this.emitRun(id, 'done')
    } catch (err) {
      const reason = storageMessage(err, this.options.databasePath)
      this.ended(id, 'failed', `The run finished but could not be saved: ${reason}`)
      return
    }
    this.live.delete(id)
    this.emitQueue()
  }

  private ended(id: number, status: 'failed' | 'cancelled', error: string | null): void {
    if (!this.live.has(id)) return
    this.saveEnd(id, { status, error })
    if (status === 'failed') this.failedThisSession++
    this.emitRun(id, status)
    this.live.delete(id)
    this.emitQueue()
  }

  /** Writes a run's end, or keeps it to write later if the notebook refuses it now. */
  private saveEnd(id: number, ended: Ended): void {
    if (this.write(() => this.options.runs.end(id, ended.status, ended.error))) return
    this.unsaved.set(id, ended)
    this.retry ??= setInterval(() => this.saveEnds(), RETRY_END_EVERY_MS).unref()
  }

  private saveEnds(): void {
    for (const [id, { status, error }] of this.unsaved) {
      if (!this.write(() => this.options.runs.end(id, status, error))) return
      this.unsaved.delete(id)
    }
    clearInterval(this.retry)
    this.retry = undefined
  }

  /** A write for a worker's message, where an exception would end the process. */
  private write(change: () => void): boolean {
    try {
      change()
      return true
    } catch {
      return false
    }
  }

  private emitRun(id: number, status: RunSummary['status']): void {
    const live = this.live.get(id)
    if (!live) return
    this.options.events.emit('run:progress', {
      runId: id,
      experimentId: live.experimentId,
      status,
      fraction: live.fraction,
      simS: live.simS
    })
  }

  private emitQueue(): void {
    this.options.events.emit('queue:changed', this.queueState())
  }
}
