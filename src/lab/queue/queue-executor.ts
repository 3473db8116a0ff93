import { Queue, QueueEvents } from 'bullmq'
import { Redis } from 'ioredis'
import { randomUUID } from 'node:crypto'
import { configHash } from '../runs/batch'
import type { RunExecutor } from '../runs/executor'
import type { PoolJob, PoolListener } from '../pool/sim-pool'
import {
  cancelChannel,
  connectionFor,
  DEFAULT_QUEUE,
  redactUrl,
  unpackSeries,
  type RunJobData,
  type RunJobProgress,
  type RunJobResult
} from './protocol'

/** A run that cannot be handed to Redis within this long fails instead of waiting. */
const ENQUEUE_TIMEOUT_MS = 15_000
/** Finished jobs' results travel in the events stream; keep fewer of them than BullMQ's 10,000. */
const EVENTS_KEPT = 1000

export interface QueueExecutorOptions {
  url: string
  queue?: string
  simulatorVersion: string
}

/**
 * Runs a notebook's runs as BullMQ jobs that `reclaim-lab worker` processes anywhere. Results come
 * back in the queue's events stream; each job reports once, since a job is forgotten on its first
 * completed, failed or cancelled, and job ids are unique to this executor.
 */
export class QueueExecutor implements RunExecutor {
  private readonly queue: Queue<RunJobData, RunJobResult>
  private readonly events: QueueEvents
  private readonly publisher: Redis
  private readonly ready: Promise<unknown>
  /** This executor's jobs by job id, and whether a worker has started each. */
  private readonly jobs = new Map<string, { runId: number; active: boolean }>()
  private readonly session = randomUUID().slice(0, 8)
  private readonly name: string
  private closed = false

  constructor(
    private readonly options: QueueExecutorOptions,
    private readonly listener: PoolListener
  ) {
    this.name = options.queue ?? DEFAULT_QUEUE
    const connection = connectionFor(options.url)
    this.queue = new Queue(this.name, {
      connection,
      streams: { events: { maxLen: EVENTS_KEPT } },
      defaultJobOptions: { removeOnComplete: true, removeOnFail: 1000 }
    })
    this.events = new QueueEvents(this.name, { connection })
    this.publisher = new Redis(options.url, { maxRetriesPerRequest: 1, lazyConnect: true })
    // Connection errors reach the runs as enqueue failures; unhandled, they would end the process.
    const ignore = () => {}
    this.queue.on('error', ignore)
    this.events.on('error', ignore)
    this.publisher.on('error', ignore)
    this.events.on('active', ({ jobId }) => this.active(jobId))
    this.events.on('progress', ({ jobId, data }) => this.progress(jobId, data as RunJobProgress))
    this.events.on('completed', ({ jobId, returnvalue }) =>
      this.completed(jobId, returnvalue as unknown as RunJobResult)
    )
    this.events.on('failed', ({ jobId, failedReason }) => this.failed(jobId, failedReason))
    this.ready = Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()])
  }

  get size(): number {
    return Math.max(1, this.running)
  }

  get running(): number {
    return [...this.jobs.values()].filter((j) => j.active).length
  }

  get queued(): number {
    return this.jobs.size - this.running
  }

  submit(job: PoolJob): void {
    if (this.closed) throw new Error('the run queue is closed')
    const jobId = `${this.session}-${job.runId}`
    this.jobs.set(jobId, { runId: job.runId, active: false })
    const data: RunJobData = {
      ...job,
      simulatorVersion: this.options.simulatorVersion,
      configHash: configHash(job.scenario, job.variant, job.seed, this.options.simulatorVersion)
    }
    void this.enqueue(jobId, data).catch((err: Error) => {
      if (!this.jobs.delete(jobId)) return
      this.listener.failed(
        job.runId,
        `could not put the run on the queue ${this.name} at ${redactUrl(this.options.url)}: ${err.message}`
      )
    })
  }

  cancel(runId: number): boolean {
    const entry = [...this.jobs].find(([, j]) => j.runId === runId)
    if (!entry) return false
    const [jobId] = entry
    this.jobs.delete(jobId)
    // A waiting job is removed; a running one is stopped by the worker that has it.
    void this.queue.remove(jobId).catch(() => 0)
    void this.publish(jobId)
    this.listener.cancelled(runId)
    return true
  }

  /** Workers are elsewhere: their number is set where they are started (`--concurrency`). */
  resize(): void {}

  /** Takes this notebook's waiting runs off the queue (nobody would store them) and disconnects. */
  async close(): Promise<void> {
    this.closed = true
    const waiting = [...this.jobs].filter(([, j]) => !j.active).map(([jobId]) => jobId)
    this.jobs.clear()
    await Promise.allSettled(waiting.map((jobId) => this.queue.remove(jobId)))
    await Promise.allSettled([this.events.close(), this.queue.close()])
    this.publisher.disconnect()
  }

  private async enqueue(jobId: string, data: RunJobData): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Redis did not answer within ${ENQUEUE_TIMEOUT_MS / 1000} s`)),
        ENQUEUE_TIMEOUT_MS
      )
    })
    try {
      await Promise.race([this.ready.then(() => this.queue.add('run', data, { jobId })), timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  private async publish(jobId: string): Promise<void> {
    try {
      if (this.publisher.status === 'wait') await this.publisher.connect()
      await this.publisher.publish(cancelChannel(this.name), jobId)
    } catch {
      // Unreachable Redis: the run is already cancelled here and its result will be ignored.
    }
  }

  private active(jobId: string): void {
    const job = this.jobs.get(jobId)
    if (!job || job.active) return
    job.active = true
    this.listener.started(job.runId)
  }

  private progress(jobId: string, data: RunJobProgress): void {
    const job = this.jobs.get(jobId)
    if (job && typeof data?.fraction === 'number')
      this.listener.progress(job.runId, data.fraction, data.simS)
  }

  private completed(jobId: string, value: RunJobResult): void {
    const job = this.jobs.get(jobId)
    if (!job) return
    this.jobs.delete(jobId)
    let series
    try {
      series = unpackSeries(value)
    } catch (err) {
      this.listener.failed(
        job.runId,
        `worker ${value?.worker ?? '?'} sent a result that cannot be read: ${(err as Error).message}`
      )
      return
    }
    this.listener.samples(job.runId, series)
    this.listener.done(job.runId, value.result, value.wallMs)
  }

  private failed(jobId: string, reason: string): void {
    const job = this.jobs.get(jobId)
    if (!job) return
    this.jobs.delete(jobId)
    this.listener.failed(job.runId, reason)
  }
}
