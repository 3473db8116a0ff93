import type { Kernel } from '../kernel'
import type { Proc } from '../proc'
import type { ThreadBody } from '../cpu/thread'
import * as cpu_thread_mod from '../cpu/thread'
import { PTRS_PER_PTE, release_mapping, type Mapping } from './mapping'
import * as mm_inline_mod from './mm_inline'
import * as swap_mod from './swap'
import type { SwapInfo } from './swap'
import * as lru_gen_mod from './lru_gen'
import * as mm_types from './types'
import * as pcp_mod from './pcp'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { cpu } = cpu_thread_mod
const { folio_lru_list, free_page, lruvec_del_folio } = mm_inline_mod
const { lru_gen_del_folio } = lru_gen_mod
const { free_pcp_kernel_page, free_pcp_pages } = pcp_mod

/** FOLIO_BATCH_SIZE (include/linux/pagevec.h) */
const FOLIO_BATCH_SIZE = 31
const { swap_free, SWP_FREE, SWP_ZRAM, SWP_ZRAM_HUGE, SWP_ZRAM_SAME, SWP_ZSWAP } = swap_mod
const { NR_LRU_LISTS, PG_locked, PG_lru, PG_orphan, PG_writeback } = mm_types

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
  for (const m of proc.mappings) {
    if (!m.anon || !m.alive) continue
    n += zap_range(k, m.pte, 0, m.pte.length)
    unmapped(k, m)
  }
  return n
}

/**
 * kernel/exit.c: exit_mm() → mmput() → exit_mmap() of a process whose last thread exits: mm_users
 * is 0 from the start, so reclaim skips its folios (Mapping.mm_exiting), while unmap_vmas() zaps
 * one page table at a time, paying exit_per_page_ns a resident page and exit_swap_entry_ns a swap
 * entry (the zram or zswap slot freed) before each cond_resched().
 */
export function* exit_mm(k: Kernel, proc: Proc): ThreadBody {
  const anon = proc.mappings.filter((m) => m.anon && m.alive)
  for (const m of anon) m.mm_exiting = true
  k.nr_exiting_mm++
  const c = k.costs
  for (const m of anon) {
    for (let start = 0; m.alive && start < m.nr_pages; start += PTRS_PER_PTE) {
      const end = Math.min(m.nr_pages, start + PTRS_PER_PTE)
      let resident = 0
      let swap = 0
      for (let i = start; i < end; i++) {
        const e = m.pte[i]
        if (e >= 0) resident++
        else if (e <= -2) swap++
      }
      if (resident + swap === 0) continue
      // cond_resched() after each page table (zap_pmd_range())
      yield cpu(resident * c.exit_per_page_ns + swap * c.exit_swap_entry_ns, 1)
      // The OOM killer may have freed the rest meanwhile (exit_mmap() above).
      if (!m.alive) break
      zap_range(k, m.pte, start, end)
      m.nr_resident -= resident
      m.nr_swap -= swap
    }
    if (m.alive) unmapped(k, m)
  }
  k.nr_exiting_mm--
  proc.alive = false
}

/** mm/memory.c: free_pgtables() for the page tables [r0, r1) of a region. */
function free_pgtables(k: Kernel, m: Mapping, r0: number, r1: number): void {
  const pt = m.pt
  if (pt === null) return
  for (let r = r0; r < r1; r++) {
    const pfn = pt[r]
    if (pfn < 0) continue
    const pgdat = k.pgdats[k.pages.pfn_to_nid(pfn)]
    free_pcp_kernel_page(k, pgdat.zone, pfn)
    pgdat.nr_page_table_pages--
    pt[r] = -1
  }
}

/** The end of exit_mmap(): the page tables go back, then the region's arrays. */
function unmapped(k: Kernel, m: Mapping): void {
  m.nr_resident = 0
  m.nr_swap = 0
  if (m.pt !== null) free_pgtables(k, m, 0, m.pt.length)
  m.pt = null
  release_mapping(m)
}

/**
 * zap_pte_range() over entries [start, end) of a dying region, in one pass: release_folio() and
 * swap_free() inlined for each entry in page-table order (so frames and slots reach the free lists
 * in the same order), with the LRU sizes and pgfree updated once at the end (nothing reads them
 * while the range is torn down).
 */
function zap_range(k: Kernel, pte: Int32Array, start: number, end: number): number {
  const p = k.pages
  const flags = p.flags
  const links = p.links
  const pmapping = p.mapping
  const pgdats = k.pgdats
  const nr_nodes = pgdats.length
  const si = k.swap
  const zram = k.zram
  const lru_gen = k.lru_gen
  // free_pcp_page() in folio batches per node (free_unref_folios()). A batch is flushed before a
  // swap slot is freed, which may free compressed-pool pages onto the same lists. Node n's batch
  // is batches[n·31, n·31 + nr_batch[n]).
  const { lru_freed, batches, nr_batch } = k.scratch.zap
  let pgfree = 0
  let n = 0
  for (let i = start; i < end; i++) {
    const e = pte[i]
    let pfn = -1
    if (e >= 0) pfn = e
    else if (e <= -2 && si) pfn = si.swapcache[-e - 2]
    else continue
    if (pfn >= 0) {
      // release_folio(): lruvec_del_folio() + free_page(), or PG_orphan for whoever holds it.
      const f = flags[pfn]
      if ((f & PG_lru) !== 0 && (f & (PG_writeback | PG_locked)) === 0) {
        const nid = p.pfn_to_nid(pfn)
        if (lru_gen) lru_gen_del_folio(k, pfn, false)
        else {
          const nx = links[2 * pfn]
          const pr = links[2 * pfn + 1]
          links[2 * pr] = nx
          links[2 * nx + 1] = pr
          links[2 * pfn] = pfn
          links[2 * pfn + 1] = pfn
          lru_freed[nid * NR_LRU_LISTS + folio_lru_list(f)]++
        }
        flags[pfn] = 0
        pmapping[pfn] = -1
        const b = nr_batch[nid]++
        batches[nid * FOLIO_BATCH_SIZE + b] = pfn
        if (b + 1 === FOLIO_BATCH_SIZE) flush_batch(k, nid, batches, nr_batch)
        pgfree++
      } else {
        flags[pfn] = f | PG_orphan
      }
    }
    if (e < 0) {
      // swap_free()
      const s = si as SwapInfo
      const slot = -e - 2
      const w = s.where[slot]
      if (w !== SWP_FREE)
        for (let nid = 0; nid < nr_nodes; nid++) flush_batch(k, nid, batches, nr_batch)
      if (w === SWP_ZRAM || w === SWP_ZRAM_HUGE || w === SWP_ZRAM_SAME) zram?.zram_free(k, slot)
      else if (w === SWP_ZSWAP) k.zswap?.zswap_invalidate(k, slot)
      s.put_slot(slot)
    }
    pte[i] = -1
    n++
  }
  for (let nid = 0; nid < nr_nodes; nid++) {
    flush_batch(k, nid, batches, nr_batch)
    const nr = pgdats[nid].lruvec.nr
    for (let lru = 0; lru < NR_LRU_LISTS; lru++) {
      nr[lru] -= lru_freed[nid * NR_LRU_LISTS + lru]
      lru_freed[nid * NR_LRU_LISTS + lru] = 0
    }
  }
  k.vmstat.pgfree += pgfree
  return n
}

/** zap_range()'s per-node buffers for a kernel of `nr_nodes` nodes (Kernel.scratch.zap). */
export function zap_scratch(nr_nodes: number): Kernel['scratch']['zap'] {
  return {
    lru_freed: new Int32Array(nr_nodes * NR_LRU_LISTS),
    batches: new Int32Array(nr_nodes * FOLIO_BATCH_SIZE),
    nr_batch: new Int32Array(nr_nodes)
  }
}

/** Node nid's folio batch of zap_range() onto the CPU's free lists. */
function flush_batch(k: Kernel, nid: number, batches: Int32Array, nr_batch: Int32Array): void {
  if (nr_batch[nid] === 0) return
  free_pcp_pages(k, k.pgdats[nid].zone, batches, nr_batch[nid], nid * FOLIO_BATCH_SIZE)
  nr_batch[nid] = 0
}

/**
 * mm/mmap.c: munmap() of part of an anonymous region: frees its pages and swap slots, and the page
 * tables it covers whole.
 */
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
  // free_pgtables(): the page tables the range covers whole (to the region's end, its last one).
  const last = end === m.nr_pages ? Math.ceil(end / PTRS_PER_PTE) : Math.floor(end / PTRS_PER_PTE)
  free_pgtables(k, m, Math.ceil(start / PTRS_PER_PTE), last)
  return n
}
