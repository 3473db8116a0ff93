// Compare and export figures: table build, CSV/LaTeX, bundle round trip (a benchmark, not a test).
import { exportBundle } from '../src/lab/bundle/bundle-export'
import { importBundle } from '../src/lab/bundle/bundle-import'
import { openDatabase } from '../src/lab/store/database'
import { ExperimentRepository } from '../src/lab/store/repositories/experiments'
import { RunRepository } from '../src/lab/store/repositories/runs'
import { appendBatch, type SeriesColumns } from '../src/lab/store/series-codec'
import { keyMetrics } from '../src/lab/runs/metrics'
import { csvLines, runSummariesTable, SERIES_FIELDS, seriesRows } from '../src/lab/export/csv'
import { toCompareCsv, toLatex } from '../src/shared/compare/export'
import { groupRuns, type CompareRun } from '../src/shared/compare/groups'
import { buildCompareTable } from '../src/shared/compare/table'
import { time, timed } from './timing'
import { applySets, resolvePreset, runSimulationSync, SIMULATOR_VERSION } from '../src/sim'
import { join } from 'node:path'

const VARIANTS = ['baseline', 'v1', 'v2']
const SEEDS = 10
const scenario = applySets(resolvePreset('phone-8g-appswitch'), ['duration_s=20'])

const { db } = openDatabase(':memory:', { migrationsDir: join(__dirname, '..', 'migrations') })
const experiments = new ExperimentRepository(db)
const runs = new RunRepository(db)
const experiment = experiments.create({
  title: 'bench',
  hypothesis: '',
  notes: '',
  tags: [],
  preset: 'phone-8g-appswitch',
  scenario
})
const plan = VARIANTS.flatMap((variant) =>
  Array.from({ length: SEEDS }, (_, i) => ({
    variant,
    seed: i + 1,
    sweepPoint: {},
    scenario,
    simulatorVersion: SIMULATOR_VERSION,
    configHash: `${variant}-${i + 1}`
  }))
)
const { runIds } = runs.createBatch(experiment.id, {}, plan)
plan.forEach((p, i) => {
  const series: SeriesColumns = { t_s: [], series: {} }
  const result = runSimulationSync(
    scenario,
    { samples: (batch) => appendBatch(series, batch) },
    { seed: p.seed, variant: p.variant }
  )
  runs.finish(runIds[i], { wallMs: 0, metrics: keyMetrics(result), result, series })
})

const details = runs.details(experiment.id)
const compareRuns: CompareRun[] = details.map((d) => ({
  id: d.id,
  variant: d.variant,
  seed: d.seed,
  source: d.source,
  label: d.label,
  sweepPoint: d.sweepPoint,
  simulatorVersion: d.simulatorVersion,
  scenario: d.scenario,
  result: d.result ?? {}
}))
const groups = groupRuns(compareRuns)
const table = buildCompareTable(groups, 'baseline')
const bundle = exportBundle(db, experiment.id)
const withSeries = details.map((run) => ({ run, series: runs.series(run.id) }))
const longForm = timed(
  () =>
    csvLines([SERIES_FIELDS]) +
    withSeries
      .map(({ run, series }) => csvLines([...seriesRows('bench', run, series)].flat()))
      .join(''),
  3
)

const figures: Array<[string, string]> = [
  ['runs', `${details.length} (${VARIANTS.join(', ')} × ${SEEDS} seeds, phone-8g-appswitch 20 s)`],
  ['load run details', `${time(() => runs.details(experiment.id), 7).toFixed(1)} ms`],
  [
    'compare table',
    `${time(() => buildCompareTable(groups, 'baseline'), 7).toFixed(1)} ms (${table.rows.length} rows)`
  ],
  ['table CSV + LaTeX', `${time(() => (toCompareCsv(table), toLatex(table)), 7).toFixed(2)} ms`],
  [
    'run summaries CSV',
    `${time(() => csvLines(runSummariesTable('bench', details).rows), 7).toFixed(1)} ms`
  ],
  [
    'series CSV (long form)',
    `${longForm.ms.toFixed(0)} ms, ${(longForm.value.length / 1e6).toFixed(1)} MB`
  ],
  [
    'bundle export',
    `${time(() => exportBundle(db, experiment.id), 7).toFixed(1)} ms, ${(bundle.length / 1024).toFixed(0)} KB`
  ],
  ['bundle import', `${time(() => importBundle(db, bundle), 3).toFixed(1)} ms`]
]
for (const [name, value] of figures) console.log(`${name.padEnd(24)} ${value}`)
