import { createHash } from 'node:crypto'
import type { Handlers } from '../../shared/contract'
import type { LabContext } from '../context'
import { observedMetrics, parseObserved } from '../observed'

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
