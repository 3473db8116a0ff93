import { readFileSync } from 'node:fs'
import { applySets, resolvePreset, runSimulationSync } from '../../src/sim'
import type { RunResult } from '../../src/sim/result'
import { mean, welchT } from '../../src/shared/stats'

/*
 * CPU contention and kswapd throughput on the real kernel (docs/twin.md): 13 boots of Linux 6.12 in
 * the twin guest per configuration on each of two hosts (series m and f, then g, of
 * test/validation/twin-contention.json), beside the model's twin-eater-512m with the same change.
 * Shared by test/validation and scripts/validate.ts.
 */

export interface TwinBoot {
  config: string
  series: string
  boot: number
  [metric: string]: number | string
}

export const TWIN_BOOTS: TwinBoot[] = JSON.parse(
  readFileSync(new URL('./twin-contention.json', import.meta.url), 'utf8')
) as TwinBoot[]

export interface TwinConfig {
  id: string
  label: string
  /** The guest's change from the reference (scripts/twin/matrix.sh). */
  guest: string
  /** The same change to the model's preset. */
  sets: string[]
}

/** The twin's CPU speed at one vCPU (the same micro-benchmarks as the preset's, docs/twin.md). */
const ONE_CPU = 'device.cpus=[{"class":"tcg","count":1,"speed":0.142}]'
/**
 * The free chunks of Unmovable pageblocks at the eater's start at one vCPU: per-order means of four
 * boots rounded half up (test/validation/twin-boost-evidence.txt), 238 pages.
 */
const ONE_CPU_UNMOVABLE = 'device.unmovable_free_chunks=[0,1,1,1,0,1,1,1]'

export const TWIN_CONFIGS: TwinConfig[] = [
  { id: 'ref', label: '2 vCPUs (reference)', guest: 'SMP=2', sets: [] },
  { id: 'smp1', label: '1 vCPU', guest: 'SMP=1', sets: [ONE_CPU, ONE_CPU_UNMOVABLE] },
  {
    id: 'hog2',
    label: '2 vCPUs, 2 CPU hogs',
    guest: 'SMP=2 hogs=2',
    sets: ['workload.cpu_hogs.count=2']
  },
  {
    id: 'smp1hog1',
    label: '1 vCPU, 1 CPU hog',
    guest: 'SMP=1 hogs=1',
    sets: [ONE_CPU, ONE_CPU_UNMOVABLE, 'workload.cpu_hogs.count=1']
  },
  {
    id: 'rate40',
    label: 'eater at 40 MiB/s',
    guest: 'SMP=2 rate=40',
    sets: ['workload.rate_mb_s=40', 'duration_s=22']
  },
  {
    id: 'lzorle',
    label: 'zram lzo-rle',
    guest: 'SMP=2 zalg=lzo-rle',
    sets: ['device.swap.zram.comp_algorithm=lzo-rle']
  }
]

export interface TwinMetric {
  key: string
  /** The real boot's value. */
  real: (b: TwinBoot) => number
  /** The model's value for the same quantity. */
  model: (r: RunResult) => number
}

const n = (b: TwinBoot, k: string): number => Number(b[k] ?? NaN)
const thread = (r: RunResult, name: string): number =>
  (r.threads.find((t) => t.name === name)?.cpu_ms ?? 0) / 1000

export const TWIN_METRICS: TwinMetric[] = [
  { key: 'allocstall', real: (b) => n(b, 'allocstall'), model: (r) => r.derived.allocstall },
  {
    key: 'direct_steal_pct',
    real: (b) => (100 * n(b, 'pgsteal_direct')) / (n(b, 'pgsteal_direct') + n(b, 'pgsteal_kswapd')),
    model: (r) =>
      (100 * r.vmstat.pgsteal_direct) / (r.vmstat.pgsteal_direct + r.vmstat.pgsteal_kswapd)
  },
  {
    key: 'pgscan_anon_per_pgsteal_anon',
    real: (b) => n(b, 'pgscan_anon') / n(b, 'pgsteal_anon'),
    model: (r) => r.vmstat.pgscan_anon / r.vmstat.pgsteal_anon
  },
  { key: 'pageoutrun', real: (b) => n(b, 'pageoutrun'), model: (r) => r.vmstat.pageoutrun },
  {
    key: 'pgscan_direct_throttle',
    real: (b) => n(b, 'pgscan_direct_throttle'),
    model: (r) => r.vmstat.pgscan_direct_throttle
  },
  { key: 'kswapd_cpu_s', real: (b) => n(b, 'kswapd_cpu_s'), model: (r) => thread(r, 'kswapd0') },
  {
    key: 'eater_cpu_s',
    real: (b) => n(b, 'eater_cpu_s'),
    // Both read before the eater exits (its /proc/self/schedstat at its peak).
    model: (r) => r.derived.eater_cpu_s
  },
  {
    key: 'eater_alloc_s',
    real: (b) => n(b, 'eater_alloc_s'),
    model: (r) => r.derived.eater_alloc_s
  },
  { key: 'psi_some_s', real: (b) => n(b, 'psi_some_s'), model: (r) => r.psi.some.total_us / 1e6 },
  { key: 'psi_full_s', real: (b) => n(b, 'psi_full_s'), model: (r) => r.psi.full.total_us / 1e6 },
  {
    key: 'zram_compr_mb',
    real: (b) => n(b, 'zram_compr_mb'),
    model: (r) => r.derived.peak_zram_compr_mb
  },
  {
    key: 'zram_mem_used_mb',
    real: (b) => n(b, 'zram_mem_used_mb'),
    model: (r) => r.derived.peak_zram_mem_used_mb
  }
]

/**
 * The contention matrix's two hosts: 13 interleaved rounds on each (docs/twin.md). A guest's CPU
 * times at two vCPUs depend on how its host runs the two vCPU threads, so rounds are compared
 * within a host, and a real direction counts where both hosts give it.
 */
export const HOST_A = ['m', 'f']
export const HOST_B = ['g']

/** The boots of one configuration (the contention matrix; DEBUG_TLBFLUSH boots apart). */
export function boots(config: string, series = HOST_A): TwinBoot[] {
  return TWIN_BOOTS.filter((b) => b.config === config && series.includes(b.series))
}

export interface RealSummary {
  mean: number
  min: number
  max: number
  values: number[]
}

export function realSummary(config: string, m: TwinMetric, series = HOST_A): RealSummary {
  const values = boots(config, series).map(m.real)
  return { mean: mean(values), min: Math.min(...values), max: Math.max(...values), values }
}

/**
 * Seeds of the model's runs: the twin eater draws nothing at random, but CPU hogs start at a
 * seeded point of the first ticks, which decides whether the eater and kswapd share their CPUs'
 * ticks in phase.
 */
export const TWIN_SEEDS = [1, 2, 3, 4]

const cache = new Map<string, RunResult[]>()
/** The model's runs of a configuration, one per seed. */
export function modelRuns(config: string): RunResult[] {
  const hit = cache.get(config)
  if (hit) return hit
  const c = TWIN_CONFIGS.find((x) => x.id === config)!
  const sc = applySets(resolvePreset('twin-eater-512m'), c.sets)
  const rs = TWIN_SEEDS.map((seed) => runSimulationSync(sc, {}, { seed }))
  cache.set(config, rs)
  return rs
}

/** The model's value of a metric for a configuration: the mean over the seeds. */
export function modelValue(config: string, m: TwinMetric): number {
  return mean(modelRuns(config).map(m.model))
}

export type Direction = -1 | 0 | 1

/** A change smaller than this (relative) is no direction, in the real boots or the model. */
export const MIN_CHANGE = 0.03

/**
 * The real direction of a configuration against the reference: ±1 when Welch's test over the
 * boots says the means differ at 5% and by at least MIN_CHANGE, 0 otherwise.
 */
export function realDirection(config: string, m: TwinMetric, series = HOST_A): Direction {
  const a = realSummary('ref', m, series).values
  const b = realSummary(config, m, series).values
  const w = welchT(a, b)
  if (!(w.p < 0.05) || Math.abs(w.diff.estimate) < MIN_CHANGE * Math.abs(mean(a))) return 0
  return Math.sign(w.diff.estimate) as Direction
}

/** Whether the second host's boots give the first host's direction (else the row is unsettled). */
export function replicated(config: string, m: TwinMetric): boolean {
  return realDirection(config, m, HOST_A) === realDirection(config, m, HOST_B)
}

/** The model's direction: the change of the seeds' mean against the reference, beyond MIN_CHANGE. */
export function modelDirection(config: string, m: TwinMetric, tolerance = MIN_CHANGE): Direction {
  const rel = modelChange(config, m)
  if (Math.abs(rel) <= tolerance) return 0
  return Math.sign(rel) as Direction
}

export interface Change {
  estimate: number
  lo: number
  hi: number
}

/**
 * The boots' change of a configuration against the reference, relative to the reference's mean:
 * the difference of means with Welch's 95% interval.
 */
export function realChange(config: string, m: TwinMetric, series = HOST_A): Change {
  const a = realSummary('ref', m, series).values
  const b = realSummary(config, m, series).values
  const base = Math.abs(mean(a))
  const { diff } = welchT(a, b)
  return { estimate: diff.estimate / base, lo: diff.lo / base, hi: diff.hi / base }
}

/** The model's change of a configuration against its reference, relative to the reference. */
export function modelChange(config: string, m: TwinMetric): number {
  const base = modelValue('ref', m)
  const x = modelValue(config, m)
  return base === 0 ? (x === 0 ? 0 : Infinity * Math.sign(x)) : (x - base) / Math.abs(base)
}

/**
 * The boot lines of an evidence file in this folder (`NAME key=value …`, `#` comments) whose name
 * starts with `prefix`: each line's name and fields.
 */
export function evidenceLines(
  file: string,
  prefix: string
): { name: string; f: Record<string, string> }[] {
  return readFileSync(new URL(`./${file}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .map((l) => {
      const [name, ...kvs] = l.split(' ')
      return { name, f: Object.fromEntries(kvs.map((kv) => kv.split('='))) }
    })
}
