import { Worker as BullWorker, type Job } from 'bullmq'
import { Redis } from 'ioredis'
import { hostname } from 'node:os'
import type { Worker } from 'node:worker_threads'
import { SIMULATOR_VERSION } from '../../sim'
import type { RunResult } from '../../shared/result'
import { SimPool } from '../pool/sim-pool'
import { appendBatch, type SeriesColumns } from '../store/series-codec'
import {
  cancelChannel,
  connectionFor,
  DEFAULT_QUEUE,
  packResult,
  redactUrl,
  type RunJobData,
  type RunJobProgress,
  type RunJobResult
} from './protocol'

/** Job progress goes to Redis at most this often per run. */
const PROGRESS_EVERY_MS = 250

export interface QueueWorkerOptions {
  url: string
  queue?: string
  concurrency: number
  createWorker: () => Worker
  /**
   * How long a job's lock lasts without renewal: a worker killed mid-run has its job taken up by
   * another worker about this long (up to twice) later.
   */
  lockMs?: number
  log: (line: string) => void
}

interface Pending {
  job: Job<RunJobData>
  series: SeriesColumns
  lastProgressMs: number
  resolve: (value: RunJobResult) => void
  reject: (err: Error) => void
}

export interface QueueWorker {
  /** Resolves when the worker is connected and taking jobs. */
  ready: Promise<void>
  close(): Promise<void>
}

/**
 * Takes runs from the queue and simulates them on worker threads, `concurrency` at a time, so the
 * event loop stays free to renew job locks. A job for another simulator version is refused.
 */
export function startQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const queue = options.queue ?? DEFAULT_QUEUE
  const me = `${hostname()}:${process.pid}`
  const pending = new Map<number, Pending>()
  let nextKey = 1

  const settle = (key: number): Pending | undefined => {
    const p = pending.get(key)
    pending.delete(key)
    return p
  }
  const pool = new SimPool(options.concurrency, options.createWorker, {
    started: () => {},
    progress: (key, fraction, simS) => {
      const p = pending.get(key)
      if (!p || performance.now() - p.lastProgressMs < PROGRESS_EVERY_MS) return
      p.lastProgressMs = performance.now()
      const progress: RunJobProgress = { fraction, simS }
      void p.job.updateProgress(progress as unknown as object).catch(() => {})
    },
    samples: (key, batch) => {
      const p = pending.get(key)
      if (p) appendBatch(p.series, batch)
    },
    done: (key, result, wallMs) => {
      const p = settle(key)
      if (!p) return
      options.log(
        `run ${p.job.data.runId} (job ${p.job.id}): done in ${(wallMs / 1000).toFixed(1)} s`
      )
      p.resolve(packResult(result as RunResult, p.series, wallMs, me))
    },
    failed: (key, message) => settle(key)?.reject(new Error(message)),
    cancelled: (key) => settle(key)?.reject(new Error('cancelled from the notebook'))
  })

  const runJob = (job: Job<RunJobData>): Promise<RunJobResult> => {
    const { runId, simulatorVersion, scenario, variant, seed } = job.data
    if (simulatorVersion !== SIMULATOR_VERSION) {
      const message = `worker ${me} runs simulator ${SIMULATOR_VERSION} but run ${runId} needs ${simulatorVersion}: refused, so results of two simulators are not mixed; run workers of the notebook's version`
      return Promise.reject(new Error(message))
    }
    const key = nextKey++
    options.log(`run ${runId} (job ${job.id}): started, ${variant} seed ${seed}`)
    return new Promise((resolve, reject) => {
      pending.set(key, {
        job,
        series: { t_s: [], series: {} },
        lastProgressMs: 0,
        resolve,
        reject
      })
      pool.submit({ runId: key, scenario, variant, seed })
    })
  }

  const lockMs = options.lockMs ?? 30_000
  const worker = new BullWorker<RunJobData, RunJobResult>(queue, runJob, {
    connection: connectionFor(options.url),
    concurrency: options.concurrency,
    lockDuration: lockMs,
    stalledInterval: lockMs,
    name: `reclaim-lab ${me}`
  })
  worker.on('error', (err) => options.log(`queue ${queue}: ${err.message}`))
  worker.on('failed', (job, err) => {
    if (job) options.log(`run ${job.data.runId} (job ${job.id}): failed: ${err.message}`)
  })

  // Cancellation reaches every worker; the one running the job stops it.
  const subscriber = new Redis(options.url, { maxRetriesPerRequest: null })
  subscriber.on('error', (err) => options.log(`queue ${queue} (cancel channel): ${err.message}`))
  subscriber.on('message', (_channel, jobId: string) => {
    for (const [key, p] of pending) if (p.job.id === jobId) pool.cancel(key)
  })

  const ready = Promise.all([
    worker.waitUntilReady(),
    subscriber.subscribe(cancelChannel(queue))
  ]).then(() =>
    options.log(
      `worker ${me}: simulator ${SIMULATOR_VERSION}, ${options.concurrency} at a time, queue ${queue} at ${redactUrl(options.url)}`
    )
  )

  return {
    ready,
    close: async () => {
      await worker.close(true)
      await pool.close()
      subscriber.disconnect()
    }
  }
}
