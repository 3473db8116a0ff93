/**
 * include/linux/mm_inline.h and the page-freeing helper every reclaim path shares: a folio onto and
 * off its LRU list, and back to the free lists.
 */
import type { Kernel } from '../kernel'
import * as lru_gen_mod from './lru_gen'
import * as mm_types from './types'
import * as pcp_mod from './pcp'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { LRU_ACTIVE, LRU_FILE, PG_active, PG_lru, PG_swapbacked } = mm_types
const { lru_gen_add_folio, lru_gen_del_folio } = lru_gen_mod
const { free_pcp_page, free_pcp_pages } = pcp_mod

/** folio_lru_list() */
export function folio_lru_list(flags: number): number {
  return (
    ((flags & PG_swapbacked) === 0 ? LRU_FILE : 0) + ((flags & PG_active) !== 0 ? LRU_ACTIVE : 0)
  )
}

/** lruvec_add_folio() / lruvec_add_folio_tail() */
export function lruvec_add_folio(k: Kernel, pfn: number, tail: boolean): void {
  if (k.lru_gen) {
    lru_gen_add_folio(k, pfn, tail)
    return
  }
  const p = k.pages
  const f = p.flags[pfn] | PG_lru
  p.flags[pfn] = f
  const lru = folio_lru_list(f)
  const nid = p.pfn_to_nid(pfn)
  const head = p.lru_head(nid, lru)
  if (tail) p.list_add_tail(pfn, head)
  else p.list_add(pfn, head)
  k.pgdats[nid].lruvec.nr[lru]++
}

/** lruvec_del_folio() */
export function lruvec_del_folio(k: Kernel, pfn: number): void {
  if (k.lru_gen) {
    lru_gen_del_folio(k, pfn, false)
    return
  }
  const p = k.pages
  const f = p.flags[pfn]
  const lru = folio_lru_list(f)
  p.list_del(pfn)
  p.flags[pfn] = f & ~PG_lru
  k.pgdats[p.pfn_to_nid(pfn)].lruvec.nr[lru]--
}

/** free_unref_folios() for one page: onto the current CPU's list (mm/pcp.ts) or its zone. */
export function free_page(k: Kernel, pfn: number): void {
  const p = k.pages
  p.flags[pfn] = 0
  p.mapping[pfn] = -1
  free_pcp_page(k, k.pgdats[p.pfn_to_nid(pfn)].zone, pfn)
  k.vmstat.pgfree++
}

/** free_unref_folios() of a folio batch of one node: free_page() of each, in order. */
export function free_pages(k: Kernel, nid: number, pfns: Int32Array, n: number): void {
  const p = k.pages
  for (let i = 0; i < n; i++) {
    p.flags[pfns[i]] = 0
    p.mapping[pfns[i]] = -1
  }
  free_pcp_pages(k, k.pgdats[nid].zone, pfns, n)
  k.vmstat.pgfree += n
}
