/**
 * The compare view's overlaid time series: one metric per chart, each group's mean across seeds with
 * its 95% t-interval as a band, and optionally every seed as a thin line.
 */
import { tInterval } from '../../../shared/stats'
import { pagesToMiB } from './format'
import { psiPercent, rate, sum, type Point, type SeriesData, type Unit } from './series'

export interface CompareSeriesMetric {
  id: string
  title: string
  unit: Unit
  /** Raw series the metric reads; the compare view fetches only these. */
  needs: string[]
  compute(d: SeriesData): Point[] | null
}

const present = (d: SeriesData, names: string[]) => names.filter((n) => d.series[n])

function summedRate(names: string[]) {
  return (d: SeriesData): Point[] | null => {
    const have = present(d, names)
    return have.length ? sum(have.map((n) => rate(d.t_s, d.series[n]))) : null
  }
}

const STALLS = ['allocstall_dma', 'allocstall_dma32', 'allocstall_normal', 'allocstall_movable']
const REFAULTS = ['workingset_refault_anon', 'workingset_refault_file']

export const COMPARE_SERIES: CompareSeriesMetric[] = [
  {
    id: 'free',
    title: 'Free memory (nr_free_pages)',
    unit: 'mib',
    needs: ['nr_free_pages'],
    compute: (d) => d.series.nr_free_pages?.map(pagesToMiB) ?? null
  },
  {
    id: 'pgsteal',
    title: 'Reclaim rate (pgsteal_kswapd + pgsteal_direct)',
    unit: 'per_s',
    needs: ['pgsteal_kswapd', 'pgsteal_direct'],
    compute: summedRate(['pgsteal_kswapd', 'pgsteal_direct'])
  },
  {
    id: 'pgsteal_direct',
    title: 'Direct reclaim (pgsteal_direct)',
    unit: 'per_s',
    needs: ['pgsteal_direct'],
    compute: summedRate(['pgsteal_direct'])
  },
  {
    id: 'allocstall',
    title: 'allocstall (direct reclaim entries)',
    unit: 'per_s',
    needs: STALLS,
    compute: summedRate(STALLS)
  },
  {
    id: 'psi',
    title: 'PSI memory some (share of time stalled)',
    unit: 'pct',
    needs: ['psi_some_total_us'],
    compute: (d) =>
      d.series.psi_some_total_us ? psiPercent(d.t_s, d.series.psi_some_total_us) : null
  },
  {
    id: 'kswapd_cpu',
    title: 'kswapd CPU',
    unit: 'pct',
    needs: ['kswapd_cpu_pct'],
    compute: (d) => d.series.kswapd_cpu_pct ?? null
  },
  {
    id: 'queue',
    title: 'kcompressd queue depth',
    unit: 'count',
    needs: ['kcompressd_queue_depth'],
    compute: (d) => d.series.kcompressd_queue_depth ?? null
  },
  {
    id: 'zram',
    title: 'zram pool (mem_used_total)',
    unit: 'mib',
    needs: ['zram_mem_used_pages'],
    compute: (d) => d.series.zram_mem_used_pages?.map(pagesToMiB) ?? null
  },
  {
    id: 'refaults',
    title: 'Refaults (workingset_refault_anon + file)',
    unit: 'per_s',
    needs: REFAULTS,
    compute: summedRate(REFAULTS)
  }
]

export const COMPARE_SERIES_NAMES = [...new Set(COMPARE_SERIES.flatMap((m) => m.needs))]

export interface SeedLine {
  runId: number
  seed: number
  t_s: number[]
  data: Point[]
}

/** A line's dash pattern: the baseline solid, each other group its own (told apart in print too). */
export type LineDash = 'solid' | number[]

export const GROUP_DASHES: LineDash[] = ['solid', [7, 3], [2, 2], [9, 3, 2, 3], [14, 4], [4, 4]]

/** The dash of each group: the baseline solid, the others in order through GROUP_DASHES. */
export function groupDashes(keys: string[], baseline: string): Map<string, LineDash> {
  const out = new Map<string, LineDash>()
  let next = 1
  for (const key of keys)
    out.set(
      key,
      key === baseline ? 'solid' : GROUP_DASHES[((next++ - 1) % (GROUP_DASHES.length - 1)) + 1]
    )
  return out
}

export interface GroupBand {
  key: string
  label: string
  color: string
  /** Drawn under the others, solid and widest. */
  baseline?: boolean
  dash?: LineDash
  /** The common time grid when every run of the group shares it; null otherwise. */
  t_s: number[] | null
  mean: Point[]
  lo: Point[]
  hi: Point[]
  seeds: SeedLine[]
}

function sameGrid(lines: SeedLine[]): boolean {
  const t = lines[0]?.t_s
  return lines.every((l) => l.t_s.length === t.length && l.t_s.every((x, i) => x === t[i]))
}

/** What a metric can be: every compared series is non-negative, shares of time are at most 100%. */
export function rangeOf(unit: Unit): [number, number] {
  return [0, unit === 'pct' ? 100 : Infinity]
}

/**
 * Mean and 95% t-interval per sample across a group's seeds (values missing in a seed are skipped);
 * the interval is cut to the metric's possible range.
 */
export function bandOf(
  key: string,
  label: string,
  color: string,
  seeds: SeedLine[],
  [min, max]: [number, number] = [-Infinity, Infinity]
): GroupBand {
  if (!seeds.length || !sameGrid(seeds))
    return { key, label, color, t_s: null, mean: [], lo: [], hi: [], seeds }
  const t_s = seeds[0].t_s
  const mean: Point[] = []
  const lo: Point[] = []
  const hi: Point[] = []
  for (let i = 0; i < t_s.length; i++) {
    const xs: number[] = []
    for (const s of seeds) {
      const v = s.data[i]
      if (v !== null && v !== undefined && Number.isFinite(v)) xs.push(v)
    }
    if (!xs.length) {
      mean.push(null)
      lo.push(null)
      hi.push(null)
      continue
    }
    const ci = tInterval(xs)
    mean.push(ci.estimate)
    lo.push(Math.max(min, Number.isFinite(ci.lo) ? ci.lo : ci.estimate))
    hi.push(Math.min(max, Number.isFinite(ci.hi) ? ci.hi : ci.estimate))
  }
  return { key, label, color, t_s, mean, lo, hi, seeds }
}

/**
 * Centred rolling mean over `windowS` seconds of simulated time: each sample becomes the mean of the
 * samples within half a window either side of it (nulls skipped; null where there is none). A
 * window of 0 returns the data as it is.
 */
export function rollingMean(t_s: number[], data: Point[], windowS: number): Point[] {
  if (!(windowS > 0)) return data
  const half = windowS / 2
  const out: Point[] = new Array(data.length).fill(null)
  let lo = 0
  let hi = 0
  let sum = 0
  let n = 0
  const take = (j: number, sign: 1 | -1) => {
    const v = data[j]
    if (v !== null && v !== undefined && Number.isFinite(v)) {
      sum += sign * v
      n += sign
    }
  }
  for (let i = 0; i < data.length; i++) {
    // A tolerance keeps samples exactly half a window away despite float steps (0.1 + 0.2…).
    while (hi < data.length && t_s[hi] <= t_s[i] + half + 1e-9) take(hi++, 1)
    while (t_s[lo] < t_s[i] - half - 1e-9) take(lo++, -1)
    if (data[i] !== null && n > 0) out[i] = sum / n
  }
  return out
}

/** The smoothing windows offered, in seconds of simulated time (0: the samples as recorded). */
export const SMOOTHING_WINDOWS = [0, 0.5, 1, 2, 5] as const

/** How a smoothing window is stated in legends and tooltips. */
export function smoothingText(windowS: number): string {
  return windowS > 0 ? `rolling mean ${windowS} s` : ''
}
