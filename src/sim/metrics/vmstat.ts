/**
 * /proc/vmstat event counters by their kernel names (mm/vmstat.c: vmstat_text[]). Only counters the
 * model produces are listed; all are monotonic.
 */
export const VMSTAT_COUNTERS = [
  'pgpgin',
  'pgpgout',
  'pswpin',
  'pswpout',
  'pgalloc_normal',
  'pgalloc_movable',
  'allocstall_dma',
  'allocstall_dma32',
  'allocstall_normal',
  'allocstall_movable',
  'pgfree',
  'pgactivate',
  'pgdeactivate',
  'pgfault',
  'pgmajfault',
  'pgrefill',
  'pgsteal_kswapd',
  'pgsteal_direct',
  'pgscan_kswapd',
  'pgscan_direct',
  'pgscan_direct_throttle',
  'pgscan_anon',
  'pgscan_file',
  'pgsteal_anon',
  'pgsteal_file',
  'pginodesteal',
  'kswapd_low_wmark_hit_quickly',
  'kswapd_high_wmark_hit_quickly',
  'pageoutrun',
  'pgrotated',
  'oom_kill',
  'workingset_refault_anon',
  'workingset_refault_file',
  'workingset_activate_anon',
  'workingset_activate_file',
  'workingset_restore_anon',
  'workingset_restore_file',
  'nr_vmscan_write',
  'nr_vmscan_immediate_reclaim',
  'zswpin',
  'zswpout',
  'zswpwb'
] as const

export type VmstatCounter = (typeof VMSTAT_COUNTERS)[number]
export type Vmstat = Record<VmstatCounter, number>

/**
 * All counters at zero. Built in one step: an object that gains its 42 properties one keyed store at a
 * time can drop to V8's dictionary mode, and every `vmstat.x++` on the hot paths would then be a
 * hash lookup.
 */
export function createVmstat(): Vmstat {
  return Object.fromEntries(VMSTAT_COUNTERS.map((c) => [c, 0])) as Vmstat
}

/** Gauges read at sample time (node_page_state items), also under kernel names. */
export const VMSTAT_GAUGES = [
  'nr_free_pages',
  'nr_inactive_anon',
  'nr_active_anon',
  'nr_inactive_file',
  'nr_active_file',
  'nr_isolated_anon',
  'nr_isolated_file',
  'nr_zspages',
  'nr_page_table_pages'
] as const

export type VmstatGauge = (typeof VMSTAT_GAUGES)[number]

/** Gauges that need a walk over all page frames: in the end totals only, not in the series. */
export const VMSTAT_SCAN_GAUGES = ['nr_dirty', 'nr_writeback'] as const

/** allocstall_* counter for a zone index (enum zone_type: DMA, DMA32, NORMAL, MOVABLE). */
export const ALLOCSTALL_BY_ZONE: VmstatCounter[] = [
  'allocstall_dma',
  'allocstall_dma32',
  'allocstall_normal',
  'allocstall_movable'
]
