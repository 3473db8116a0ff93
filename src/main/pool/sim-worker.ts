import { parentPort } from 'node:worker_threads'
import { runSimulationSync } from '../../sim'
import type { RunMessage, WorkerMessage } from './protocol'

const PROGRESS_EVERY_MS = 100

/** One simulation at a time: progress at most every 100 ms of wall time, samples as they are taken. */
function run(message: RunMessage): void {
  const post = (m: WorkerMessage) => parentPort!.postMessage(m)
  const { runId } = message
  const started = performance.now()
  let lastProgress = 0
  try {
    const result = runSimulationSync(
      message.scenario,
      {
        progress: ({ fraction, sim_ns }) => {
          const now = performance.now()
          if (now - lastProgress < PROGRESS_EVERY_MS && fraction < 1) return
          lastProgress = now
          post({ type: 'progress', runId, fraction, simS: sim_ns / 1e9 })
        },
        samples: (batch) => post({ type: 'samples', runId, batch })
      },
      { seed: message.seed, variant: message.variant }
    )
    post({ type: 'done', runId, result, wallMs: Math.round(performance.now() - started) })
  } catch (err) {
    post({ type: 'error', runId, message: err instanceof Error ? err.message : String(err) })
  }
}

parentPort?.on('message', (message: RunMessage) => {
  if (message.type === 'run') run(message)
})
