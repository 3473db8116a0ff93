import type { Handlers } from '../../shared/contract'
import { LabError } from '../../shared/errors'
import type { RunSummary } from '../../shared/dto'
import type { LabContext } from '../context'

export function runHandlers({
  experiments,
  runs,
  annotations,
  runService,
  kernelRuns,
  events
}: LabContext) {
  const live = (list: RunSummary[]): RunSummary[] =>
    kernelRuns.withProgress(runService.withProgress(list))
  return {
    'run:start': ({ experimentId, variants, seeds, sweep }) => {
      const experiment = experiments.get(experimentId)
      if (experiment.scenario === null) {
        throw new LabError('invalid', 'Choose a scenario for this experiment before running it.', [
          { path: 'scenario', message: 'no scenario yet: start from a preset' }
        ])
      }
      return runService.start(experimentId, experiment.scenario, { variants, seeds, sweep })
    },
    'run:list': ({ experimentId }) => {
      experiments.get(experimentId)
      return live(runs.list(experimentId))
    },
    'run:get': ({ id }) => {
      const run = runs.get(id)
      return { ...run, ...live([run])[0] }
    },
    'run:series': ({ id, names }) => {
      const { t_s, series } = runs.series(id)
      if (!names) return { runId: id, t_s, series }
      const chosen = Object.fromEntries(names.filter((n) => n in series).map((n) => [n, series[n]]))
      return { runId: id, t_s, series: chosen }
    },
    'run:details': ({ experimentId, runIds }) => {
      experiments.get(experimentId)
      return runs.details(experimentId, runIds)
    },
    'run:cancel': ({ runIds, batchId, experimentId }) => {
      const ids =
        runIds ?? runs.unfinishedIn(batchId !== undefined ? { batchId } : { experimentId })
      return { cancelled: runService.cancel(ids) + kernelRuns.cancel(ids) }
    },
    'run:setNotes': ({ id, notes }) => runs.setNotes(id, notes),
    'run:delete': ({ id }) => {
      const { experimentId } = runs.get(id)
      runService.forget(id)
      kernelRuns.forget(id)
      runs.delete(id)
      // The sidebar's run count and an open run table follow the experiment's changes.
      events.emit('experiment:changed', { id: experimentId, kind: 'updated' })
      return { id }
    },
    'annotation:list': ({ runId, experimentId }) => {
      if (runId === undefined) {
        experiments.get(experimentId!)
        return annotations.listCompare(experimentId!)
      }
      runs.get(runId)
      return annotations.list(runId)
    },
    'annotation:create': ({ runId, experimentId, ...rest }) =>
      annotations.create(
        runId === undefined ? { experimentId: experimentId!, ...rest } : { runId, ...rest }
      ),
    'annotation:delete': ({ id }) => {
      annotations.delete(id)
      return { id }
    },
    'queue:state': () => runService.queueState()
  } satisfies Partial<Handlers>
}
