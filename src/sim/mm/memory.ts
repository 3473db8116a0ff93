import type { Kernel } from '../kernel'
import * as mm_inline_mod from './mm_inline'
import { type Sub, type Thread } from '../cpu/thread'
import * as cpu_thread_mod from '../cpu/thread'
import type { Mapping } from './mapping'
import * as mapping_mod from './mapping'
import * as page_alloc_mod from './page_alloc'
import * as pcp_mod from './pcp'
import * as lru_mod from './lru'
import * as workingset_mod from './workingset'
import * as swap_mod from './swap'
import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { free_page, lruvec_add_folio } = mm_inline_mod
const { cpu, io_wait, sleep } = cpu_thread_mod
const { __alloc_pages, get_page_from_freelist } = page_alloc_mod
const { alloc_unmovable_page } = pcp_mod
const { folio_mark_accessed } = lru_mod
const { workingset_refault } = workingset_mod
const { swap_free, SWP_DISK, SWP_ZEROMAP, SWP_ZSWAP } = swap_mod
/** log2(PTRS_PER_PTE): a page index's page table. */
const PTE_SHIFT = Math.log2(mapping_mod.PTRS_PER_PTE)
const {
  GFP_HIGHUSER_MOVABLE,
  LRU_INACTIVE_ANON,
  PG_lru,
  WMARK_LOW,
  PG_active,
  PG_dirty,
  PG_locked,
  PG_mapped,
  PG_swapbacked,
  PG_swapcache,
  PG_workingset,
  PTE_young
} = mm_types

/** Work accumulated while handling one chunk of faults. */
interface FaultChunk {
  work: number
  io_done: number
  stall: boolean
}

const CHUNK: FaultChunk = { work: 0, io_done: 0, stall: false }

/**
 * mm/memory.c: do_anonymous_page(): a zeroed page, mapped young and dirty, on the inactive anon
 * LRU (MGLRU: folio_add_lru() in a fault makes it active, i.e. the youngest generation).
 */
function do_anonymous_page(k: Kernel, m: Mapping, idx: number, pfn: number, c: FaultChunk): void {
  const p = k.pages
  p.flags[pfn] = PG_swapbacked | PG_mapped | PTE_young | PG_dirty | (k.lru_gen ? PG_active : 0)
  m.young = true
  p.mapping[pfn] = m.id
  p.index[pfn] = idx
  m.pte[idx] = pfn
  m.nr_resident++
  lruvec_add_folio(k, pfn, false)
  c.work += k.costs.fault_anon_ns
}

/**
 * mm/memory.c: do_swap_page()
 * zram (SWP_SYNCHRONOUS_IO) skips the swap cache: read, decompress in the faulting context, free
 * the slot. zswap: zswap_load(). Disk: a read IO. The shadow entry drives workingset_refault();
 * a refaulting workingset folio stalls in memstall.
 * Simplified: the slot is freed on every swap-in (no swap cache kept), no readahead (page-cluster).
 */
function do_swap_page(
  k: Kernel,
  m: Mapping,
  idx: number,
  slot: number,
  pfn: number,
  c: FaultChunk
): void {
  const si = k.swap!
  const p = k.pages
  const v = k.vmstat
  const where = si.where[slot]
  const content = m.content ? m.content[idx] : 2
  c.work += k.costs.fault_swapin_ns
  if (where === SWP_ZEROMAP) {
    c.work += 300
  } else {
    v.pgmajfault++
    if (where === SWP_ZSWAP) {
      v.zswpin++
      c.work += k.zswap!.load_cost(content, m.random_bytes)
    } else if (where === SWP_DISK) {
      v.pswpin++
      c.io_done = Math.max(c.io_done, k.disk!.submit(1, false))
    } else {
      v.pswpin++
      c.work += k.zram ? k.zram.read_cost(k, slot, content, m.random_bytes) : 0
    }
  }
  p.flags[pfn] = PG_swapbacked | PG_mapped | PTE_young | PG_dirty | (k.lru_gen ? PG_active : 0)
  m.young = true
  p.mapping[pfn] = m.id
  p.index[pfn] = idx
  workingset_refault(k, pfn, si.shadow[slot], 0, true)
  if (p.flags[pfn] & PG_workingset) c.stall = true
  swap_free(k, slot)
  m.pte[idx] = pfn
  m.nr_swap--
  m.nr_resident++
  lruvec_add_folio(k, pfn, false)
}

/** A swap entry whose folio is still in the swap cache: map it back (minor fault). */
function remap_swapcache(k: Kernel, m: Mapping, idx: number, slot: number, pfn: number): void {
  const p = k.pages
  p.flags[pfn] = (p.flags[pfn] & ~PG_swapcache) | PG_mapped | PTE_young | PG_dirty
  m.young = true
  k.swap!.swapcache[slot] = -1
  swap_free(k, slot)
  m.pte[idx] = pfn
  m.nr_swap--
  m.nr_resident++
}

/**
 * mm/filemap.c: filemap_fault() / filemap_read() on a page-cache miss: a new folio on the inactive
 * file list (workingset_refault() may activate it), filled by a read IO.
 */
function page_cache_miss(
  k: Kernel,
  m: Mapping,
  idx: number,
  pfn: number,
  c: FaultChunk,
  write: boolean
): void {
  const p = k.pages
  p.flags[pfn] = m.mapped ? PG_mapped | PTE_young | (k.lru_gen ? PG_active : 0) : 0
  if (m.mapped) m.young = true
  p.mapping[pfn] = m.id
  p.index[pfn] = idx
  const shadow = m.shadow![idx]
  if (shadow) {
    workingset_refault(k, pfn, shadow, 1, m.mapped)
    m.shadow![idx] = 0
    if (p.flags[pfn] & PG_workingset) c.stall = true
  }
  m.pte[idx] = pfn
  m.nr_resident++
  lruvec_add_folio(k, pfn, false)
  c.work += k.costs.fault_file_ns
  if (write) {
    p.flags[pfn] |= PG_dirty
    k.dirtyQueue.push(pfn)
  } else {
    if (m.mapped) k.vmstat.pgmajfault++
    k.vmstat.pgpgin += 4
    c.io_done = Math.max(c.io_done, k.disk!.submit(1, false))
    if (!m.mapped) folio_mark_accessed(k, pfn)
  }
}

/** Access to a resident page: the PTE young bit, or folio_mark_accessed() for read()/write(). */
function touch_resident(k: Kernel, m: Mapping, pfn: number, write: boolean): void {
  const p = k.pages
  if (m.anon || m.mapped) {
    p.flags[pfn] |= PTE_young
    m.young = true
  } else folio_mark_accessed(k, pfn)
  if (write && (p.flags[pfn] & PG_dirty) === 0) {
    p.flags[pfn] |= PG_dirty
    if (!m.anon) k.dirtyQueue.push(pfn)
  }
}

/** A swap-cache folio kcompressd holds locked, found by touch_chunk(). */
const LOCKED = { pfn: -1 }

/**
 * First pass over a chunk: touch what is resident, count what needs a new page. Returns -1 at a
 * swap-cache folio that kcompressd holds locked (LOCKED.pfn): the fault must wait for it.
 */
function touch_chunk(k: Kernel, m: Mapping, i: number, chunkEnd: number, write: boolean): number {
  const si = k.swap
  const pte = m.pte
  let need = 0
  if (m.anon) {
    // touch_resident() of an anon page: the PTE young bit, and dirty on a write (no flusher).
    const flags = k.pages.flags
    const set = write ? PTE_young | PG_dirty : PTE_young
    // Mostly the bits are set already: a loop that only reads finds the run and whether any page
    // lacks them (a loop that stores makes V8 check both arrays again at every page).
    let j = i
    let lacking = false
    for (; j < chunkEnd; j++) {
      const e = pte[j]
      if (e < 0) break
      if ((flags[e] & set) !== set) lacking = true
    }
    if (lacking) for (let q = i; q < j; q++) flags[pte[q]] |= set
    if (j > i) m.young = true
    i = j
  }
  for (let j = i; j < chunkEnd; j++) {
    const e = pte[j]
    if (e >= 0) touch_resident(k, m, e, write)
    else if (e <= -2 && si !== null && si.swapcache[-e - 2] >= 0) {
      const pfn = si.swapcache[-e - 2]
      if (k.pages.flags[pfn] & PG_locked) {
        LOCKED.pfn = pfn
        return -1
      }
      remap_swapcache(k, m, j, -e - 2, pfn)
    } else need++
  }
  return need
}

/**
 * Second pass: map the `got` pages of k.allocBuf into the missing entries (new anon page, page-cache
 * read or swap-in), free any left over, and return where the chunk stopped. Work goes to CHUNK.
 */
function map_chunk(
  k: Kernel,
  m: Mapping,
  i: number,
  chunkEnd: number,
  got: number,
  write: boolean
): number {
  const si = k.swap
  const pte = m.pte
  const c = CHUNK
  c.work = 0
  c.io_done = 0
  c.stall = false
  let used = 0
  let j = i
  if (m.anon && !k.lru_gen) {
    // do_anonymous_page() + lruvec_add_folio() for the run of new anon pages the chunk starts
    // with: all of k.allocBuf came from one zone, so one list head and one size update.
    const p = k.pages
    const flags = p.flags
    const links = p.links
    const pmapping = p.mapping
    const pindex = p.index
    const buf = k.allocBuf
    const head = p.lru_head(p.pfn_to_nid(buf[0]), LRU_INACTIVE_ANON)
    const id = m.id
    const cost = k.costs.fault_anon_ns
    let work = 0
    for (; j < chunkEnd && used < got && pte[j] === -1; j++) {
      const pfn = buf[used++]
      flags[pfn] = PG_swapbacked | PG_mapped | PTE_young | PG_dirty | PG_lru
      pmapping[pfn] = id
      pindex[pfn] = j
      pte[j] = pfn
      // list_add()
      const n = links[2 * head]
      links[2 * pfn] = n
      links[2 * pfn + 1] = head
      links[2 * n + 1] = pfn
      links[2 * head] = pfn
      work += cost
    }
    if (used > 0) {
      m.young = true
      m.nr_resident += used
      k.pgdats[p.pfn_to_nid(buf[0])].lruvec.nr[LRU_INACTIVE_ANON] += used
      c.work = work
    }
  }
  for (; j < chunkEnd; j++) {
    const e = pte[j]
    if (e >= 0) continue
    if (e <= -2 && si !== null && si.swapcache[-e - 2] >= 0) {
      remap_swapcache(k, m, j, -e - 2, si.swapcache[-e - 2])
      continue
    }
    if (used >= got) break
    const pfn = k.allocBuf[used++]
    if (e === -1) {
      if (m.anon) do_anonymous_page(k, m, j, pfn, c)
      else page_cache_miss(k, m, j, pfn, c, write)
    } else do_swap_page(k, m, j, -e - 2, pfn, c)
  }
  for (; used < got; used++) free_page(k, k.allocBuf[used])
  return j
}

/**
 * mm/memory.c: __pte_alloc() for each page table of [start, end) still missing: an Unmovable frame
 * (the CPU's Unmovable list, mm/pcp.ts) of the first node above its min watermark, the process's
 * own first.
 * Zeroing it is part of the fault's cost (fault_anon_ns was measured with it).
 * Simplified: taken after the fault's pages, without a slow path of its own: with every node at
 * its min watermark the page table waits for the next fault into its range. No page tables above
 * the last level, none for mapped files.
 */
function pte_alloc(k: Kernel, m: Mapping, start: number, end: number): void {
  const pt = m.pt!
  const n = k.pgdats.length
  for (let r = start >> PTE_SHIFT; r << PTE_SHIFT < end; r++) {
    if (pt[r] >= 0) continue
    for (let i = 0; i < n; i++) {
      const pgdat = k.pgdats[(m.home_nid + i) % n]
      if (pgdat.zone.free <= pgdat.zone.min_wmark_pages()) continue
      pt[r] = alloc_unmovable_page(k, pgdat.zone)
      pgdat.nr_page_table_pages++
      k.vmstat.pgalloc_normal++
      break
    }
  }
}

/**
 * Touches pages [start, start+count) of a mapping from thread t, faulting in what is missing in
 * chunks of the pcp batch (one allocation, one CPU burst and at most one IO wait per chunk).
 * Returns false if the process died meanwhile.
 */
export function* access_range(
  k: Kernel,
  t: Thread,
  m: Mapping,
  start: number,
  count: number,
  write: boolean
): Sub<boolean> {
  const end = Math.min(start + count, m.nr_pages)
  let i = start
  while (i < end) {
    if (!m.alive) return false
    const chunkEnd = Math.min(end, i + k.batch)
    const need = touch_chunk(k, m, i, chunkEnd, write)
    if (need < 0) {
      yield* k.writeout.folio_wait_locked!(k, t, LOCKED.pfn)
      continue
    }
    k.vmstat.pgfault += need
    if (need === 0) {
      i = chunkEnd
      continue
    }
    // __alloc_pages(): its fast path inline (no generator for the common case).
    let got = get_page_from_freelist(k, m.home_nid, need, WMARK_LOW)
    if (!got) got = yield* __alloc_pages(k, t, m.home_nid, need, GFP_HIGHUSER_MOVABLE)
    if (!m.alive) {
      for (let g = 0; g < got; g++) free_page(k, k.allocBuf[g])
      return false
    }
    if (got === 0) {
      // Nothing could be allocated (OOM with nothing killable): back off and retry.
      yield sleep(1_000_000)
      continue
    }
    const from = i
    i = map_chunk(k, m, i, chunkEnd, got, write)
    const pt = m.pt
    if (pt !== null && (pt[from >> PTE_SHIFT] < 0 || pt[(i - 1) >> PTE_SHIFT] < 0))
      pte_alloc(k, m, from, i)
    const work = CHUNK.work
    const io_done = CHUNK.io_done
    const stall = CHUNK.stall
    if (stall) k.sched.psi_memstall_enter(t)
    // a fault per page, each returning to user mode
    yield cpu(work, got, true)
    if (io_done > k.env.now) yield io_wait(io_done - k.env.now)
    if (stall) k.sched.psi_memstall_leave(t)
  }
  return m.alive
}
