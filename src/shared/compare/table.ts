import {
  harmonicInterval,
  mannWhitney,
  pairedT,
  sampleSd,
  tInterval,
  welchT,
  wilcoxonSignedRank,
  type TestName
} from '../stats'
import { formatPct, formatValue } from './format'
import { commonSeeds, type CompareGroup } from './groups'
import { COMPARE_METRICS, metricValue, type CompareMetric, type MeanKind } from './metrics'
import { compareWarnings, groupWarningLines, type CompareWarning } from './warnings'

export const SIGNIFICANCE_LEVEL = 0.05

export interface CompareCell {
  n: number
  /** Per-seed values, in seed order. */
  values: number[]
  /** The seed of each value (an observed run's index in its group). */
  seeds: number[]
  estimate: number
  lo: number
  hi: number
  /** Spread of the per-seed values, as mmtests reports it (sample sd; NaN for one value). */
  sd: number
  min: number
  max: number
  /** "1,234 ± 45 (-5.23%)*": the text on screen and in every export. */
  text: string
}

export interface CompareDelta {
  /** Change of this group's estimate against the baseline's, in %. */
  pct: number
  /** Interval of the change, in % of the baseline's estimate. */
  pctLo: number
  pctHi: number
  paired: boolean
  /** Seeds in the comparison (pairs when paired). */
  n: number
  test: TestName
  p: number
  /** The non-parametric check: Wilcoxon signed-rank when paired, Mann-Whitney otherwise. */
  checkTest: TestName
  checkP: number
  /** '*' significant, '~' not; '' when there is no test or no change to mark (a 0 baseline). */
  mark: '*' | '~' | ''
}

export interface CompareRow {
  metric: CompareMetric
  /** The mean actually used: harmonic rows fall back to arithmetic when a value is 0. */
  mean: MeanKind
  cells: Array<{ cell: CompareCell | null; delta: CompareDelta | null }>
}

export interface CompareTable {
  baseline: string
  warmupS: number
  /** Whether stddev, min and max rows follow each metric (on screen and in Markdown and LaTeX). */
  spread: boolean
  groups: Array<{
    key: string
    label: string
    variant: string
    source: string
    n: number
    /** The group's warnings, a line each (see groupWarningLines). */
    warnings: string[]
  }>
  rows: CompareRow[]
  /** What the compared runs warned about: every export carries them under the table. */
  warnings: CompareWarning[]
}

function valuesBySeed(group: CompareGroup, metric: CompareMetric): Map<number, number> {
  const out = new Map<number, number>()
  group.runs.forEach((run, i) => {
    const v = metricValue(metric, run.result)
    // Observed runs have no seeds: their place in the group stands in (never paired).
    if (v !== undefined && Number.isFinite(v))
      out.set(run.source === 'observed' ? i + 1 : run.seed, v)
  })
  return out
}

function interval(values: number[], mean: MeanKind) {
  return mean === 'harmonic' ? harmonicInterval(values) : tInterval(values)
}

function deltaOf(
  base: { group: CompareGroup; values: Map<number, number>; estimate: number },
  other: { group: CompareGroup; values: Map<number, number>; estimate: number },
  mean: MeanKind
): CompareDelta {
  // Rates are compared through their reciprocals, the quantity a harmonic mean averages.
  const tr = (x: number) => (mean === 'harmonic' ? 1 / x : x)
  const seeds = commonSeeds(base.group, other.group).filter(
    (s) => base.values.has(s) && other.values.has(s)
  )
  const paired = seeds.length >= 2
  const a = paired ? seeds.map((s) => base.values.get(s)!) : [...base.values.values()]
  const b = paired ? seeds.map((s) => other.values.get(s)!) : [...other.values.values()]
  const main = paired ? pairedT(a.map(tr), b.map(tr)) : welchT(a.map(tr), b.map(tr))
  const check = paired ? wilcoxonSignedRank(a, b) : mannWhitney(a, b)
  const pct = (100 * (other.estimate - base.estimate)) / base.estimate
  let pctLo: number
  let pctHi: number
  if (mean === 'harmonic') {
    // ratio = hmean_b / hmean_a = m / (m + d), with m the baseline's mean reciprocal.
    // An interval reaching a zero or negative reciprocal mean has no upper end.
    const m = 1 / base.estimate
    const ratio = (d: number) => (m + d > 0 ? m / (m + d) : Infinity)
    pctLo = 100 * (ratio(main.diff.hi) - 1)
    pctHi = 100 * (ratio(main.diff.lo) - 1)
  } else {
    pctLo = (100 * main.diff.lo) / base.estimate
    pctHi = (100 * main.diff.hi) / base.estimate
  }
  const p = main.p
  // A change against a zero baseline has no percentage: "(n/a)" carries no mark.
  const marked = !Number.isNaN(p) && Number.isFinite(pct)
  return {
    pct,
    pctLo,
    pctHi,
    paired,
    n: paired ? seeds.length : Math.min(a.length, b.length),
    test: main.test,
    p,
    checkTest: check.test,
    checkP: check.p,
    mark: !marked ? '' : p < SIGNIFICANCE_LEVEL ? '*' : '~'
  }
}

/**
 * What a cell's colour says, one thing each: a significant (*) change in the better direction, in
 * the worse one, or in a metric where neither direction is better. Unmarked changes are uncoloured.
 */
export type ChangeTone = 'better' | 'worse' | 'changed' | ''

export function changeTone(metric: CompareMetric, delta: CompareDelta | null): ChangeTone {
  if (!delta || delta.mark !== '*') return ''
  if (!metric.better) return 'changed'
  return (metric.better === 'higher') === delta.pct > 0 ? 'better' : 'worse'
}

export interface CompareOptions {
  /** Show each change's interval ("-49.76% ± 5.35%": half the interval's width) in the cells. */
  changeIntervals?: boolean
  /** Seconds of simulated time dropped from the summaries (the runs' results were cut already). */
  warmupS?: number
  /** Add stddev, min and max rows under each metric. */
  spread?: boolean
}

export function cellText(
  cell: Omit<CompareCell, 'text'>,
  delta: CompareDelta | null,
  isBase: boolean,
  options: CompareOptions = {}
): string {
  const half = (cell.hi - cell.lo) / 2
  const ci = Number.isFinite(half) ? ` ± ${formatValue(half)}` : ''
  let change = ''
  if (isBase) change = ' (0.00%)'
  else if (delta) {
    const width = Math.abs(delta.pctHi - delta.pctLo) / 2
    const interval =
      options.changeIntervals && Number.isFinite(width)
        ? ` ± ${formatPct(width).replace(/^\+/, '')}`
        : ''
    change = ` (${formatPct(delta.pct)}${interval})${delta.mark}`
  }
  return `${formatValue(cell.estimate)}${ci}${change}`
}

/** The side-by-side table: one row per metric some run has, one column per group. */
export function buildCompareTable(
  groups: CompareGroup[],
  baselineKey: string,
  options: CompareOptions = {}
): CompareTable {
  const baseIndex = Math.max(
    0,
    groups.findIndex((g) => g.key === baselineKey)
  )
  const rows: CompareRow[] = []
  for (const metric of COMPARE_METRICS) {
    const perGroup = groups.map((g) => valuesBySeed(g, metric))
    const all = perGroup.flatMap((m) => [...m.values()])
    if (all.length === 0 || all.every((v) => v === 0)) continue
    const mean: MeanKind =
      metric.mean === 'harmonic' && all.every((v) => v > 0) ? 'harmonic' : 'arithmetic'
    const estimates = perGroup.map((m) => (m.size ? interval([...m.values()], mean) : null))
    const base = estimates[baseIndex]
    const cells = groups.map((g, i) => {
      const est = estimates[i]
      if (!est) return { cell: null, delta: null }
      const values = [...perGroup[i].values()]
      const delta =
        i !== baseIndex && base && perGroup[baseIndex].size
          ? deltaOf(
              { group: groups[baseIndex], values: perGroup[baseIndex], estimate: base.estimate },
              { group: g, values: perGroup[i], estimate: est.estimate },
              mean
            )
          : null
      const partial = {
        n: values.length,
        values,
        seeds: [...perGroup[i].keys()],
        estimate: est.estimate,
        lo: est.lo,
        hi: est.hi,
        sd: sampleSd(values),
        min: Math.min(...values),
        max: Math.max(...values)
      }
      return {
        cell: { ...partial, text: cellText(partial, delta, i === baseIndex, options) },
        delta
      }
    })
    rows.push({ metric, mean, cells })
  }
  return {
    baseline: groups[baseIndex]?.key ?? '',
    warmupS: options.warmupS ?? 0,
    spread: options.spread ?? false,
    groups: groups.map((g) => ({
      key: g.key,
      label: g.label,
      variant: g.variant,
      source: g.source,
      n: g.runs.length,
      warnings: groupWarningLines(g)
    })),
    rows,
    warnings: compareWarnings(groups)
  }
}
