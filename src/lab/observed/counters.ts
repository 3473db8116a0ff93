import { VMSTAT_COUNTERS, VMSTAT_GAUGES } from '../../sim/metrics/vmstat'

/**
 * node_stat_item entries that only ever count up although they carry the `nr_` prefix of the
 * state items (include/linux/mmzone.h), and the CONFIG_DEBUG_TLBFLUSH events named `nr_tlb_*`.
 */
const CUMULATIVE_NR = new Set([
  'nr_dirtied',
  'nr_written',
  'nr_throttled_written',
  'nr_vmscan_write',
  'nr_vmscan_immediate_reclaim',
  'nr_foll_pin_acquired',
  'nr_foll_pin_released'
])

/** State items without the prefix: the count of shadow-entry xarray nodes rises and falls. */
const GAUGES_WITHOUT_NR = new Set(['workingset_nodes'])

/**
 * True for a gauge (an amount now: take the last value), false for a cumulative event counter
 * (take differences). The kernel's naming decides, with the exceptions above.
 */
export function isGauge(name: string): boolean {
  if (name.startsWith('nr_')) return !CUMULATIVE_NR.has(name) && !name.startsWith('nr_tlb_')
  return GAUGES_WITHOUT_NR.has(name)
}

/** Names every /proc/vmstat has (or had: `allocstall` before 4.11), to recognise the file. */
const WELL_KNOWN = new Set<string>([
  ...VMSTAT_COUNTERS,
  ...VMSTAT_GAUGES,
  'allocstall',
  'workingset_refault'
])

export function isWellKnownCounter(name: string): boolean {
  return WELL_KNOWN.has(name)
}

/** Counter names as mm/vmstat.c prints them. */
export const COUNTER_NAME = /^[a-z][a-z0-9_]*$/

/** Counters the simulator samples, so the run page charts them for observed runs too. */
const CHARTED = new Set<string>([...VMSTAT_COUNTERS, ...VMSTAT_GAUGES])

export function isCharted(name: string): boolean {
  return CHARTED.has(name) || name.startsWith('allocstall_')
}
