import type { Kernel } from '../kernel'
import * as mm_inline_mod from './mm_inline'
import type { Lruvec } from './mmzone'
import * as lru_gen_mod from './lru_gen'
import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { lruvec_add_folio, lruvec_del_folio } = mm_inline_mod
const { folio_inc_refs } = lru_gen_mod
const {
  LRU_ACTIVE_ANON,
  LRU_ACTIVE_FILE,
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  PG_active,
  PG_lru,
  PG_referenced,
  SWAP_CLUSTER_MAX
} = mm_types

/**
 * mm/swap.c: lru_note_cost()
 * Scan-balance cost: IO (each write-out weighs SWAP_CLUSTER_MAX) plus rotations; halves both costs
 * when their sum exceeds a quarter of the LRU.
 */
export function lru_note_cost(
  lruvec: Lruvec,
  file: number,
  nr_io: number,
  nr_rotated: number
): void {
  const cost = nr_io * SWAP_CLUSTER_MAX + nr_rotated
  if (file) lruvec.file_cost += cost
  else lruvec.anon_cost += cost
  const n = lruvec.nr
  const lrusize =
    n[LRU_INACTIVE_ANON] + n[LRU_ACTIVE_ANON] + n[LRU_INACTIVE_FILE] + n[LRU_ACTIVE_FILE]
  if (lruvec.file_cost + lruvec.anon_cost > lrusize / 4) {
    lruvec.file_cost = Math.floor(lruvec.file_cost / 2)
    lruvec.anon_cost = Math.floor(lruvec.anon_cost / 2)
  }
}

/** mm/swap.c: lru_note_cost_refault() */
export function lru_note_cost_refault(lruvec: Lruvec, file: number): void {
  lru_note_cost(lruvec, file, 1, 0)
}

/** mm/workingset.c: workingset_age_nonresident() */
export function workingset_age_nonresident(lruvec: Lruvec, nr_pages: number): void {
  lruvec.nonresident_age += nr_pages
}

/**
 * mm/swap.c: folio_mark_accessed()
 * First access sets PG_referenced; a second one activates the folio (folio_activate(), pgactivate)
 * and ages the workingset clock (workingset_activation()). Under MGLRU: folio_inc_refs().
 */
export function folio_mark_accessed(k: Kernel, pfn: number): void {
  if (k.lru_gen) {
    folio_inc_refs(k, pfn)
    return
  }
  const p = k.pages
  const f = p.flags[pfn]
  if ((f & PG_referenced) === 0) {
    p.flags[pfn] = f | PG_referenced
    return
  }
  if ((f & PG_active) === 0) {
    if (f & PG_lru) {
      lruvec_del_folio(k, pfn)
      p.flags[pfn] = (p.flags[pfn] | PG_active) & ~PG_referenced
      lruvec_add_folio(k, pfn, false)
    } else {
      p.flags[pfn] = (f | PG_active) & ~PG_referenced
    }
    k.vmstat.pgactivate++
    workingset_age_nonresident(k.pgdats[p.pfn_to_nid(pfn)].lruvec, 1)
  }
}
