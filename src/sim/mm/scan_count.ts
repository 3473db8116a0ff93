/*
 * mm/vmscan.c, how much of each LRU list one pass scans: the inactive/active balance, the
 * scan_control flags prepared per node, and get_scan_count()'s anon/file split.
 */
import type { Kernel } from '../kernel'
import type { Lruvec, Pgdat } from './mmzone'
import * as mmzone_mod from './mmzone'
import * as swap_mod from './swap'
import { type scan_control } from './scan_control'
import * as scan_control_mod from './scan_control'
import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { DEACTIVATE_ANON, DEACTIVATE_FILE } = scan_control_mod
const { int_sqrt } = mmzone_mod
const { get_nr_swap_pages } = swap_mod
const {
  LRU_ACTIVE,
  LRU_ACTIVE_FILE,
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  MAX_SWAPPINESS,
  PAGE_SHIFT,
  is_file_lru
} = mm_types

/**
 * mm/vmscan.c: inactive_is_low()
 * The inactive list is low when inactive * int_sqrt(10 * gb) < active.
 */
export function inactive_is_low(lruvec: Lruvec, inactive_lru: number): boolean {
  const inactive = lruvec.nr[inactive_lru]
  const active = lruvec.nr[inactive_lru + LRU_ACTIVE]
  const gb = Math.floor((inactive + active) / 2 ** (30 - PAGE_SHIFT))
  const inactive_ratio = gb ? int_sqrt(10 * gb) : 1
  return inactive * inactive_ratio < active
}

/**
 * mm/vmscan.c: prepare_scan_control()
 * Deactivation when refaults were seen or the inactive list is low; cache_trim_mode when plenty of
 * inactive file is not thrashing; file_is_tiny when file + free is under the high watermarks.
 */
export function prepare_scan_control(_k: Kernel, pgdat: Pgdat, sc: scan_control): void {
  const lruvec = pgdat.lruvec
  sc.anon_cost = lruvec.anon_cost
  sc.file_cost = lruvec.file_cost
  if (!sc.force_deactivate) {
    if (
      lruvec.workingset_activate[0] !== lruvec.refaults[0] ||
      inactive_is_low(lruvec, LRU_INACTIVE_ANON)
    )
      sc.may_deactivate |= DEACTIVATE_ANON
    else sc.may_deactivate &= ~DEACTIVATE_ANON
    if (
      lruvec.workingset_activate[1] !== lruvec.refaults[1] ||
      inactive_is_low(lruvec, LRU_INACTIVE_FILE)
    )
      sc.may_deactivate |= DEACTIVATE_FILE
    else sc.may_deactivate &= ~DEACTIVATE_FILE
  } else sc.may_deactivate = DEACTIVATE_ANON | DEACTIVATE_FILE
  const n = lruvec.nr
  let file = n[LRU_INACTIVE_FILE]
  sc.cache_trim_mode =
    Math.floor(file / 2 ** sc.priority) > 0 && (sc.may_deactivate & DEACTIVATE_FILE) === 0
  const free = pgdat.zone.free
  file = n[LRU_ACTIVE_FILE] + n[LRU_INACTIVE_FILE]
  const total_high_wmark = pgdat.zone.high_wmark_pages()
  const anon = n[LRU_INACTIVE_ANON]
  sc.file_is_tiny =
    file + free <= total_high_wmark &&
    (sc.may_deactivate & DEACTIVATE_ANON) === 0 &&
    Math.floor(anon / 2 ** sc.priority) > 0
}

export const SCAN_EQUAL = 0
export const SCAN_FRACT = 1
export const SCAN_ANON = 2
export const SCAN_FILE = 3

/**
 * mm/vmscan.c: get_scan_count()
 * Decides how many folios of each LRU to scan: lru_size >> priority, split between anon and file by
 * swappiness and the recorded anon/file costs (SCAN_FRACT), or one type only.
 * Returns the scan balance; fills nr[] and fraction[]/denominator (for tests).
 * Simplified: no memcg protection.
 */
export function get_scan_count(
  k: Kernel,
  pgdat: Pgdat,
  sc: scan_control,
  swappiness: number,
  nr: number[],
  out?: { fraction: number[]; denominator: number }
): number {
  const lruvec = pgdat.lruvec
  let scan_balance: number
  let fraction = [0, 0]
  let denominator = 0
  if (!sc.may_swap || get_nr_swap_pages(k) <= 0) scan_balance = SCAN_FILE
  else if (!sc.priority && swappiness) scan_balance = SCAN_EQUAL
  else if (sc.file_is_tiny) scan_balance = SCAN_ANON
  else if (sc.cache_trim_mode) scan_balance = SCAN_FILE
  else {
    scan_balance = SCAN_FRACT
    let total_cost = sc.anon_cost + sc.file_cost
    const anon_cost = total_cost + sc.anon_cost
    const file_cost = total_cost + sc.file_cost
    total_cost = anon_cost + file_cost
    const ap = Math.floor((swappiness * (total_cost + 1)) / (anon_cost + 1))
    const fp = Math.floor(((MAX_SWAPPINESS - swappiness) * (total_cost + 1)) / (file_cost + 1))
    fraction = [ap, fp]
    denominator = ap + fp
  }
  for (let lru = 0; lru < 4; lru++) {
    const file = is_file_lru(lru)
    const lruvec_size = lruvec.nr[lru]
    let scan = Math.floor(lruvec_size / 2 ** sc.priority)
    switch (scan_balance) {
      case SCAN_EQUAL:
        break
      case SCAN_FRACT:
        scan = denominator ? Math.floor((scan * fraction[file]) / denominator) : 0
        break
      case SCAN_FILE:
      case SCAN_ANON:
        if ((scan_balance === SCAN_FILE) !== (file === 1)) scan = 0
        break
    }
    nr[lru] = scan
  }
  if (out) {
    out.fraction = fraction
    out.denominator = denominator
  }
  return scan_balance
}
