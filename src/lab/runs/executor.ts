import type { PoolJob, PoolListener } from '../pool/sim-pool'

/**
 * Where a batch's runs are executed: worker threads on this computer (SimPool) or a queue that
 * workers on other machines take runs from. Either reports to a PoolListener.
 */
export interface RunExecutor {
  readonly size: number
  readonly running: number
  readonly queued: number
  submit(job: PoolJob): void
  /** Cancels a queued or running job; false if the executor does not hold it. */
  cancel(runId: number): boolean
  resize(size: number): void
  /** Loads and compiles the simulator in local workers before the first batch (SimPool.warm()). */
  warm?(): Promise<void>
  close(): Promise<void>
}

export type ExecutorFactory = (listener: PoolListener) => RunExecutor
