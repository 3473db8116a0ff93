import type { Kernel } from '../kernel'
import type { Sub, Thread } from '../cpu/thread'
import * as mm_inline_mod from './mm_inline'
import * as swap_mod from './swap'
import * as throttle_mod from './throttle'
import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { lruvec_add_folio, lruvec_del_folio, free_page } = mm_inline_mod
const { SWP_DISK, SWP_ZEROMAP } = swap_mod
const { acct_reclaim_writeback } = throttle_mod
const { CONTENT_ZERO, PG_active, PG_dirty, PG_lru, PG_orphan, PG_reclaim, PG_writeback } = mm_types

/** AOP_WRITEPAGE_ACTIVATE: the folio could not be written and should be activated. */
export const AOP_WRITEPAGE_ACTIVATE = 0x80000

/**
 * The swap write-out step of pageout(): `swap_writepage()` and what is under it (zero-map,
 * zswap_store(), __swap_writepage() to zram or a disk). This is the seam the patch variants replace
 * (kcompressd queues the folio here instead of compressing inline).
 */
export interface WriteoutPath {
  readonly name: string
  /**
   * Called for a dirty, unmapped anon folio in the swap cache. Adds the caller's CPU work to k.acc.
   * Returns 0 (written or queued; PG_writeback set if still in flight) or AOP_WRITEPAGE_ACTIVATE.
   * A folio left PG_dirty failed to write.
   */
  swap_writepage(k: Kernel, t: Thread, pfn: number, slot: number): number
  /** Start the threads the path needs (none for baseline). */
  start(k: Kernel): void
  /** The kcompressd variants' counters (null for baseline: the hot paths test this). */
  readonly vc: VariantCounters | null
  /** Extra sampled series (names) and their values at a sample, dt_ns since the last one. */
  series?(): string[]
  sample?(series: Record<string, number[]>, dt_ns: number): void
  /** Extra derived metrics and end-of-run warnings. */
  derived?(k: Kernel, duration_s: number): Record<string, number>
  finish?(k: Kernel): string[]
  /** Completes writes an asynchronous writer has finished by now within its current CPU burst. */
  catch_up?(k: Kernel): void
  /**
   * A fault found a swap-cache folio the path holds locked (only designs that return folios
   * locked from pageout): folio_lock() sleeps until the path unlocks it.
   */
  folio_wait_locked?(k: Kernel, t: Thread, pfn: number): Sub<void>
}

/** What the kcompressd variants count (src/sim/variants/kcompressd/kcompressd.ts). */
export interface VariantCounters {
  /** Folios handed to kcompressd (each one kept by the pass that queued it). */
  queued: number
  completed: number
  /** Queue full: kswapd compressed synchronously (the new folio, or the oldest in unofficial). */
  queue_full: number
  /** A scan reached a folio still queued or being written (kept or activated again). */
  rescanned_queued: number
  /** A scan reached a folio kcompressd had written: the extra scan that frees it. */
  rescanned_done: number
  fault_waits: number
  fault_wait_ns: number
  /** Folios locked in a queue now (locked designs). */
  nr_locked: number
  /** kcompressd entered the allocator's slow path (no PF_MEMALLOC). */
  direct_reclaim: number
  /** Time-weighted queue depth: ∫ depth dt (ns), the max, the last change and the depth now. */
  depth_area: number
  depth_max: number
  depth_last_t: number
  depth_now: number
}

/**
 * mm/page_io.c: the zero-filled check at the top of swap_writepage(): a folio of zeros is recorded
 * in swap_zeromap and never compressed. Returns true when it was.
 */
export function swap_zeromap_store(k: Kernel, content: number, slot: number): boolean {
  k.acc += k.costs.zero_check_ns
  if (content !== CONTENT_ZERO) return false
  k.swap!.where[slot] = SWP_ZEROMAP
  k.counters.zero_pages_out++
  return true
}

/**
 * mm/page_io.c: swap_writepage() (6.12)
 * zero-filled → swap_zeromap; zswap_store(); else __swap_writepage().
 * Simplified: no folio_free_swap() of stale swap cache, no memcg zswap.writeback check.
 */
export class BaselineWriteout implements WriteoutPath {
  readonly name: string = 'baseline'
  readonly vc: VariantCounters | null = null

  start(): void {}

  swap_writepage(k: Kernel, t: Thread, pfn: number, slot: number): number {
    const m = k.mappings[k.pages.mapping[pfn]]
    const content = m.content ? m.content[k.pages.index[pfn]] : 2
    if (swap_zeromap_store(k, content, slot)) return 0
    if (k.zswap && k.zswap.zswap_store(k, slot, content, m.random_bytes, k.pages.pfn_to_nid(pfn)))
      return 0
    return __swap_writepage(k, t, pfn, slot, content, m.random_bytes)
  }
}

/**
 * mm/page_io.c: __swap_writepage()
 * SWP_SYNCHRONOUS_IO (zram): swap_writepage_bdev_sync() compresses in the caller's context.
 * Otherwise swap_writepage_bdev_async(): PG_writeback until end_swap_bio_write().
 */
export function __swap_writepage(
  k: Kernel,
  _t: Thread,
  pfn: number,
  slot: number,
  content: number,
  random_bytes: number
): number {
  const si = k.swap!
  k.vmstat.pswpout++
  if (si.SWP_SYNCHRONOUS_IO && k.zram) {
    if (!k.zram.zram_write_page(k, slot, content, random_bytes, k.pages.pfn_to_nid(pfn))) {
      // __end_swap_bio_write() on error: "Write-error on swap-device", folio redirtied.
      k.pages.flags[pfn] |= PG_dirty
      k.pages.flags[pfn] &= ~PG_reclaim
    }
    return 0
  }
  if (!k.disk) return AOP_WRITEPAGE_ACTIVATE
  si.where[slot] = SWP_DISK
  k.pages.flags[pfn] |= PG_writeback
  k.writeback_pending++
  const done = k.disk.submit(1, true)
  k.env.at(done, () => end_swap_bio_write(k, pfn))
  return 0
}

/**
 * mm/page_io.c: end_swap_bio_write() → folio_end_writeback(): a folio with PG_reclaim is rotated to
 * the inactive tail (folio_rotate_reclaimable(), pgrotated) so the next scan frees it, even if it was
 * activated while under writeback.
 */
export function end_swap_bio_write(k: Kernel, pfn: number): void {
  const p = k.pages
  let f = p.flags[pfn]
  if ((f & PG_writeback) === 0) return
  f &= ~PG_writeback
  p.flags[pfn] = f
  k.writeback_pending--
  acct_reclaim_writeback(k.pgdats[p.pfn_to_nid(pfn)])
  if (f & PG_orphan) {
    if (f & PG_lru) {
      lruvec_del_folio(k, pfn)
      free_page(k, pfn)
    }
    return
  }
  if (f & PG_reclaim) {
    p.flags[pfn] = f & ~PG_reclaim
    folio_rotate_reclaimable(k, pfn)
  }
}

/**
 * mm/swap.c: folio_rotate_reclaimable() → lru_move_tail(): a clean folio on the LRU goes to the
 * inactive tail, losing PG_active, so the next scan frees it.
 */
export function folio_rotate_reclaimable(k: Kernel, pfn: number): void {
  const p = k.pages
  const f = p.flags[pfn]
  if ((f & PG_lru) === 0 || (f & PG_dirty) !== 0) return
  lruvec_del_folio(k, pfn)
  p.flags[pfn] &= ~PG_active
  lruvec_add_folio(k, pfn, true)
  k.vmstat.pgrotated++
}
