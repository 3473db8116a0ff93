/**
 * CSV exports for plotting scripts: one row per run, time series in long (tidy) form, histograms.
 * Written with papaparse, so commas, quotes and newlines in notes and labels are quoted properly.
 * Each export is produced as chunks of lines (a series CSV one run at a time), so a large one is
 * streamed to its file without being held whole in memory or holding the event loop.
 */
import { setImmediate as nextTurn } from 'node:timers/promises'
import Papa from 'papaparse'
import type { RunDetail, RunSummary } from '../../shared/dto'
import type { SeriesColumns } from '../store/series-codec'

export type Cell = string | number | boolean | null

/** Rows as CSV lines, each ending in a newline; '' for no rows. */
export function csvLines(rows: Cell[][]): string {
  return rows.length ? `${Papa.unparse(rows, { newline: '\n' })}\n` : ''
}

/**
 * The header, then each batch of rows as one chunk, with a turn of the event loop before each batch
 * is built so other requests are answered meanwhile.
 */
export async function* csvChunks(
  fields: string[],
  batches: Iterable<Cell[][]>
): AsyncGenerator<string> {
  yield csvLines([fields])
  let empty = true
  const iterator = batches[Symbol.iterator]()
  for (;;) {
    await nextTurn()
    const next = iterator.next()
    if (next.done) break
    const lines = csvLines(next.value)
    if (!lines) continue
    empty = false
    yield lines
  }
  // papaparse ends a table without rows with an empty line; kept so the files stay as they were.
  if (empty) yield '\n'
}

/** Splits rows into batches of at most `size`. */
function* batchesOf<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = []
  for (const item of items) {
    batch.push(item)
    if (batch.length === size) {
      yield batch
      batch = []
    }
  }
  if (batch.length) yield batch
}

const psiColumns = ['psi_some_avg10', 'psi_full_avg10', 'psi_some_total_us', 'psi_full_total_us']

interface PsiLine {
  avg10?: number
  total_us?: number
}

function record(value: unknown): Record<string, number> {
  return value && typeof value === 'object' ? (value as Record<string, number>) : {}
}

/** Union of keys in first-seen order: runs of one simulator version share one column order. */
function keysOf(objects: Array<Record<string, unknown>>): string[] {
  const keys = new Set<string>()
  for (const o of objects) for (const k of Object.keys(o)) keys.add(k)
  return [...keys]
}

/**
 * One row per run. With `warmupS` > 0 the metrics are the ones the compare view shows after that
 * warm-up (recomputed from the runs' series, what the series cannot give left empty), and the
 * `warmup_s` column says so. Runs are small here (no series): the table is built whole.
 */
export function runSummariesTable(
  experimentTitle: string,
  runs: RunDetail[],
  warmupS = 0
): { fields: string[]; rows: Cell[][] } {
  const derived = runs.map((r) => record(r.result?.derived))
  const vmstat = runs.map((r) => record(r.result?.vmstat))
  const sweepKeys = keysOf(runs.map((r) => r.sweepPoint))
  const derivedKeys = keysOf(derived)
  const vmstatKeys = keysOf(vmstat).filter((k) => !derivedKeys.includes(k))
  const fields = [
    'experiment',
    'run_id',
    'source',
    'variant',
    'label',
    'seed',
    ...sweepKeys.map((k) => `sweep.${k}`),
    'status',
    'simulator_version',
    'config_hash',
    'duration_s',
    'warmup_s',
    'wall_ms',
    ...derivedKeys,
    ...vmstatKeys,
    ...psiColumns,
    'warnings',
    'notes'
  ]
  const rows = runs.map((r, i) => {
    const psi = (r.result?.psi ?? {}) as { some?: PsiLine; full?: PsiLine }
    const warnings = Array.isArray(r.result?.warnings) ? (r.result.warnings as string[]) : []
    return [
      experimentTitle,
      r.id,
      r.source,
      r.variant,
      r.label,
      r.source === 'observed' ? null : r.seed,
      ...sweepKeys.map((k) => r.sweepPoint[k] ?? null),
      r.status,
      r.simulatorVersion,
      r.configHash,
      (r.result?.duration_s as number | undefined) ?? null,
      warmupS,
      r.wallMs,
      ...derivedKeys.map((k) => derived[i][k] ?? null),
      ...vmstatKeys.map((k) => vmstat[i][k] ?? null),
      psi.some?.avg10 ?? null,
      psi.full?.avg10 ?? null,
      psi.some?.total_us ?? null,
      psi.full?.total_us ?? null,
      warnings.join('\n'),
      r.notes
    ]
  })
  return { fields, rows }
}

/** Rows per chunk of the run summaries and histograms CSVs. */
const ROWS_PER_CHUNK = 200

export function runSummariesCsv(
  experimentTitle: string,
  runs: RunDetail[],
  warmupS = 0
): AsyncGenerator<string> {
  const { fields, rows } = runSummariesTable(experimentTitle, runs, warmupS)
  return csvChunks(fields, batchesOf(rows, ROWS_PER_CHUNK))
}

export const SERIES_FIELDS = ['experiment', 'run_id', 'variant', 'seed', 't_s', 'metric', 'value']

type SeriesRun = Pick<RunSummary, 'id' | 'source' | 'label' | 'variant' | 'seed'>

/** Rows per chunk of the series CSV: a few milliseconds of work, about 100 KB. */
const SERIES_ROWS_PER_CHUNK = 2000

/**
 * Long form: one row per sample and series of one run, the shape ggplot, pandas and gnuplot
 * expect; in batches of about `rowsPerBatch` rows (whole samples).
 */
export function* seriesRows(
  experimentTitle: string,
  run: SeriesRun,
  series: SeriesColumns,
  names?: string[],
  rowsPerBatch = Infinity
): Generator<Cell[][]> {
  const chosen = (names ?? Object.keys(series.series)).filter((name) => series.series[name])
  const variant = run.source === 'observed' ? run.label : run.variant
  const seed = run.source === 'observed' ? null : run.seed
  const samplesPerBatch = Math.max(1, Math.floor(rowsPerBatch / Math.max(1, chosen.length)))
  for (let from = 0; from < series.t_s.length; from += samplesPerBatch) {
    const rows: Cell[][] = []
    const to = Math.min(series.t_s.length, from + samplesPerBatch)
    for (let i = from; i < to; i++)
      for (const metric of chosen)
        rows.push([
          experimentTitle,
          run.id,
          variant,
          seed,
          series.t_s[i],
          metric,
          series.series[metric][i]
        ])
    yield rows
  }
}

/**
 * The series CSV, a run at a time: each run's series is read and decoded only when its turn comes,
 * so memory holds one run whatever the number of runs.
 */
export function seriesCsv(
  experimentTitle: string,
  runs: SeriesRun[],
  loadSeries: (runId: number) => SeriesColumns,
  names?: string[]
): AsyncGenerator<string> {
  function* batches(): Generator<Cell[][]> {
    for (const run of runs)
      yield* seriesRows(experimentTitle, run, loadSeries(run.id), names, SERIES_ROWS_PER_CHUNK)
  }
  return csvChunks(SERIES_FIELDS, batches())
}

const histogramStats = ['count', 'mean_us', 'p50_us', 'p90_us', 'p99_us', 'p999_us', 'max_us']

export function histogramsCsv(experimentTitle: string, runs: RunDetail[]): AsyncGenerator<string> {
  function* rows(): Generator<Cell[]> {
    for (const r of runs) {
      const histograms = (r.result?.histograms ?? {}) as Record<string, Record<string, number>>
      for (const [name, h] of Object.entries(histograms))
        yield [
          experimentTitle,
          r.id,
          r.source === 'observed' ? r.label : r.variant,
          r.source === 'observed' ? null : r.seed,
          name,
          ...histogramStats.map((k) => h[k] ?? null)
        ]
    }
  }
  return csvChunks(
    ['experiment', 'run_id', 'variant', 'seed', 'histogram', ...histogramStats],
    batchesOf(rows(), ROWS_PER_CHUNK)
  )
}
