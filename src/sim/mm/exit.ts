import type { Kernel } from '../kernel'
import type { Proc } from '../proc'
import { release_mapping, type Mapping } from './mapping'
import * as kernel_mod from '../kernel'
import * as swap_mod from './swap'
import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { free_page, lruvec_del_folio } = kernel_mod
const { swap_free } = swap_mod
const { PG_locked, PG_lru, PG_orphan, PG_writeback } = mm_types

/** Frees a resident folio of an exiting process, or marks it to be freed by whoever holds it. */
function release_folio(k: Kernel, pfn: number): void {
  const f = k.pages.flags[pfn]
  if ((f & PG_lru) !== 0 && (f & (PG_writeback | PG_locked)) === 0) {
    lruvec_del_folio(k, pfn)
    free_page(k, pfn)
  } else {
    k.pages.flags[pfn] = f | PG_orphan
  }
}

/**
 * mm/mmap.c: exit_mmap() → unmap_vmas() / free swap entries.
 * Frees the anonymous memory of a process: resident folios and their swap slots (zram/zswap data).
 * File pages stay in the page cache. Returns the number of pages and slots released.
 */
export function exit_mmap(k: Kernel, proc: Proc): number {
  let n = 0
  const si = k.swap
  for (const m of proc.mappings) {
    if (!m.anon || !m.alive) continue
    m.alive = false
    const pte = m.pte
    for (let i = 0; i < pte.length; i++) {
      const e = pte[i]
      if (e >= 0) release_folio(k, e)
      else if (e <= -2 && si) {
        const slot = -e - 2
        const pfn = si.swapcache[slot]
        if (pfn >= 0) release_folio(k, pfn)
        swap_free(k, slot)
      } else continue
      pte[i] = -1
      n++
    }
    m.nr_resident = 0
    m.nr_swap = 0
    release_mapping(m)
  }
  return n
}

/** mm/mmap.c: munmap() of part of an anonymous region: frees its pages and swap slots. */
export function munmap_range(k: Kernel, m: Mapping, start: number, count: number): number {
  let n = 0
  const si = k.swap
  const end = Math.min(m.nr_pages, start + count)
  for (let i = start; i < end; i++) {
    const e = m.pte[i]
    if (e >= 0) {
      release_folio(k, e)
      m.nr_resident--
    } else if (e <= -2 && si) {
      const slot = -e - 2
      const pfn = si.swapcache[slot]
      if (pfn >= 0) release_folio(k, pfn)
      swap_free(k, slot)
      m.nr_swap--
    } else continue
    m.pte[i] = -1
    n++
  }
  return n
}
