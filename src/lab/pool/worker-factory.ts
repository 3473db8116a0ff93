import { join } from 'node:path'
import { Worker } from 'node:worker_threads'

export interface WorkerOptions {
  /** V8 old-space limit per worker; a run past it fails with "out of memory" instead of the app. */
  maxHeapMb?: number
}

/** Workers running `entry`: a bundled .js as is, a .ts source through tsx. */
export function workerFactory(entry: string, options: WorkerOptions = {}): () => Worker {
  const resourceLimits = { maxOldGenerationSizeMb: options.maxHeapMb ?? 4096 }
  if (entry.endsWith('.ts')) {
    const bootstrap = join(__dirname, 'ts-worker.cjs')
    return () => new Worker(bootstrap, { workerData: { entry }, resourceLimits })
  }
  return () => new Worker(entry, { resourceLimits })
}
