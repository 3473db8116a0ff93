import type { Kernel } from '../kernel'
import * as swap_mod from './swap'
import * as lru_mod from './lru'
import * as lru_gen_mod from './lru_gen'
import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { get_nr_swap_pages } = swap_mod
const { lru_note_cost_refault, workingset_age_nonresident } = lru_mod
const { lru_gen_eviction, lru_gen_refault } = lru_gen_mod
const {
  LRU_ACTIVE_ANON,
  LRU_ACTIVE_FILE,
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  PG_active,
  PG_workingset
} = mm_types

const EVICTION_MASK = 2 ** 30

/**
 * mm/workingset.c: workingset_eviction()
 * Ages the node's nonresident clock and returns a shadow entry (eviction time + PG_workingset).
 * Simplified: no memcg id, no bucket_order (the clock is exact).
 */
export function workingset_eviction(k: Kernel, pfn: number): number {
  if (k.lru_gen) return lru_gen_eviction(k, pfn)
  const lruvec = k.pgdats[k.pages.nid[pfn]].lruvec
  workingset_age_nonresident(lruvec, 1)
  const eviction = lruvec.nonresident_age % EVICTION_MASK
  const ws = (k.pages.flags[pfn] & PG_workingset) !== 0 ? 1 : 0
  return eviction * 2 + ws + 1
}

/**
 * mm/workingset.c: workingset_test_recent() + workingset_refault()
 * Refault distance = clock now − clock at eviction; the folio is activated if the distance fits in
 * the workingset (active file, + inactive file for anon, + anon lists while swap is free).
 * `in_fault`: the folio comes in through a page fault (lru_gen_in_fault()).
 */
export function workingset_refault(
  k: Kernel,
  pfn: number,
  shadow: number,
  file: number,
  in_fault: boolean
): void {
  if (shadow === 0) return
  if (k.lru_gen) {
    lru_gen_refault(k, pfn, shadow, file, in_fault)
    return
  }
  const v = k.vmstat
  const lruvec = k.pgdats[k.pages.nid[pfn]].lruvec
  const packed = shadow - 1
  const eviction = Math.floor(packed / 2)
  const workingset = packed & 1
  if (file) v.workingset_refault_file++
  else v.workingset_refault_anon++
  const refault = lruvec.nonresident_age % EVICTION_MASK
  const refault_distance = (refault - eviction + EVICTION_MASK) % EVICTION_MASK
  const n = lruvec.nr
  let workingset_size = n[LRU_ACTIVE_FILE]
  if (!file) workingset_size += n[LRU_INACTIVE_FILE]
  if (get_nr_swap_pages(k) > 0) {
    workingset_size += n[LRU_ACTIVE_ANON]
    if (file) workingset_size += n[LRU_INACTIVE_ANON]
  }
  if (refault_distance > workingset_size) return
  k.pages.flags[pfn] |= PG_active
  workingset_age_nonresident(lruvec, 1)
  if (file) v.workingset_activate_file++
  else v.workingset_activate_anon++
  lruvec.workingset_activate[file]++
  if (workingset) {
    k.pages.flags[pfn] |= PG_workingset
    lru_note_cost_refault(lruvec, file)
    if (file) v.workingset_restore_file++
    else v.workingset_restore_anon++
  }
}
