import { setImmediate as nextTurn } from 'node:timers/promises'
import { fileStem } from '../../shared/file-stem'
import { exportBundle } from '../bundle/bundle-export'
import type { LabContext } from '../context'
import { histogramsCsv, runSummariesCsv, seriesCsv } from '../export/csv'
import type { DownloadHandlers } from '../export/stream'
import { runAfterWarmup } from '../runs/warmup'

const CSV = 'text/csv'

/** A prepared trace goes out in pieces of this many characters. */
const TRACE_CHUNK = 1 << 20

export function downloadHandlers({ db, experiments, runs, traces }: LabContext): DownloadHandlers {
  return {
    'export:runsCsv': ({ experimentId, runIds, warmupS = 0 }) => {
      const { title } = experiments.get(experimentId)
      return {
        fileName: `${fileStem(title)}-runs.csv`,
        mimeType: CSV,
        async *chunks() {
          // A warm-up recomputes each run from its series: one run per turn of the event loop.
          const shown = []
          for (const run of runs.details(experimentId, runIds)) {
            shown.push(runAfterWarmup(runs, run, warmupS))
            if (warmupS > 0) await nextTurn()
          }
          yield* runSummariesCsv(title, shown, warmupS)
        }
      }
    },
    'export:seriesCsv': ({ experimentId, runIds, names }) => {
      const { title } = experiments.get(experimentId)
      return {
        fileName: `${fileStem(title)}-series.csv`,
        mimeType: CSV,
        chunks: () => {
          const chosen = runIds ? new Set(runIds) : null
          const done = runs
            .list(experimentId)
            .filter((run) => run.status === 'done' && (!chosen || chosen.has(run.id)))
          return seriesCsv(title, done, (id) => runs.series(id), names)
        }
      }
    },
    'export:histogramsCsv': ({ experimentId, runIds }) => {
      const { title } = experiments.get(experimentId)
      return {
        fileName: `${fileStem(title)}-histograms.csv`,
        mimeType: CSV,
        chunks: () => histogramsCsv(title, runs.details(experimentId, runIds))
      }
    },
    'export:trace': ({ id }) => {
      const trace = traces.take(id)
      return {
        fileName: trace.fileName,
        mimeType: 'application/json',
        async *chunks() {
          for (let i = 0; i < trace.json.length; i += TRACE_CHUNK)
            yield trace.json.slice(i, i + TRACE_CHUNK)
        }
      }
    },
    'bundle:export': ({ id }) => {
      const { title } = experiments.get(id)
      return {
        fileName: `${fileStem(title)}.reclaimlab.json`,
        mimeType: 'application/json',
        // One piece: the checksum at its head covers the whole content, read in one transaction.
        async *chunks() {
          yield exportBundle(db, id)
        }
      }
    }
  }
}
