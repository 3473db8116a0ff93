/**
 * CSV exports for plotting scripts: one row per run, time series in long (tidy) form, histograms.
 * Written with papaparse, so commas, quotes and newlines in notes and labels are quoted properly.
 */
import Papa from 'papaparse'
import type { RunDetail } from '../../shared/dto'
import type { SeriesColumns } from '../store/series-codec'

type Cell = string | number | boolean | null

function csv(fields: string[], data: Cell[][]): string {
  return `${Papa.unparse({ fields, data }, { newline: '\n' })}\n`
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
 * `warmup_s` column says so.
 */
export function runSummariesCsv(experimentTitle: string, runs: RunDetail[], warmupS = 0): string {
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
  const data = runs.map((r, i) => {
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
  return csv(fields, data)
}

/** Long form: one row per run, sample and series; the shape ggplot, pandas and gnuplot expect. */
export function seriesCsv(
  experimentTitle: string,
  runs: Array<{ run: RunDetail; series: SeriesColumns }>,
  names?: string[]
): string {
  const data: Cell[][] = []
  for (const { run, series } of runs) {
    const chosen = names ?? Object.keys(series.series)
    for (let i = 0; i < series.t_s.length; i++)
      for (const metric of chosen) {
        const values = series.series[metric]
        if (!values) continue
        data.push([
          experimentTitle,
          run.id,
          run.source === 'observed' ? run.label : run.variant,
          run.source === 'observed' ? null : run.seed,
          series.t_s[i],
          metric,
          values[i]
        ])
      }
  }
  return csv(['experiment', 'run_id', 'variant', 'seed', 't_s', 'metric', 'value'], data)
}

const histogramStats = ['count', 'mean_us', 'p50_us', 'p90_us', 'p99_us', 'p999_us', 'max_us']

export function histogramsCsv(experimentTitle: string, runs: RunDetail[]): string {
  const data: Cell[][] = []
  for (const r of runs) {
    const histograms = (r.result?.histograms ?? {}) as Record<string, Record<string, number>>
    for (const [name, h] of Object.entries(histograms))
      data.push([
        experimentTitle,
        r.id,
        r.source === 'observed' ? r.label : r.variant,
        r.source === 'observed' ? null : r.seed,
        name,
        ...histogramStats.map((k) => h[k] ?? null)
      ])
  }
  return csv(['experiment', 'run_id', 'variant', 'seed', 'histogram', ...histogramStats], data)
}
