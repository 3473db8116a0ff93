import type { Kernel } from '../kernel'
import * as swap_mod from './swap'
import * as lru_mod from './lru'
import * as lru_gen_mod from './lru_gen'
import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { get_nr_swap_pages } = swap_mod
const { lru_note_cost_refault, workingset_age_nonresident } = lru_mod
const { folio_lru_refs, folio_type, lru_tier_from_refs } = lru_gen_mod
const {
  LRU_ACTIVE_ANON,
  LRU_ACTIVE_FILE,
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  LRU_REFS_MASK,
  LRU_REFS_WIDTH,
  MAX_NR_TIERS,
  PG_active,
  PG_workingset
} = mm_types

const EVICTION_MASK = 2 ** 30
/** MGLRU shadow tokens keep min_seq modulo this (EVICTION_MASK >> LRU_REFS_WIDTH in the kernel). */
const TOKEN_SEQ_MASK = 2 ** 27

/**
 * mm/workingset.c: workingset_eviction()
 * Ages the node's nonresident clock and returns a shadow entry (eviction time + PG_workingset).
 * Simplified: no memcg id, no bucket_order (the clock is exact).
 */
export function workingset_eviction(k: Kernel, pfn: number): number {
  if (k.lru_gen) return lru_gen_eviction(k, pfn)
  const lruvec = k.pgdats[k.pages.pfn_to_nid(pfn)].lruvec
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
  const lruvec = k.pgdats[k.pages.pfn_to_nid(pfn)].lruvec
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

// MGLRU (CONFIG_LRU_GEN)

/**
 * lru_gen_eviction(): counts the eviction in its tier and returns a shadow holding the oldest
 * generation's sequence number, the refs and PG_workingset.
 */
export function lru_gen_eviction(k: Kernel, pfn: number): number {
  const f = k.pages.flags[pfn]
  const type = folio_type(f)
  const lrugen = k.pgdats[k.pages.pfn_to_nid(pfn)].lruvec.lrugen!
  const refs = folio_lru_refs(f)
  const tier = lru_tier_from_refs(refs)
  const min_seq = lrugen.min_seq[type]
  const token = (min_seq % TOKEN_SEQ_MASK) * (1 << LRU_REFS_WIDTH) + Math.max(refs - 1, 0)
  lrugen.evicted[MAX_NR_TIERS * type + tier]++
  return token * 2 + ((f & PG_workingset) !== 0 ? 1 : 0) + 1
}

/**
 * lru_gen_refault(): workingset_refault_* always; a refault of a folio evicted from the current
 * oldest generation is "recent": counted in its tier (the PID controller's input) and in
 * workingset_activate_*; in a fault, or after enough fd accesses, it comes back with its refs and
 * PG_workingset (workingset_restore_*).
 */
export function lru_gen_refault(
  k: Kernel,
  pfn: number,
  shadow: number,
  file: number,
  in_fault: boolean
): void {
  const v = k.vmstat
  if (file) v.workingset_refault_file++
  else v.workingset_refault_anon++
  const lrugen = k.pgdats[k.pages.pfn_to_nid(pfn)].lruvec.lrugen!
  const packed = shadow - 1
  const workingset = packed & 1
  const token = Math.floor(packed / 2)
  const seq = Math.floor(token / (1 << LRU_REFS_WIDTH))
  if (seq !== lrugen.min_seq[file] % TOKEN_SEQ_MASK) return
  const refs = (token & ((1 << LRU_REFS_WIDTH) - 1)) + workingset
  const tier = lru_tier_from_refs(refs)
  lrugen.refaulted[MAX_NR_TIERS * file + tier]++
  if (file) v.workingset_activate_file++
  else v.workingset_activate_anon++
  if (in_fault || refs >= (1 << LRU_REFS_WIDTH) - 1) {
    k.pages.flags[pfn] |= LRU_REFS_MASK | PG_workingset
    if (file) v.workingset_restore_file++
    else v.workingset_restore_anon++
  }
}
