import type { Handlers } from '../../shared/contract'
import type { ExportFile } from '../../shared/dto'
import { LabError } from '../../shared/errors'
import { fileStem } from '../../shared/file-stem'
import { exportBundle } from '../bundle/bundle-export'
import { importBundle } from '../bundle/bundle-import'
import { decodeShareCode, encodeShareCode } from '../bundle/share-code'
import type { LabContext } from '../context'
import { histogramsCsv, runSummariesCsv, seriesCsv } from '../export/csv'
import { runAfterWarmup } from '../runs/warmup'

const csvFile = (fileName: string, text: string): ExportFile => ({
  fileName,
  mimeType: 'text/csv',
  text
})

export function exportHandlers({ db, experiments, runs, events }: LabContext) {
  return {
    'export:runsCsv': ({ experimentId, runIds, warmupS = 0 }) => {
      const { title } = experiments.get(experimentId)
      const details = runs.details(experimentId, runIds)
      const shown = details.map((run) => runAfterWarmup(runs, run, warmupS))
      return csvFile(`${fileStem(title)}-runs.csv`, runSummariesCsv(title, shown, warmupS))
    },
    'export:seriesCsv': ({ experimentId, runIds, names }) => {
      const { title } = experiments.get(experimentId)
      const chosen = runs
        .details(experimentId, runIds)
        .map((run) => ({ run, series: runs.series(run.id) }))
      return csvFile(`${fileStem(title)}-series.csv`, seriesCsv(title, chosen, names))
    },
    'export:histogramsCsv': ({ experimentId, runIds }) => {
      const { title } = experiments.get(experimentId)
      return csvFile(
        `${fileStem(title)}-histograms.csv`,
        histogramsCsv(title, runs.details(experimentId, runIds))
      )
    },
    'bundle:export': ({ id }) => {
      const { title } = experiments.get(id)
      return {
        fileName: `${fileStem(title)}.reclaimlab.json`,
        mimeType: 'application/json',
        text: exportBundle(db, id)
      }
    },
    'bundle:import': ({ text }) => {
      const imported = importBundle(db, text)
      events.emit('experiment:changed', { id: imported.experimentId, kind: 'created' })
      return {
        experiment: experiments.get(imported.experimentId),
        runs: imported.runs,
        annotations: imported.annotations
      }
    },
    'share:encode': ({ id }) => {
      const { scenario, preset } = experiments.get(id)
      if (scenario === null)
        throw new LabError(
          'invalid',
          'This experiment has no scenario yet: choose a preset first.',
          [{ path: 'scenario', message: 'no scenario to share' }]
        )
      return { code: encodeShareCode({ scenario, preset }) }
    },
    'share:import': ({ code }) => {
      const { scenario, preset } = decodeShareCode(code)
      const created = experiments.create({
        title: preset ? `Shared scenario (${preset})` : 'Shared scenario',
        hypothesis: '',
        notes: '',
        tags: [],
        preset,
        scenario
      })
      events.emit('experiment:changed', { id: created.id, kind: 'created' })
      return created
    }
  } satisfies Partial<Handlers>
}
