import type { Worker } from 'node:worker_threads'
import type { WorkerMessage, WorkerRequest } from '../../sim/worker'
import type { SeriesColumns } from '../store/series-codec'
import { resolvePreset } from '../../sim/scenario/presets'
import { applySets } from '../../sim/scenario/sets'

export interface PoolJob {
  runId: number
  scenario: unknown
  variant: string
  seed: number
}

export interface PoolListener {
  started(runId: number): void
  progress(runId: number, fraction: number, simS: number): void
  samples(runId: number, batch: SeriesColumns): void
  done(runId: number, result: unknown, wallMs: number): void
  failed(runId: number, message: string): void
  cancelled(runId: number): void
}

interface Slot {
  worker: Worker | null
  job: PoolJob | null
  startedMs: number
  /** Set while the worker runs its warm-up (warm()), whose messages go to no one. */
  warming: (() => void) | null
}

/** A short run that compiles the simulator's hot paths in a new worker (warm()). */
const WARM_UP = { preset: 'twin-eater-512m', duration_s: 2 }

/**
 * A fixed number of worker threads, one run each at a time. A worker that throws, exits or runs out
 * of memory fails its run and is replaced; cancelling a running job terminates its worker.
 */
export class SimPool {
  private readonly queue: PoolJob[] = []
  private readonly slots: Slot[] = []
  /** Slots resize() asked for; busy ones beyond it go when their run ends. */
  private target = 1
  private closed = false

  constructor(
    size: number,
    private readonly createWorker: () => Worker,
    private readonly listener: PoolListener
  ) {
    this.resize(size)
  }

  get size(): number {
    return this.slots.length
  }

  get running(): number {
    return this.slots.filter((s) => s.job).length
  }

  get queued(): number {
    return this.queue.length
  }

  submit(job: PoolJob): void {
    if (this.closed) throw new Error('the simulation pool is closed')
    this.queue.push(job)
    this.dispatch()
  }

  /** Cancels a queued or running job; false if the pool does not hold it. */
  cancel(runId: number): boolean {
    const index = this.queue.findIndex((j) => j.runId === runId)
    if (index !== -1) {
      this.queue.splice(index, 1)
      this.listener.cancelled(runId)
      return true
    }
    const slot = this.slots.find((s) => s.job?.runId === runId)
    if (!slot) return false
    this.retire(slot)
    this.listener.cancelled(runId)
    this.dispatch()
    return true
  }

  resize(size: number): void {
    this.target = Math.max(1, Math.floor(size))
    while (this.slots.length < this.target)
      this.slots.push({ worker: null, job: null, startedMs: 0, warming: null })
    this.dispatch()
  }

  /**
   * Starts every idle slot's worker and has it run a short simulation nobody sees, so the first
   * batch finds the code loaded and compiled (a fresh worker's first run takes several times as
   * long as the next). Runs submitted meanwhile wait for it. Resolves when every warm-up has
   * ended, however it ended.
   */
  warm(): Promise<void> {
    const scenario = applySets(resolvePreset(WARM_UP.preset), [`duration_s=${WARM_UP.duration_s}`])
    const ended = this.slots
      .filter((slot) => !slot.job && !slot.worker && !this.closed)
      .map(
        (slot) =>
          new Promise<void>((resolve) => {
            slot.worker = this.spawn(slot)
            slot.warming = resolve
            const request: WorkerRequest = { scenario, variant: 'baseline', seed: 1 }
            slot.worker.postMessage(request)
          })
      )
    return Promise.all(ended).then(() => undefined)
  }

  /** Stops every worker without reporting on their runs: they stay unfinished, as after a quit. */
  async close(): Promise<void> {
    this.closed = true
    this.queue.length = 0
    for (const slot of this.slots) this.warmed(slot)
    await Promise.all(this.slots.map((s) => s.worker?.terminate()))
    this.slots.length = 0
  }

  private dispatch(): void {
    // Shrinking keeps busy slots until their runs end, then lets them go.
    for (let i = this.slots.length - 1; i >= this.target; i--) {
      const slot = this.slots[i]
      if (slot.job || slot.warming) continue
      this.slots.splice(i, 1)
      this.retire(slot)
    }
    for (const slot of this.slots) {
      if (slot.job || slot.warming || this.queue.length === 0) continue
      const job = this.queue.shift()!
      slot.job = job
      slot.worker ??= this.spawn(slot)
      slot.startedMs = performance.now()
      this.listener.started(job.runId)
      const request: WorkerRequest = {
        scenario: job.scenario,
        variant: job.variant,
        seed: job.seed
      }
      slot.worker.postMessage(request)
    }
  }

  private spawn(slot: Slot): Worker {
    const worker = this.createWorker()
    worker.on('message', (m: WorkerMessage) => this.receive(slot, worker, m))
    worker.on('error', (err) => this.crash(slot, worker, err.message))
    worker.on('exit', (code) =>
      this.crash(slot, worker, `the simulation worker exited with code ${code}`)
    )
    return worker
  }

  // A worker runs one job at a time, so its messages belong to the slot's current job.
  private receive(slot: Slot, worker: Worker, m: WorkerMessage): void {
    if (this.closed || slot.worker !== worker) return
    if (slot.warming) {
      if (m.type === 'result' || m.type === 'error') {
        this.warmed(slot)
        this.dispatch()
      }
      return
    }
    const job = slot.job
    if (!job) return
    if (m.type === 'progress') this.listener.progress(job.runId, m.fraction, m.sim_ns / 1e9)
    else if (m.type === 'samples') this.listener.samples(job.runId, m.batch)
    else {
      slot.job = null
      if (m.type === 'result') {
        this.listener.done(job.runId, m.result, Math.round(performance.now() - slot.startedMs))
      } else this.listener.failed(job.runId, m.message)
      this.dispatch()
    }
  }

  private crash(slot: Slot, worker: Worker, message: string): void {
    if (this.closed || slot.worker !== worker) return
    const job = slot.job
    this.retire(slot)
    if (job) this.listener.failed(job.runId, message)
    this.dispatch()
  }

  /** Ends the slot's warm-up, if it has one. */
  private warmed(slot: Slot): void {
    const resolve = slot.warming
    if (!resolve) return
    slot.warming = null
    resolve()
  }

  private retire(slot: Slot): void {
    this.warmed(slot)
    const worker = slot.worker
    slot.worker = null
    slot.job = null
    void worker?.terminate()
  }
}
