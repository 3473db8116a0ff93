import type { Handlers } from '../../shared/contract'
import { LabError } from '../../shared/errors'
import { fileStem } from '../../shared/file-stem'
import type { RunSummary } from '../../shared/dto'
import type { LabContext } from '../context'

export function runHandlers({
  experiments,
  runs,
  annotations,
  runService,
  traces,
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
      const started = runService.start(experimentId, experiment.scenario, {
        variants,
        seeds,
        sweep
      })
      // The experiment list counts the new runs now, not when the first one ends.
      events.emit('experiment:changed', { id: experimentId, kind: 'updated' })
      return started
    },
    'run:list': ({ experimentId }) => {
      experiments.get(experimentId)
      return live(runs.list(experimentId))
    },
    'run:get': ({ id }) => {
      const run = runs.get(id)
      return { ...run, ...live([run])[0] }
    },
    'run:series': ({ id, names, from = 0 }) => {
      // A run still going answers with the samples it has sent so far (live charts).
      const { t_s, series } = runService.liveSeries(id) ?? runs.series(id)
      const cut = (v: number[]) => (from > 0 ? v.slice(from) : v)
      const chosen = names ? names.filter((n) => n in series) : Object.keys(series)
      return {
        runId: id,
        t_s: cut(t_s),
        series: Object.fromEntries(chosen.map((n) => [n, cut(series[n])]))
      }
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
    'run:trace': ({ id }) => {
      const run = runs.get(id)
      const { title } = experiments.get(run.experimentId)
      return traces.prepare(
        run,
        `${fileStem(title)}-run-${run.id}-${run.variant}-seed-${run.seed}.trace.json`
      )
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
