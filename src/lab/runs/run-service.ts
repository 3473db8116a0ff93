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
import {
  doneFraction,
  finishedSpeed,
  noteReport,
  secondsLeft,
  Throughput,
  type TrackedRun
} from './progress'

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
  series: SeriesColumns
  /** Kept (ended) until its batch, and the queue's busy spell, are over. */
  tracked: TrackedRun
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
  private readonly throughput = new Throughput()
  /**
   * Every run since the queue was last idle, ended ones included: the status strip's fraction is
   * this spell's work done, so it never goes back when a run ends.
   */
  private spell: Array<{ runId: number; experimentId: number; tracked: TrackedRun }> = []

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
    // The whole batch is tracked before its first run is handed out (which may start it at once).
    created.runIds.forEach((runId, i) => {
      const { name, duration_s } = runs[i].scenario as { name: string; duration_s: number }
      const tracked: TrackedRun = {
        batchId: created.batchId,
        preset: name,
        durationS: duration_s,
        simS: 0,
        ended: false,
        firstReport: null,
        sampleFrom: null,
        lastReport: null
      }
      this.live.set(runId, {
        experimentId,
        lastEmitMs: 0,
        fraction: 0,
        simS: 0,
        series: { t_s: [], series: {} },
        tracked
      })
      this.spell.push({ runId, experimentId, tracked })
    })
    created.runIds.forEach((runId, i) => {
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
    // A deleted run's work leaves the spell rather than counting as done.
    this.spell = this.spell.filter((s) => s.runId !== runId)
    if (this.spell.every((s) => s.tracked.ended)) this.spell = []
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
    const workers = this.pool.size
    const all = this.spell.map((s) => s.tracked)
    const batchIds = [...new Set(all.map((r) => r.batchId))].sort((a, b) => a - b)
    // The pool takes runs in order, so a batch is done once it and every earlier one are.
    const batches = batchIds
      .map((batchId) => {
        const runs = this.spell.filter((s) => s.tracked.batchId === batchId)
        const own = runs.map((s) => s.tracked)
        const upToHere = all.filter((r) => r.batchId <= batchId)
        const etaS = secondsLeft(upToHere, this.throughput, workers)
        return {
          batchId,
          experimentId: runs[0].experimentId,
          runs: own.length,
          ended: own.filter((r) => r.ended).length,
          fraction: doneFraction(own),
          etaS: etaS === null ? null : Math.round(etaS)
        }
      })
      .filter((b) => b.ended < b.runs)
    const etaS = secondsLeft(all, this.throughput, workers)
    return {
      workers,
      running: this.pool.running,
      queued: this.pool.queued,
      failed: this.failedThisSession,
      fraction: doneFraction(all),
      etaS: etaS === null ? null : Math.round(etaS),
      batches
    }
  }

  setWorkers(n: number): void {
    this.pool.resize(n)
  }

  /** Starts the local workers ahead of the first batch (see SimPool.warm()). */
  warmWorkers(): Promise<void> {
    return this.pool.warm?.() ?? Promise.resolve()
  }

  async close(): Promise<void> {
    await this.pool.close()
    clearTimeout(this.retry)
    this.saveEnds()
  }

  private started(id: number): void {
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
    noteReport(live.tracked, now, simS)
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
      this.recordSpeed(live.tracked, wallMs)
      this.emitRun(id, 'done')
    } catch (err) {
      const reason = storageMessage(err, this.options.databasePath)
      this.ended(id, 'failed', `The run finished but could not be saved: ${reason}`)
      return
    }
    this.finishTracking(live)
    this.live.delete(id)
    this.emitQueue()
  }

  /** The speed a finished run simulated at (finishedSpeed()), for the runs after it. */
  private recordSpeed(run: TrackedRun, wallMs: number): void {
    const { simS, ms } = finishedSpeed(run, this.clock(), wallMs)
    this.throughput.record(run.preset, simS, ms)
  }

  /** A run's work counts as done; once nothing is left the spell ends and the next starts at 0. */
  private finishTracking(live: Live): void {
    live.tracked.ended = true
    if (this.spell.every((s) => s.tracked.ended)) this.spell = []
  }

  private ended(id: number, status: 'failed' | 'cancelled', error: string | null): void {
    if (!this.live.has(id)) return
    this.saveEnd(id, { status, error })
    if (status === 'failed') this.failedThisSession++
    this.emitRun(id, status)
    this.finishTracking(this.live.get(id)!)
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
