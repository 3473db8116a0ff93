/** Pure derivations from a run's sampled series: counter → rate, pages → MiB, which charts exist. */
import { pagesToMiB } from './format'

export type Point = number | null
export type Unit = 'mib' | 'per_s' | 'pct' | 'events' | 'count' | 'ratio'

export interface SeriesData {
  t_s: number[]
  series: Record<string, number[]>
}

export interface LineSpec {
  /** The kernel name (or a derived name such as `allocstall`). */
  name: string
  data: Point[]
  unit: Unit
  /** 0 = the run's variant colour, 1.. = the secondary palette. */
  tone: number
  dashed?: boolean
  bar?: boolean
  /** Which y axis (index into ChartSpec.units). */
  axis?: 0 | 1
}

export interface Threshold {
  name: string
  value: number
  pages: number
}

export interface ChartSpec {
  id: string
  title: string
  /** Unit of the left (and optional right) y axis. */
  units: [Unit] | [Unit, Unit]
  lines: LineSpec[]
  thresholds: Threshold[]
  /** Whether a logarithmic y axis is offered (and its default). */
  log?: 'offer' | 'default'
}

/**
 * A run's series with the samples that came after it (a running run's live charts): a new object,
 * so the charts redraw. A series first seen in `more` is NaN (no point) before it.
 */
export function appendSamples<S extends SeriesData>(have: S, more: SeriesData): S {
  const series: Record<string, number[]> = {}
  for (const name of new Set([...Object.keys(have.series), ...Object.keys(more.series)])) {
    const before = have.series[name] ?? new Array<number>(have.t_s.length).fill(NaN)
    const after = more.series[name] ?? new Array<number>(more.t_s.length).fill(NaN)
    series[name] = [...before, ...after]
  }
  return { ...have, t_s: [...have.t_s, ...more.t_s], series }
}

/**
 * Per-second rate of a cumulative counter: (v[i] − v[i−1]) / (t[i] − t[i−1]). The first sample has
 * no predecessor and a counter that went backwards (a reset) has no rate: both are null.
 */
export function rate(t: number[], v: number[]): Point[] {
  const out: Point[] = new Array(v.length).fill(null)
  for (let i = 1; i < v.length; i++) {
    const dt = t[i] - t[i - 1]
    const dv = v[i] - v[i - 1]
    if (dt > 0 && dv >= 0) out[i] = dv / dt
  }
  return out
}

/** Increments between samples (events per interval); null where there is no predecessor. */
export function delta(v: number[]): Point[] {
  return v.map((x, i) => (i === 0 || x < v[i - 1] ? null : x - v[i - 1]))
}

/** Element-wise sum; null where any input is null. */
export function sum(arrays: Point[][]): Point[] {
  if (!arrays.length) return []
  return arrays[0].map((_, i) => {
    let total = 0
    for (const a of arrays) {
      const x = a[i]
      if (x === null || x === undefined) return null
      total += x
    }
    return total
  })
}

/**
 * Share of time stalled, in %, from a cumulative stall total in µs (psi total=). Sample times and
 * totals are rounded separately, so a fully stalled interval can come out a little above 100%:
 * it is shown as 100%.
 */
export function psiPercent(t: number[], totalUs: number[]): Point[] {
  return rate(t, totalUs).map((r) => (r === null ? null : Math.min(100, r / 1e4)))
}

export function toMiB(pages: number[]): number[] {
  return pages.map(pagesToMiB)
}

export function isMonotonic(v: number[]): boolean {
  for (let i = 1; i < v.length; i++) if (v[i] < v[i - 1]) return false
  return true
}

export function allZero(v: number[]): boolean {
  return v.every((x) => x === 0)
}

/** Ratio a/b; null where b is 0. */
export function ratio(a: number[], b: number[]): Point[] {
  return a.map((x, i) => (b[i] > 0 ? x / b[i] : null))
}

export interface Watermarks {
  min: number
  low: number
  high: number
}

function freeChart(d: SeriesData, wm: Watermarks | null): ChartSpec | null {
  const free = d.series.nr_free_pages
  if (!free) return null
  const thresholds = wm
    ? (['min', 'low', 'high'] as const).map((name) => ({
        name,
        value: pagesToMiB(wm[name]),
        pages: wm[name]
      }))
    : []
  // Watermarks are a few MiB of many GiB: a log axis keeps both readable.
  const peak = free.reduce((a, b) => Math.max(a, b), 1)
  const lowest = free.reduce((a, b) => Math.min(a, b), Infinity)
  const small = wm !== null && wm.high > 0 && wm.high < 0.05 * peak && lowest > 0
  return {
    id: 'free',
    title: 'Free memory vs watermarks',
    units: ['mib'],
    lines: [{ name: 'nr_free_pages', data: toMiB(free), unit: 'mib', tone: 0 }],
    thresholds,
    log: small ? 'default' : 'offer'
  }
}

function reclaimChart(d: SeriesData): ChartSpec | null {
  const { t_s, series } = d
  const lines: LineSpec[] = []
  const counters: Array<[string, number, boolean]> = [
    ['pgscan_kswapd', 0, false],
    ['pgsteal_kswapd', 0, true],
    ['pgscan_direct', 1, false],
    ['pgsteal_direct', 1, true]
  ]
  for (const [name, tone, dashed] of counters) {
    if (series[name])
      lines.push({ name, data: rate(t_s, series[name]), unit: 'per_s', tone, dashed })
  }
  const stalls = Object.keys(series).filter((n) => n.startsWith('allocstall_'))
  if (stalls.length) {
    const data = sum(stalls.map((n) => rate(t_s, series[n])))
    lines.push({ name: 'allocstall', data, unit: 'per_s', tone: 3, bar: true, axis: 1 })
  }
  if (!lines.length) return null
  return {
    id: 'reclaim',
    title: 'Reclaim: pgscan / pgsteal, kswapd vs direct; allocstall',
    units: stalls.length ? ['per_s', 'per_s'] : ['per_s'],
    lines,
    thresholds: []
  }
}

function cpuChart(d: SeriesData): ChartSpec | null {
  const names = Object.keys(d.series)
    .filter((n) => n.endsWith('_cpu_pct'))
    .sort((a, b) => (a === 'kswapd_cpu_pct' ? -1 : b === 'kswapd_cpu_pct' ? 1 : a.localeCompare(b)))
  if (!names.length) return null
  return {
    id: 'cpu',
    title: names.some((n) => n.startsWith('kcompressd')) ? 'kswapd / kcompressd CPU' : 'kswapd CPU',
    units: ['pct'],
    lines: names.map((name, i) => ({ name, data: d.series[name], unit: 'pct', tone: i })),
    thresholds: []
  }
}

function kcompressdFoliosChart(d: SeriesData): ChartSpec | null {
  const names = Object.keys(d.series)
    .filter((n) => /^kcompressd\d+_folios_per_s$/.test(n))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
  if (!names.length) return null
  return {
    id: 'kcompressd-folios',
    title: 'Folios written per kcompressd thread',
    units: ['per_s'],
    lines: names.map((name, i) => ({ name, data: d.series[name], unit: 'per_s', tone: i })),
    thresholds: []
  }
}

function queueChart(d: SeriesData): ChartSpec | null {
  const names = Object.keys(d.series).filter((n) => n.includes('queue'))
  if (!names.length) return null
  return {
    id: 'queue',
    title: 'Queue depth',
    units: ['count'],
    lines: names.map((name, i) => ({ name, data: d.series[name], unit: 'count', tone: i })),
    thresholds: []
  }
}

function psiChart(d: SeriesData): ChartSpec | null {
  const lines: LineSpec[] = []
  for (const [kind, tone] of [
    ['some', 0],
    ['full', 1]
  ] as const) {
    const total = d.series[`psi_${kind}_total_us`]
    if (total) lines.push({ name: kind, data: psiPercent(d.t_s, total), unit: 'pct', tone })
  }
  if (!lines.length) return null
  return {
    id: 'psi',
    title: 'PSI memory (share of time stalled)',
    units: ['pct'],
    lines,
    thresholds: []
  }
}

function poolChart(d: SeriesData): ChartSpec | null {
  const { series } = d
  const pools = ['zram_mem_used_pages', 'nr_zspages', 'zswap_pool_pages'].filter(
    (n) => series[n] && !allZero(series[n])
  )
  if (!pools.length) return null
  const lines: LineSpec[] = pools.map((name, i) => ({
    name,
    data: toMiB(series[name]),
    unit: 'mib',
    tone: i,
    dashed: name === 'nr_zspages'
  }))
  const ratios: Array<[string, string, string]> = [
    ['zram_orig_pages', 'zram_mem_used_pages', 'zram ratio'],
    ['zswap_stored_pages', 'zswap_pool_pages', 'zswap ratio']
  ]
  for (const [orig, used, name] of ratios) {
    if (series[orig] && series[used] && !allZero(series[used]))
      lines.push({ name, data: ratio(series[orig], series[used]), unit: 'ratio', tone: 3, axis: 1 })
  }
  const hasRatio = lines.some((l) => l.axis === 1)
  const zram = pools.some((n) => n !== 'zswap_pool_pages')
  const zswap = pools.includes('zswap_pool_pages')
  return {
    id: 'pool',
    title: zram && zswap ? 'zram / zswap pool' : zram ? 'zram pool' : 'zswap pool',
    units: hasRatio ? ['mib', 'ratio'] : ['mib'],
    lines,
    thresholds: []
  }
}

function refaultChart(d: SeriesData): ChartSpec | null {
  const names = ['workingset_refault_anon', 'workingset_refault_file'].filter((n) => d.series[n])
  if (!names.length) return null
  return {
    id: 'refault',
    title: 'Refaults',
    units: ['per_s'],
    lines: names.map((name, i) => ({
      name,
      data: rate(d.t_s, d.series[name]),
      unit: 'per_s',
      tone: i
    })),
    thresholds: []
  }
}

function eventChart(d: SeriesData): ChartSpec | null {
  const names = Object.keys(d.series).filter(
    (n) =>
      (/launch|kill/.test(n) && n !== 'oom_kill') || (n === 'oom_kill' && !allZero(d.series[n]))
  )
  if (!names.length) return null
  return {
    id: 'events',
    title: 'App launches / kills (per sample)',
    units: ['events'],
    lines: names.map((name, i) => {
      const v = d.series[name]
      return isMonotonic(v)
        ? { name, data: delta(v), unit: 'events', tone: i, bar: true }
        : { name, data: v, unit: 'events', tone: i }
    }),
    thresholds: []
  }
}

/** The run page's charts, in reading order, each only when its series exist. */
export function buildCharts(d: SeriesData, wm: Watermarks | null): ChartSpec[] {
  return [
    freeChart(d, wm),
    reclaimChart(d),
    cpuChart(d),
    queueChart(d),
    kcompressdFoliosChart(d),
    psiChart(d),
    poolChart(d),
    refaultChart(d),
    eventChart(d)
  ].filter((c): c is ChartSpec => c !== null)
}

/** True when every line of a chart is zero or missing: nothing happened on it during the run. */
export function isQuiet(spec: ChartSpec): boolean {
  return spec.lines.every((l) => l.data.every((v) => v === null || v === 0))
}
