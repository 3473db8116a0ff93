import type { Worker } from 'node:worker_threads'
import type { RunDetail, TraceSummary } from '../../shared/dto'
import { LabError } from '../../shared/errors'
import type { RunResult } from '../../shared/result'
import type { WorkerMessage, WorkerRequest } from '../../sim/worker'

interface Prepared extends TraceSummary {
  json: string
}

/**
 * A stored run and its regeneration must agree on what the run did before the trace is offered as
 * the run's: the event count, every vmstat counter and every derived metric. The first difference,
 * or null.
 */
export function firstDifference(stored: Record<string, unknown>, again: RunResult): string | null {
  if (stored.events !== again.events)
    return `simulated events: stored ${String(stored.events)}, regenerated ${again.events}`
  for (const part of ['vmstat', 'derived'] as const) {
    const before = (stored[part] ?? {}) as Record<string, unknown>
    const after = again[part] as Record<string, number>
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)]))
      if (before[key] !== after[key])
        return `${part}.${key}: stored ${String(before[key])}, regenerated ${String(after[key])}`
  }
  return null
}

/**
 * A run's Chrome/Perfetto trace-event file, regenerated on request: the simulator runs the run's
 * scenario, variant and seed again with `trace.enabled` (the trace observes, it changes nothing) in
 * a worker thread of its own. Refused for another simulator version, and when the regenerated run
 * is not the stored one. One trace is kept, the latest, until another replaces it or the notebook
 * closes: the download that follows reads it.
 */
export class RunTraces {
  private ready: Prepared | null = null
  private readonly working = new Map<number, Promise<TraceSummary>>()
  private readonly workers = new Set<Worker>()

  constructor(
    private readonly createWorker: () => Worker,
    private readonly simulatorVersion: string
  ) {}

  prepare(run: RunDetail, fileName: string): Promise<TraceSummary> {
    if (run.source !== 'simulated')
      throw new LabError('invalid', `Run #${run.id} was imported, not simulated: it has no trace.`)
    if (run.status !== 'done' || !run.result)
      throw new LabError('conflict', `Run #${run.id} has not finished: its trace comes after it.`)
    if (run.simulatorVersion !== this.simulatorVersion)
      throw new LabError(
        'conflict',
        `Run #${run.id} was simulated by simulator ${run.simulatorVersion}; this notebook runs ` +
          `${this.simulatorVersion}, whose trace would not be this run's. Run the variant and seed ` +
          `again here for a trace, or open the notebook in a Reclaim Lab with simulator ${run.simulatorVersion}.`
      )
    if (this.ready?.runId === run.id) return Promise.resolve(summary(this.ready))
    let job = this.working.get(run.id)
    if (!job) {
      job = this.regenerate(run, fileName).finally(() => this.working.delete(run.id))
      this.working.set(run.id, job)
    }
    return job
  }

  /** The prepared trace of a run, as its file's text. */
  take(runId: number): Prepared {
    if (this.ready?.runId !== runId)
      throw new LabError(
        'not_found',
        `The trace of run #${runId} is not prepared: ask for it with run:trace first.`
      )
    return this.ready
  }

  /** Stops traces being regenerated (the notebook is closing). */
  async close(): Promise<void> {
    await Promise.all([...this.workers].map((w) => w.terminate()))
    this.ready = null
  }

  private async regenerate(run: RunDetail, fileName: string): Promise<TraceSummary> {
    const scenario = run.scenario as { trace?: Record<string, unknown> }
    const request: WorkerRequest = {
      scenario: { ...scenario, trace: { ...scenario.trace, enabled: true } },
      variant: run.variant,
      seed: run.seed,
      // Samples are not needed: as few messages as the worker allows.
      batch_samples: 1_000_000
    }
    const result = await this.simulate(request)
    const difference = firstDifference(run.result!, result)
    if (difference)
      throw new LabError(
        'conflict',
        `Run #${run.id} regenerated differently (${difference}), so the trace would not be this ` +
          `run's and none is offered. Please report this: the simulator should be deterministic.`
      )
    const trace = result.trace
    if (!trace) throw new LabError('internal', 'The simulator returned no trace.')
    this.ready = {
      runId: run.id,
      fileName,
      events: trace.traceEvents.length,
      dropped: trace.otherData.dropped_events ?? 0,
      simulatorVersion: this.simulatorVersion,
      json: JSON.stringify(trace)
    }
    return summary(this.ready)
  }

  private simulate(request: WorkerRequest): Promise<RunResult> {
    const worker = this.createWorker()
    this.workers.add(worker)
    return new Promise<RunResult>((resolve, reject) => {
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'result') resolve(m.result)
        else if (m.type === 'error') reject(new LabError('internal', m.message))
      })
      worker.on('error', (err) => reject(new LabError('internal', err.message)))
      worker.on('exit', (code) =>
        reject(new LabError('internal', `The trace worker stopped (exit code ${code}).`))
      )
      worker.postMessage(request)
    }).finally(() => {
      this.workers.delete(worker)
      void worker.terminate()
    })
  }
}

function summary(p: Prepared): TraceSummary {
  const { json: _json, ...rest } = p
  return rest
}
