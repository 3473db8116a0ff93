import type { Kernel } from '../kernel'
import * as pcp_mod from './pcp'
import { FRESH, type ArrayStore } from '../arena'
import type { ZsPool } from './zsmalloc'

// Local bindings of imported values: the transpiled modules expose them through getters.
const { alloc_unmovable_page, free_pcp_page, rmqueue_pcplist, this_cpu } = pcp_mod

/** Where a swap slot's data lives. */
export const SWP_FREE = 0
export const SWP_ZRAM = 1
export const SWP_ZRAM_SAME = 2
export const SWP_ZRAM_HUGE = 3
export const SWP_ZSWAP = 4
export const SWP_DISK = 5
export const SWP_ZEROMAP = 6
/** Slot allocated (add_to_swap) but not written yet. */
export const SWP_ALLOCATED = 7

/**
 * struct swap_info_struct for the single swap device, with per-slot state as typed arrays.
 * The swap cache is the `swapcache` array (slot → page frame, -1 if none).
 */
export class SwapInfo {
  readonly where: Uint8Array
  /** Stored size in bytes (zsmalloc object size) for zram/zswap slots. */
  readonly csize: Uint16Array
  /** workingset shadow entry left by __remove_mapping() (0 = none). */
  readonly shadow: Uint32Array
  readonly swapcache: Int32Array
  /** Freed slots (a stack) on top of the never-used range [hwm, nr_slots), used in ascending order. */
  private freeSlots: Int32Array
  private nstack = 0
  private hwm = 0
  nr_free: number

  constructor(
    readonly nr_slots: number,
    readonly SWP_SYNCHRONOUS_IO: boolean,
    store: ArrayStore = FRESH
  ) {
    this.where = store.uint8(nr_slots)
    this.csize = store.uint16(nr_slots)
    this.shadow = store.uint32(nr_slots)
    this.swapcache = store.int32(nr_slots, -1)
    this.freeSlots = store.int32(nr_slots)
    this.nr_free = nr_slots
  }

  /** get_swap_pages(): one slot, or -1 when swap is full. */
  get_swap_page(): number {
    if (this.nr_free === 0) return -1
    this.nr_free--
    const s = this.nstack > 0 ? this.freeSlots[--this.nstack] : this.hwm++
    this.where[s] = SWP_ALLOCATED
    return s
  }

  put_slot(s: number): void {
    this.where[s] = SWP_FREE
    this.csize[s] = 0
    this.shadow[s] = 0
    this.swapcache[s] = -1
    this.freeSlots[this.nstack++] = s
    this.nr_free++
  }
}

/** get_nr_swap_pages() */
export function get_nr_swap_pages(k: Kernel): number {
  return k.swap ? k.swap.nr_free : 0
}

/**
 * mm/swapfile.c: swap_free() → zram_slot_free_notify() / zswap_invalidate().
 * Releases the backing storage of a slot and the slot itself.
 */
export function swap_free(k: Kernel, slot: number): void {
  const si = k.swap as SwapInfo
  const w = si.where[slot]
  if (w === SWP_ZRAM || w === SWP_ZRAM_HUGE || w === SWP_ZRAM_SAME) k.zram?.zram_free(k, slot)
  else if (w === SWP_ZSWAP) k.zswap?.zswap_invalidate(k, slot)
  si.put_slot(slot)
}

/** ZS_HANDLE_SIZE is 8 bytes: a slab page holds 512 handles. */
const HANDLES_PER_SLAB = 512

/**
 * mm/zsmalloc.c: cache_alloc_handle(): each stored object's handle comes from the pool's zs_handle
 * slab cache, whose pages are Unmovable (zs_malloc() drops __GFP_MOVABLE for it), taken like the
 * pool's pages, ignoring watermarks, from the reclaiming CPU's Unmovable list. A new slab page when the live handles outgrow the cache.
 * Simplified: its pages are never freed (randomly freed handles rarely empty a slab); no slab
 * for struct zspage or zswap's entries.
 */
export function zs_handle_alloc(k: Kernel, nid: number, pool: ZsPool): void {
  if (pool.objects <= pool.handle_slabs * HANDLES_PER_SLAB) return
  const pgdat = k.pgdats[nid]
  if (alloc_unmovable_page(k, pgdat.zone) < 0) return
  pgdat.nr_slab_pages++
  pool.handle_slabs++
  k.vmstat.pgalloc_normal++
}

/**
 * Compressed-pool pages come out of the page allocator (zsmalloc's alloc_zspage). Reclaimers hold
 * PF_MEMALLOC, so the allocation ignores watermarks; it fails only when the node has no free page.
 */
export function pool_resize(k: Kernel, nid: number, delta: number): boolean {
  if (delta > 0) {
    const pgdat = k.pgdats[nid]
    const z = pgdat.zone
    // zs_malloc() → alloc_page() on the current CPU's list, ignoring watermarks (the callers
    // reclaim with PF_MEMALLOC, or are kcompressd after its own slow path).
    const cpu = this_cpu(k)
    const pcp = cpu >= 0 ? z.pcp[cpu] : null
    if (z.free + (pcp ? pcp.count : 0) < delta) return false
    let nr = pgdat.nr_pool_pages
    if (nr + delta > pgdat.poolPfns.length) {
      const grown = new Int32Array(Math.max(2 * pgdat.poolPfns.length, nr + delta))
      grown.set(pgdat.poolPfns.subarray(0, nr))
      pgdat.poolPfns = grown
    }
    const pfns = pgdat.poolPfns
    for (let j = 0; j < delta; j++) pfns[nr++] = pcp ? rmqueue_pcplist(z, pcp) : z.alloc_page()
    pgdat.nr_pool_pages = nr
    k.vmstat.pgalloc_normal += delta
    return true
  }
  // Give pages back, from whichever nodes hold pool pages.
  let n = -delta
  for (let i = 0; n > 0 && i < k.pgdats.length; i++) {
    const pg = k.pgdats[(nid + i) % k.pgdats.length]
    const take = Math.min(n, pg.nr_pool_pages)
    n -= take
    const pfns = pg.poolPfns
    let nr = pg.nr_pool_pages
    for (let j = 0; j < take; j++) free_pcp_page(k, pg.zone, pfns[--nr])
    pg.nr_pool_pages = nr
    k.vmstat.pgfree += take
  }
  return true
}
