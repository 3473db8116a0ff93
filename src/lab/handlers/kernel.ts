import type { Handlers } from '../../shared/contract'
import { LabError } from '../../shared/errors'
import type { LabContext } from '../context'

export function kernelHandlers({ experiments, runs, kernelRuns, events }: LabContext) {
  return {
    'kernel:host': () => kernelRuns.host(),
    'kernel:start': ({ experimentId, image, label, runs: count, timeoutS }) => {
      const experiment = experiments.get(experimentId)
      if (experiment.scenario === null)
        throw new LabError('invalid', 'Choose a scenario for this experiment before running it.', [
          { path: 'scenario', message: 'no scenario yet: start from a preset' }
        ])
      const started = kernelRuns.start(experimentId, experiment.scenario, {
        image,
        label,
        runs: count,
        timeoutS
      })
      events.emit('experiment:changed', { id: experimentId, kind: 'updated' })
      return started
    },
    'run:log': ({ id }) => ({ runId: id, text: runs.log(id) })
  } satisfies Partial<Handlers>
}
