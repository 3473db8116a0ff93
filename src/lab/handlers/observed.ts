import { createHash } from 'node:crypto'
import type { Handlers } from '../../shared/contract'
import type { KeyMetrics } from '../../shared/dto'
import type { LabContext } from '../context'
import { parseObserved, type ObservedRun } from '../observed'

/** The run table's columns for real measurements: /proc/vmstat has no CPU time or latencies. */
function observedMetrics(result: ObservedRun['result']): KeyMetrics {
  return {
    allocstall: result.derived.allocstall ?? 0,
    pgsteal_anon_per_s: result.derived.pgsteal_anon_per_s ?? 0,
    psi_some_avg10: result.psi.some.avg10,
    alloc_p99_us: null,
    kswapd_cpu_pct: null
  }
}

export function observedHandlers({ experiments, runs, events }: LabContext) {
  return {
    'observed:import': ({ experimentId, label, text, fileName, pressure }) => {
      experiments.get(experimentId)
      const observed = parseObserved({ text, fileName, pressure })
      const configHash = createHash('sha256')
        .update(text)
        .update('\0')
        .update(pressure ?? '')
        .digest('hex')
      const summary = runs.insertObserved(experimentId, {
        label,
        configHash,
        metrics: observedMetrics(observed.result),
        result: observed.result,
        series: observed.series
      })
      events.emit('experiment:changed', { id: experimentId, kind: 'updated' })
      return summary
    }
  } satisfies Partial<Handlers>
}
