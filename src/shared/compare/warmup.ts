/**
 * Summaries without a warm-up: a run's metrics recomputed from its sampled series over the time
 * after the first W seconds. Counters become differences over that window and rates are divided by
 * its length, with the formulas of the simulator's derive(); CPU shares and the kcompressd queue
 * depth are averaged over its samples; end-of-run values (PSI avg10, the zram pool) are unchanged.
 * What the series cannot give (latency percentiles, per-event counts the sampler does not keep)
 * is left out rather than shown for the whole run.
 */
import type { StoredResult } from '../result'

export interface SeriesLike {
  t_s: number[]
  series: Record<string, number[]>
}

const STALLS = ['allocstall_dma', 'allocstall_dma32', 'allocstall_normal', 'allocstall_movable']

/** The series the recomputation reads: every counter the derived metrics use, and the shares. */
export const WARMUP_SERIES = [
  'pgscan_kswapd',
  'pgscan_direct',
  'pgsteal_kswapd',
  'pgsteal_direct',
  'pgscan_direct_throttle',
  'pgsteal_anon',
  'pgsteal_file',
  'pageoutrun',
  'pswpin',
  'pswpout',
  'workingset_refault_anon',
  'workingset_refault_file',
  'zswpout',
  'zswpwb',
  'oom_kill',
  'app_launches',
  'lmkd_kills',
  'psi_some_total_us',
  'psi_full_total_us',
  'kswapd_cpu_pct',
  'kcompressd_queue_depth',
  ...STALLS
]

const r2 = (x: number) => Math.round(x * 100) / 100

/** Interval-weighted mean of a per-interval share over samples first..last. */
function meanOver(t: number[], v: number[], first: number): number {
  let weighted = 0
  let span = 0
  for (let i = Math.max(1, first + 1); i < t.length; i++) {
    const dt = t[i] - t[i - 1]
    weighted += v[i] * dt
    span += dt
  }
  return span > 0 ? weighted / span : 0
}

/** The run's metrics over simulated time from `warmupS` to the end, or null if nothing is left. */
export function afterWarmup(
  result: StoredResult,
  s: SeriesLike,
  warmupS: number
): StoredResult | null {
  // Samples start one interval in; at t = 0 every counter is 0 (an observed capture's counters
  // count from its first snapshot), so that origin is the sample before the first.
  const t = s.t_s[0] > 0 ? [0, ...s.t_s] : s.t_s
  const at = (name: string): number[] => (s.t_s[0] > 0 ? [0, ...s.series[name]] : s.series[name])
  const first = t.findIndex((x) => x >= warmupS)
  if (first < 0 || first >= t.length - 1) return null
  const last = t.length - 1
  const duration = t[last] - t[first]
  const has = (name: string) => s.series[name] !== undefined
  const delta = (name: string) => (has(name) ? at(name)[last] - at(name)[first] : 0)
  const sum = (names: string[]) => names.reduce((total, n) => total + delta(n), 0)
  const perS = (x: number) => r2(x / duration)

  const vmstat: Record<string, number> = {}
  for (const name of WARMUP_SERIES)
    if (
      has(name) &&
      !name.endsWith('_pct') &&
      !name.startsWith('psi_') &&
      name !== 'kcompressd_queue_depth'
    )
      vmstat[name] = delta(name)

  const derived: Record<string, number> = {}
  const whole = result.derived ?? {}
  const set = (key: string, value: number, needs: string[]) => {
    if (needs.every(has)) derived[key] = value
  }
  const allocstall = sum(STALLS.filter(has))
  if (STALLS.some(has)) {
    derived.allocstall = allocstall
    derived.allocstall_per_s = perS(allocstall)
  }
  set('pgsteal_anon_per_s', perS(delta('pgsteal_anon')), ['pgsteal_anon'])
  set('pgsteal_file_per_s', perS(delta('pgsteal_file')), ['pgsteal_file'])
  set('pgscan_per_s', perS(delta('pgscan_kswapd') + delta('pgscan_direct')), [
    'pgscan_kswapd',
    'pgscan_direct'
  ])
  set('kswapd_velocity_per_s', perS(delta('pgscan_kswapd')), ['pgscan_kswapd'])
  set(
    'kswapd_efficiency_pct',
    r2((100 * delta('pgsteal_kswapd')) / Math.max(1, delta('pgscan_kswapd'))),
    ['pgsteal_kswapd', 'pgscan_kswapd']
  )
  set(
    'direct_scan_share_pct',
    r2(
      (100 * delta('pgscan_direct')) / Math.max(1, delta('pgscan_kswapd') + delta('pgscan_direct'))
    ),
    ['pgscan_kswapd', 'pgscan_direct']
  )
  set('pswpout_per_s', perS(delta('pswpout')), ['pswpout'])
  set('pswpin_per_s', perS(delta('pswpin')), ['pswpin'])
  set('refaults_per_s', perS(delta('workingset_refault_anon') + delta('workingset_refault_file')), [
    'workingset_refault_anon',
    'workingset_refault_file'
  ])
  set('app_launches', delta('app_launches'), ['app_launches'])
  set('lmkd_kills', delta('lmkd_kills'), ['lmkd_kills'])
  set('kswapd_cpu_pct', r2(meanOver(t, has('kswapd_cpu_pct') ? at('kswapd_cpu_pct') : [], first)), [
    'kswapd_cpu_pct'
  ])
  set(
    'kcompressd_queue_depth_mean',
    r2(meanOver(t, has('kcompressd_queue_depth') ? at('kcompressd_queue_depth') : [], first)),
    ['kcompressd_queue_depth']
  )
  for (const key of ['zram_mem_used_mb', 'zram_ratio'])
    if (whole[key] !== undefined) derived[key] = whole[key]

  const psi = result.psi
  return {
    vmstat,
    derived,
    psi: psi && {
      some: psi.some && {
        avg10: psi.some.avg10,
        total_us: has('psi_some_total_us') ? delta('psi_some_total_us') : undefined
      },
      full: psi.full && {
        avg10: psi.full.avg10,
        total_us: has('psi_full_total_us') ? delta('psi_full_total_us') : undefined
      }
    },
    histograms: {}
  }
}
