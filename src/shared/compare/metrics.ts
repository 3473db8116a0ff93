/**
 * The rows of the compare table: which numbers of a run's result are compared, in which unit, and how
 * seeds are averaged (arithmetic for counts and times, harmonic for rates).
 */
import type { StoredResult } from '../result'

export type MetricUnit = 'count' | 'per_s' | 'pct' | 'us' | 'ms' | 's' | 'mib' | 'ratio'
export type MeanKind = 'arithmetic' | 'harmonic'

export interface CompareMetric {
  key: string
  label: string
  section: string
  unit: MetricUnit
  mean: MeanKind
  /** Which direction is an improvement, when that is not a matter of opinion. */
  better: 'lower' | 'higher' | null
  /** One line for the table's hover help. */
  help: string
}

type Row = Omit<CompareMetric, 'section'>

const count = (key: string, help: string, better: Row['better'] = null): Row => ({
  key,
  label: key,
  unit: 'count',
  mean: 'arithmetic',
  better,
  help
})
const rate = (key: string, help: string): Row => ({
  key,
  label: key,
  unit: 'per_s',
  mean: 'harmonic',
  better: null,
  help
})
const pct = (key: string, help: string, better: Row['better'] = null): Row => ({
  key,
  label: key,
  unit: 'pct',
  mean: 'arithmetic',
  better,
  help
})
const latency = (hist: string, label: string, unit: 'us' | 'ms'): Row[] =>
  (['p50', 'p90', 'p99'] as const).map((p) => ({
    key: `${hist}.${p}`,
    label: `${label} ${p}`,
    unit,
    mean: 'arithmetic' as const,
    better: 'lower' as const,
    help: `${p} of ${label.replace(/_/g, ' ')} in each run, averaged over seeds`
  }))

const SECTIONS: Array<[string, Row[]]> = [
  [
    'Reclaim',
    [
      count('allocstall', 'direct reclaim entries (allocstall_* summed)', 'lower'),
      count('pgscan_kswapd', 'pages scanned by kswapd'),
      count('pgscan_direct', 'pages scanned in direct reclaim', 'lower'),
      count('pgsteal_kswapd', 'pages reclaimed by kswapd'),
      count('pgsteal_direct', 'pages reclaimed in direct reclaim', 'lower'),
      rate('pgsteal_anon_per_s', 'anonymous pages reclaimed per second of the run'),
      rate('pgscan_per_s', 'pages scanned per second (kswapd + direct)'),
      pct('kswapd_efficiency_pct', 'pgsteal_kswapd / pgscan_kswapd', 'higher'),
      pct('direct_scan_share_pct', 'share of scanning done in direct reclaim', 'lower'),
      count('pageoutrun', 'kswapd balance_pgdat passes'),
      count(
        'pgscan_kswapd_after_peak',
        'pages kswapd scanned while the memory eater exited (its folios are skipped, not reclaimed)'
      ),
      count('pgscan_direct_throttle', 'direct reclaimers throttled', 'lower')
    ]
  ],
  [
    'Swap and refaults',
    [
      count('pswpout', 'pages swapped out'),
      count('pswpin', 'pages swapped in', 'lower'),
      rate('pswpout_per_s', 'pages swapped out per second'),
      count('workingset_refault_anon', 'anonymous pages faulted back soon after eviction', 'lower'),
      count('workingset_refault_file', 'file pages read back soon after eviction', 'lower'),
      rate('refaults_per_s', 'refaults (anon + file) per second'),
      count('zswpout', 'pages stored in zswap'),
      count('zswpwb', 'zswap pages written back to the backing device'),
      {
        key: 'zram_mem_used_mb',
        label: 'zram_mem_used_mb',
        unit: 'mib',
        mean: 'arithmetic',
        better: null,
        help: 'zram pool size at the end (mem_used_total)'
      },
      {
        key: 'peak_zram_mem_used_mb',
        label: 'peak_zram_mem_used_mb',
        unit: 'mib',
        mean: 'arithmetic',
        better: null,
        help: 'zram pool size when the memory eater ends its passes, before it exits'
      },
      {
        key: 'zram_ratio',
        label: 'zram_ratio',
        unit: 'ratio',
        mean: 'arithmetic',
        better: null,
        help: 'orig_data_size / compr_data_size at the end'
      }
    ]
  ],
  [
    'CPU',
    [
      pct('kswapd_cpu_pct', 'kswapd CPU time over the run, % of one CPU'),
      pct('kcompressd_cpu_pct', 'kcompressd CPU time (all threads), % of one CPU')
    ]
  ],
  [
    'Pressure',
    [
      pct('psi.some.avg10', '/proc/pressure/memory some avg10 at the end', 'lower'),
      pct('psi.full.avg10', '/proc/pressure/memory full avg10 at the end', 'lower'),
      {
        key: 'psi.some.total_ms',
        label: 'psi.some.total_ms',
        unit: 'ms',
        mean: 'arithmetic',
        better: 'lower',
        help: 'time some task stalled on memory (total=, in ms)'
      }
    ]
  ],
  [
    'Latency',
    [
      ...latency('alloc_slowpath_latency', 'alloc_slowpath', 'us'),
      ...latency('direct_reclaim_latency', 'direct_reclaim', 'us'),
      ...latency('launch_latency', 'launch', 'ms')
    ]
  ],
  [
    'Workload',
    [
      count('app_launches', 'app launches completed', 'higher'),
      count('lmkd_kills', 'processes killed by lmkd', 'lower'),
      count('oom_kill', 'OOM killer invocations', 'lower'),
      count('build_jobs_done', 'build jobs completed', 'higher'),
      {
        key: 'eater_total_s',
        label: 'eater_total_s',
        unit: 's',
        mean: 'arithmetic',
        better: 'lower',
        help: 'time the memory eater took to touch its memory'
      },
      {
        key: 'eater_cpu_s',
        label: 'eater_cpu_s',
        unit: 's',
        mean: 'arithmetic',
        better: null,
        help: 'CPU time of the memory eater until its passes end (faults, its direct reclaim, TLB flushes)'
      },
      {
        key: 'eater_sys_s',
        label: 'eater_sys_s',
        unit: 's',
        mean: 'arithmetic',
        better: null,
        help: 'of the eater’s CPU time, the time in kernel code (stime: faults, swap-ins, its direct reclaim)'
      }
    ]
  ],
  [
    'kcompressd',
    [
      {
        key: 'kcompressd_queue_depth_mean',
        label: 'kcompressd_queue_depth_mean',
        unit: 'count',
        mean: 'arithmetic',
        better: null,
        help: 'time-weighted mean kcompressd fifo depth'
      },
      count('kcompressd_queue_depth_max', 'largest kcompressd fifo depth'),
      count('kcompressd_queue_full', 'folios compressed synchronously because the fifo was full'),
      pct(
        'kcompressd_folios_top_share_pct',
        'share of the queued folios written by the busiest kcompressd thread (100%: one did all)'
      ),
      count('kcompressd_folios_kept', 'folios left on the LRU after queueing'),
      count('kcompressd_rescanned_done', 'compressed folios found again by the scan'),
      count('kcompressd_stuck_locked', 'folios left locked in a never-drained fifo', 'lower'),
      count('kcompressd_fault_waits', 'faults that waited for a queued folio', 'lower')
    ]
  ]
]

export const COMPARE_METRICS: CompareMetric[] = SECTIONS.flatMap(([section, rows]) =>
  rows.map((r) => ({ ...r, section }))
)

const HISTOGRAM_UNIT_DIVISOR = { us: 1, ms: 1000 } as const

/** The metric's value in one run, or undefined when that run does not have it. */
export function metricValue(metric: CompareMetric, result: StoredResult): number | undefined {
  const k = metric.key
  if (k.startsWith('psi.')) {
    const [, line, field] = k.split('.') as [string, 'some' | 'full', string]
    const psi = result.psi?.[line]
    if (!psi) return undefined
    return field === 'total_ms'
      ? psi.total_us === undefined
        ? undefined
        : psi.total_us / 1000
      : psi.avg10
  }
  const dot = k.indexOf('.')
  if (dot > 0 && (metric.unit === 'us' || metric.unit === 'ms')) {
    const hist = result.histograms?.[k.slice(0, dot)]
    const v = hist?.[`${k.slice(dot + 1) as 'p50' | 'p90' | 'p99'}_us`]
    if (hist === undefined || v === undefined || (hist.count ?? 0) === 0) return undefined
    return v / HISTOGRAM_UNIT_DIVISOR[metric.unit]
  }
  if (k === 'oom_kill') return result.vmstat?.oom_kill ?? result.derived?.oom_kills
  return result.derived?.[k] ?? result.vmstat?.[k]
}
