/*
 * mm/vmscan.c, the LRU list handling around a reclaim pass: isolate_lru_folios() takes folios off
 * a list's tail, move_folios_to_lru() puts the survivors back. The passes are in vmscan.ts.
 */
import type { Kernel } from '../kernel'
import type { Pgdat } from './mmzone'
import type { FolioList } from './folio_list'
import * as mm_inline_mod from './mm_inline'
import * as lru_mod from './lru'
import * as lru_gen_mod from './lru_gen'
import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { folio_lru_list, free_page } = mm_inline_mod
const { workingset_age_nonresident } = lru_mod
const { lru_gen_add_folio } = lru_gen_mod
const { PG_locked, PG_lru, PG_orphan, PG_writeback, PG_active, is_file_lru } = mm_types

/**
 * mm/vmscan.c: isolate_lru_folios()
 * Takes up to nr_to_scan folios from the tail of `lru`.
 * Simplified: every folio is eligible (one zone per node), nr_scanned == nr_taken.
 */
export function isolate_lru_folios(
  k: Kernel,
  pgdat: Pgdat,
  nr_to_scan: number,
  lru: number,
  dst: Int32Array
): number {
  const p = k.pages
  const flags = p.flags
  const links = p.links
  const head = p.lru_head(pgdat.node_id, lru)
  let n = 0
  // lruvec_del_folio() for each, with the node and list known (every folio on this list belongs
  // to pgdat and has this lru): the taken folios are the list's last n, cut off in one step; their
  // own links are left stale until move_folios_to_lru() or the free lists set them.
  let pfn = links[2 * head + 1]
  while (n < nr_to_scan && pfn !== head) {
    flags[pfn] &= ~PG_lru
    dst[n++] = pfn
    pfn = links[2 * pfn + 1]
  }
  links[2 * pfn] = head
  links[2 * head + 1] = pfn
  pgdat.lruvec.nr[lru] -= n
  if (is_file_lru(lru)) pgdat.nr_isolated_file += n
  else pgdat.nr_isolated_anon += n
  k.acc += n * k.costs.isolate_ns
  return n
}

/**
 * mm/vmscan.c: move_folios_to_lru()
 * Puts survivors back at the head of the list their PG_active says (an active one ages the
 * workingset clock); frees orphans. Under MGLRU: lru_gen_add_folio().
 */
export function move_folios_to_lru(k: Kernel, pgdat: Pgdat, list: FolioList): number {
  const n = list.length
  const nr_moved = k.lru_gen ? lru_gen_putback(k, list, n) : lru_putback(k, pgdat, list.pfns, n)
  k.acc += n * k.costs.putback_ns
  return nr_moved
}

/** move_folios_to_lru() under MGLRU: lru_gen_add_folio() of each survivor. */
function lru_gen_putback(k: Kernel, list: FolioList, n: number): number {
  const flags = k.pages.flags
  const pfns = list.pfns
  let nr_moved = 0
  for (let i = 0; i < n; i++) {
    const pfn = pfns[i]
    if ((flags[pfn] & (PG_orphan | PG_writeback | PG_locked)) === PG_orphan) free_page(k, pfn)
    else {
      lru_gen_add_folio(k, pfn, false)
      nr_moved++
    }
  }
  return nr_moved
}

/**
 * move_folios_to_lru() on the classic lists: lruvec_add_folio() (at the head) on pgdat's lruvec,
 * where every folio of the list was isolated from. Consecutive folios bound for the same list are
 * chained first and spliced in at once: the same order as adding them one by one (the last added
 * first), one update of the head and of the list's size.
 */
function lru_putback(k: Kernel, pgdat: Pgdat, pfns: Int32Array, n: number): number {
  const p = k.pages
  const flags = p.flags
  const links = p.links
  const lruvec = pgdat.lruvec
  const heads = p.lru_head(pgdat.node_id, 0)
  let nr_freed = 0
  let nr_active = 0
  let run_lru = -1
  let run_len = 0
  let run_first = -1
  let run_last = -1
  for (let i = 0; i < n; i++) {
    const pfn = pfns[i]
    const f = flags[pfn]
    if ((f & (PG_orphan | PG_writeback | PG_locked)) === PG_orphan) {
      free_page(k, pfn)
      nr_freed++
      continue
    }
    flags[pfn] = f | PG_lru
    const lru = folio_lru_list(f)
    if (lru !== run_lru) {
      if (run_len > 0) {
        p.list_splice_head(run_first, run_last, heads + run_lru)
        lruvec.nr[run_lru] += run_len
      }
      run_lru = lru
      run_len = 0
      run_first = pfn
    } else {
      // Ahead of the folio added before it, as list_add() would put it.
      links[2 * pfn] = run_last
      links[2 * run_last + 1] = pfn
    }
    run_last = pfn
    run_len++
    if (f & PG_active) nr_active++
  }
  if (run_len > 0) {
    p.list_splice_head(run_first, run_last, heads + run_lru)
    lruvec.nr[run_lru] += run_len
  }
  // Each active folio put back ages the workingset clock.
  if (nr_active) workingset_age_nonresident(lruvec, nr_active)
  return n - nr_freed
}
