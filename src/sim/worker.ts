/**
 * Thin worker_threads adapter: receives { scenario, seed?, variant?, batch_samples? }, runs the
 * simulation and posts { type: 'progress' | 'samples' | 'result' | 'error', ... } back.
 * The only module in src/sim that imports node:*.
 */
import { parentPort } from 'node:worker_threads'
import { dropSpareArrays } from './arena'
import { runSimulationSync } from './run'

/** A worker idle this long lets go of the arrays kept for its next run (arena.ts). */
const IDLE_RELEASE_MS = 10_000

export interface WorkerRequest {
  scenario: unknown
  seed?: number
  variant?: string
  batch_samples?: number
}

export type WorkerMessage =
  | { type: 'progress'; sim_ns: number; fraction: number }
  | { type: 'samples'; batch: import('./metrics/sampler').SampleBatch }
  | { type: 'result'; result: import('./result').RunResult }
  | { type: 'error'; message: string }

const port = parentPort
if (port) {
  let idle: ReturnType<typeof setTimeout> | null = null
  port.on('message', (req: WorkerRequest) => {
    if (idle) clearTimeout(idle)
    const post = (m: WorkerMessage): void => port.postMessage(m)
    try {
      const result = runSimulationSync(
        req.scenario,
        {
          progress: (p) => post({ type: 'progress', ...p }),
          samples: (batch) => post({ type: 'samples', batch })
        },
        { seed: req.seed, variant: req.variant, batch_samples: req.batch_samples }
      )
      post({ type: 'result', result })
    } catch (err) {
      post({ type: 'error', message: err instanceof Error ? err.message : String(err) })
    }
    idle = setTimeout(dropSpareArrays, IDLE_RELEASE_MS)
    idle.unref()
  })
}
