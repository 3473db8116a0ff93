import type { Worker } from 'node:worker_threads'
import { SimPool, type PoolJob, type PoolListener } from '../pool/sim-pool'
import type { RunExecutor } from '../runs/executor'
import { QueueExecutor } from './queue-executor'

/** Where new batches run: this computer's worker threads, or a Redis queue. */
export type RunOn = { kind: 'local' } | { kind: 'queue'; url: string; queue?: string }

export interface RunOnOptions {
  workers: number
  createWorker: () => Worker
  simulatorVersion: string
  runOn: RunOn
}

/**
 * Sends new runs where Settings say; a run already handed to the local pool or a queue stays there
 * until it ends, and a queue no longer chosen is closed once its last run has ended.
 */
export class RunOnExecutor implements RunExecutor {
  private readonly local: SimPool
  private queue: QueueExecutor | null = null
  private queueKey = ''
  private readonly owner = new Map<number, RunExecutor>()
  private readonly retired = new Set<QueueExecutor>()

  constructor(
    private readonly options: RunOnOptions,
    private readonly listener: PoolListener
  ) {
    this.local = new SimPool(options.workers, options.createWorker, this.tracking())
    this.use(options.runOn)
  }

  use(runOn: RunOn): void {
    const key = runOn.kind === 'queue' ? `${runOn.url}\n${runOn.queue ?? ''}` : ''
    if (key === this.queueKey) return
    if (this.queue) this.retire(this.queue)
    this.queueKey = key
    this.queue =
      runOn.kind === 'queue'
        ? new QueueExecutor(
            { url: runOn.url, queue: runOn.queue, simulatorVersion: this.options.simulatorVersion },
            this.tracking()
          )
        : null
  }

  get size(): number {
    return (this.queue ?? this.local).size
  }

  get running(): number {
    return this.all().reduce((n, e) => n + e.running, 0)
  }

  get queued(): number {
    return this.all().reduce((n, e) => n + e.queued, 0)
  }

  submit(job: PoolJob): void {
    const executor = this.queue ?? this.local
    this.owner.set(job.runId, executor)
    executor.submit(job)
  }

  cancel(runId: number): boolean {
    return this.owner.get(runId)?.cancel(runId) ?? false
  }

  resize(size: number): void {
    this.local.resize(size)
  }

  /** Warms the local workers when runs go to them; a queue's workers are elsewhere. */
  warm(): Promise<void> {
    return this.queue ? Promise.resolve() : this.local.warm()
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((e) => e.close()))
    this.retired.clear()
  }

  private all(): RunExecutor[] {
    return [this.local, ...(this.queue ? [this.queue] : []), ...this.retired]
  }

  private retire(queue: QueueExecutor): void {
    this.retired.add(queue)
    this.closeIfIdle(queue)
  }

  private closeIfIdle(executor: RunExecutor | undefined): void {
    if (!(executor instanceof QueueExecutor) || !this.retired.has(executor)) return
    if ([...this.owner.values()].includes(executor)) return
    this.retired.delete(executor)
    void executor.close()
  }

  /** The listener with bookkeeping of which executor holds which run. */
  private tracking(): PoolListener {
    const end = (runId: number) => {
      const executor = this.owner.get(runId)
      this.owner.delete(runId)
      this.closeIfIdle(executor)
    }
    const l = this.listener
    return {
      started: (id) => l.started(id),
      progress: (id, fraction, simS) => l.progress(id, fraction, simS),
      samples: (id, batch) => l.samples(id, batch),
      done: (id, result, wallMs) => {
        end(id)
        l.done(id, result, wallMs)
      },
      failed: (id, message) => {
        end(id)
        l.failed(id, message)
      },
      cancelled: (id) => {
        end(id)
        l.cancelled(id)
      }
    }
  }
}

/** The Settings values as a RunOn; a queue without a URL runs here. */
export function runOnFrom(settings: { runOn: 'local' | 'queue'; redisUrl: string | null }): RunOn {
  return settings.runOn === 'queue' && settings.redisUrl
    ? { kind: 'queue', url: settings.redisUrl }
    : { kind: 'local' }
}
