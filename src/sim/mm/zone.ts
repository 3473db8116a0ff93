import { FRESH, type ArrayStore } from '../arena'
import type { PerCpuPages } from './pcp'
import * as mm_types from './types'
import * as pageblock_mod from './pageblock'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { WMARK_HIGH, WMARK_LOW, WMARK_MIN } = mm_types
const { UnmovablePageblocks, pageblock_nr_pages, pageblock_order } = pageblock_mod

/** MAX_PAGE_ORDER (x86-64): the largest buddy chunk, 4 MiB. */
const MAX_PAGE_ORDER = 10

/**
 * enum migratetype, as far as the model tells them apart: MIGRATE_UNMOVABLE stands for the
 * Unmovable and Reclaimable pageblocks alike.
 */
export const MIGRATE_MOVABLE = 0
export const MIGRATE_UNMOVABLE = 1

/**
 * struct zone (one ZONE_NORMAL per node in the model).
 *
 * Free frames are kept by the migratetype of their pageblock (mm/page_alloc.c, order 0): the
 * boot leaves free frames in Unmovable pageblocks (boot_layout()). Movable allocations (user
 * pages, the compressed pools) fall back into them only when no Movable frame is left
 * (__rmqueue_fallback()); Unmovable ones (page tables, slab) fall back into Movable memory when
 * no Unmovable frame is left (alloc_unmovable()). Both can raise the watermarks
 * (boost_watermark()).
 */
export class Zone {
  _watermark = [0, 0, 0]
  watermark_boost = 0
  /** vm.watermark_boost_factor */
  watermark_boost_factor = 15000
  /** ZONE_BOOSTED_WATERMARK: a fallback boosted the watermarks; the next allocation wakes kswapd. */
  boosted_watermark = false
  /** NR_FREE_PAGES (pages on the per-CPU lists are not counted) */
  free = 0
  /** zone_batchsize(): the per-CPU lists' batch */
  batch = 1
  /** Each CPU's list of this zone's free pages (mm/pcp.ts). */
  pcp: PerCpuPages[] = []
  /** ZONE_RECLAIM_ACTIVE: kswapd is reclaiming the node. */
  reclaim_active = false
  /** ZONE_BELOW_HIGH: an allocation found the zone below its high watermark. */
  below_high = false
  /** The migratetype of each pageblock (MIGRATE_MOVABLE or MIGRATE_UNMOVABLE). */
  readonly pageblock_mt: Uint8Array
  /** The end of the boot's Unmovable pageblocks. */
  unmovable_end: number
  /** The lowest frame of a block Unmovable allocations claimed (is_unmovable()'s fast path). */
  private claimed_start: number
  /** Unmovable allocations that fell back into Movable memory (mm_page_alloc_extfrag)… */
  nr_unmovable_fallbacks = 0
  /** …and of them, those that stole a frame without claiming its block. */
  nr_unmovable_steals = 0
  /** boost_watermark() calls. */
  nr_boosts = 0
  /**
   * rmqueue_bulk()'s enum rmqueue_mode, reduced to whether the calls of one bulk allocation found
   * only steals: each of them then steals at once, without claim tries (and their boosts).
   */
  private rmqueue_steal = false
  /**
   * Free frames of Movable pageblocks (order 0; stands in for the buddy lists): a stack of freed
   * frames on top of the never-allocated range [hwm, hwm_end), handed out in ascending order.
   */
  freelist: Int32Array
  private nstack = 0
  private hwm: number
  private hwm_end: number
  /** Scratch for claim_movable_block(): free Movable frames per pageblock, counted from the stack. */
  private readonly block_counts: Uint16Array
  /** The free frames of the Unmovable pageblocks (none until boot_layout() or a claim). */
  private unmovable: pageblock_mod.UnmovablePageblocks

  constructor(
    readonly managed_pages: number,
    readonly first_pfn: number,
    store: ArrayStore = FRESH
  ) {
    this.freelist = store.int32(managed_pages)
    this.pageblock_mt = new Uint8Array(Math.ceil(managed_pages / pageblock_nr_pages))
    this.unmovable = new UnmovablePageblocks(first_pfn, this.pageblock_mt.length)
    this.unmovable_end = first_pfn
    this.claimed_start = first_pfn + managed_pages
    this.hwm = first_pfn
    this.hwm_end = first_pfn + managed_pages
    this.free = managed_pages
    this.block_counts = new Uint16Array(this.pageblock_mt.length)
  }

  private block(pfn: number): number {
    return (pfn - this.first_pfn) >> pageblock_order
  }

  /**
   * The boot's layout: the kernel's `nr_kernel` pages and the free buddy chunks `free_chunks`
   * (a count per order, /proc/pagetypeinfo's Unmovable row) fill the Unmovable pageblocks at the
   * bottom of the zone; the rest of the kernel's pages spill into the next block. Chunks are laid
   * from the top of the region down, largest first, each beside a kernel-held buddy so that none
   * merge. With fewer kernel pages than the blocks need, their remaining frames are free too.
   */
  boot_layout(nr_kernel: number, free_chunks: readonly number[]): void {
    // A chunk below a pageblock takes twice its size (its buddy stays the kernel's), a larger one
    // its own size: laid largest first, each footprint keeps the next one aligned.
    const footprint = (order: number) => 2 ** (order >= pageblock_order ? order : order + 1)
    const pool = free_chunks.reduce((sum, n, order) => sum + n * 2 ** order, 0)
    const slots = free_chunks.reduce((sum, n, order) => sum + n * footprint(order), 0)
    const blocks = Math.max(
      Math.ceil(slots / pageblock_nr_pages),
      Math.floor((nr_kernel + pool) / pageblock_nr_pages)
    )
    if (blocks * pageblock_nr_pages > this.managed_pages)
      throw new Error(
        `the kernel's pages and the Unmovable free chunks need ${blocks} pageblocks; the zone has ${Math.floor(this.managed_pages / pageblock_nr_pages)}`
      )
    this.pageblock_mt.fill(MIGRATE_UNMOVABLE, 0, blocks)
    const ub = (this.unmovable = new UnmovablePageblocks(this.first_pfn, this.pageblock_mt.length))
    for (let b = 0; b < blocks; b++) ub.add_block(b)
    const region = blocks * pageblock_nr_pages
    this.unmovable_end = this.first_pfn + region
    const is_free = new Uint8Array(region)
    let top = region
    for (let order = free_chunks.length - 1; order >= 0; order--)
      for (let n = 0; n < free_chunks[order]; n++) {
        top -= footprint(order)
        is_free.fill(1, top, top + 2 ** order)
      }
    let kernel_in_region = 0
    for (let i = 0; i < region; i++) {
      const pfn = this.hwm++
      if (!is_free[i] && kernel_in_region < nr_kernel) {
        ub.block_kernel[i >> pageblock_order]++
        kernel_in_region++
      } else ub.free(pfn)
    }
    this.free -= kernel_in_region
    for (let i = kernel_in_region; i < nr_kernel; i++) this.alloc_page()
  }

  /** Free frames in Unmovable pageblocks (part of `free`). */
  get nr_free_unmovable(): number {
    return this.unmovable.nr_free
  }

  /**
   * mm/page_alloc.c: boost_watermark(): not on zones under four pageblocks; a pageblock more, up
   * to watermark_boost_factor of the high watermark (at least a pageblock).
   */
  private boost_watermark(): boolean {
    if (!this.watermark_boost_factor || pageblock_nr_pages * 4 > this.managed_pages) return false
    const max_boost = Math.floor(
      (this._watermark[WMARK_HIGH] * this.watermark_boost_factor) / 10000
    )
    if (!max_boost) return false
    this.watermark_boost = Math.min(
      this.watermark_boost + pageblock_nr_pages,
      Math.max(pageblock_nr_pages, max_boost)
    )
    this.nr_boosts++
    return true
  }

  /** __rmqueue(MIGRATE_MOVABLE): one free frame (the caller checked `free`). */
  alloc_page(): number {
    this.rmqueue_steal = false
    return this.__rmqueue()
  }

  /**
   * rmqueue_bulk(MIGRATE_MOVABLE): `n` frames into `buf` from `at` on (the caller checked `free`),
   * under one zone lock, so that once a call had to steal the rest steal too. Returns the new end.
   */
  rmqueue_bulk(buf: Int32Array, at: number, n: number): number {
    this.rmqueue_steal = false
    // __rmqueue() n times, its first two sources written out: the stack, then the range.
    const freelist = this.freelist
    let nstack = this.nstack
    let i = 0
    for (; i < n && nstack > 0; i++) buf[at++] = freelist[--nstack]
    this.nstack = nstack
    for (; i < n && this.hwm < this.hwm_end; i++) buf[at++] = this.hwm++
    this.free -= i
    for (; i < n; i++) buf[at++] = this.__rmqueue()
    return at
  }

  private __rmqueue(): number {
    this.free--
    if (this.nstack > 0) return this.freelist[--this.nstack]
    if (this.hwm < this.hwm_end) return this.hwm++
    return this.__rmqueue_fallback()
  }

  /**
   * A Movable allocation with no Movable frame left (mm/page_alloc.c, __rmqueue()): first
   * __rmqueue_claim(), from the largest chunk of an Unmovable pageblock down to order
   * pageblock_order / 2, each try boosting the watermarks; then __rmqueue_steal(): one frame of
   * the smallest chunk, without a boost. Within a bulk allocation that stole, only the steal.
   * Simplified: the first block (lowest pfn) with a chunk of an order stands for the chunk at the
   * head of its free list; a wholly free block counts as order pageblock_order even where it and
   * its neighbour would form an order-10 chunk.
   */
  private __rmqueue_fallback(): number {
    const ub = this.unmovable
    if (!this.rmqueue_steal)
      for (let order = pageblock_order; order >= pageblock_order >> 1; order--)
        for (let s = 0; s < ub.nr_slots; s++) {
          if (ub.chunk(s, order) < 0) continue
          const pfn = this.try_to_steal_block(s, order)
          if (pfn >= 0) return pfn
          break
        }
    const pfn = ub.smallest()
    if (pfn < 0)
      throw new Error('__rmqueue_fallback(): no free frame although the zone counted one')
    ub.take(pfn)
    this.rmqueue_steal = true
    return pfn
  }

  /**
   * mm/page_alloc.c: try_to_steal_block(): a chunk of a whole pageblock is claimed outright;
   * a smaller one boosts the watermarks (ZONE_BOOSTED_WATERMARK, all allocations here may wake
   * kswapd) and claims its block when at least half of the block is free or in Movable use.
   * Returns a frame of the claimed block, or -1.
   */
  private try_to_steal_block(s: number, order: number): number {
    const ub = this.unmovable
    if (order < pageblock_order) {
      if (this.boost_watermark()) this.boosted_watermark = true
      const free_pages = ub.block_free[s]
      const movable_pages = pageblock_nr_pages - free_pages - ub.block_kernel[s]
      if (free_pages + movable_pages < pageblock_nr_pages >> 1) return -1
    }
    this.pageblock_mt[ub.blocks[s]] = MIGRATE_MOVABLE
    ub.take_block(s, (pfn) => (this.freelist[this.nstack++] = pfn))
    return this.freelist[--this.nstack]
  }

  /**
   * __rmqueue(MIGRATE_UNMOVABLE) for one frame, a page table's or a slab's (the caller checked
   * `free`): __rmqueue_smallest() in the Unmovable pageblocks; else __rmqueue_claim(), the largest
   * Movable chunk first: a whole pageblock or more changes owner outright (the highest free
   * order-10 chunk of never-allocated frames, else a wholly free block); a smaller one boosts the
   * watermarks and claims its block if at least half of it is free; else __rmqueue_steal() takes
   * one Movable frame.
   * Simplified: the block with the most free Movable frames stands for the largest chunk's (frames
   * freed apart are not known to form larger chunks); one claim try per fallback.
   */
  alloc_unmovable(): number {
    this.rmqueue_steal = false
    return this.__rmqueue_unmovable()
  }

  /** rmqueue_bulk(MIGRATE_UNMOVABLE): as rmqueue_bulk(), for alloc_unmovable()'s frames. */
  rmqueue_bulk_unmovable(buf: Int32Array, at: number, n: number): number {
    this.rmqueue_steal = false
    for (let i = 0; i < n; i++) buf[at++] = this.__rmqueue_unmovable()
    return at
  }

  private __rmqueue_unmovable(): number {
    this.free--
    const ub = this.unmovable
    let pfn = ub.nr_free > 0 ? ub.smallest() : -1
    if (pfn < 0) {
      this.nr_unmovable_fallbacks++
      if (!this.rmqueue_steal && (this.claim_free_chunk() || this.claim_movable_block()))
        pfn = ub.smallest()
    }
    if (pfn >= 0) {
      ub.take(pfn, true)
      return pfn
    }
    this.nr_unmovable_steals++
    this.rmqueue_steal = true
    if (this.nstack > 0) return this.freelist[--this.nstack]
    if (this.hwm < this.hwm_end) return this.hwm++
    throw new Error('alloc_unmovable(): no free frame although the zone counted one')
  }

  /**
   * A free chunk of MAX_PAGE_ORDER (then pageblock_order) among the never-allocated frames: the
   * highest one's blocks turn Unmovable and their frames join the Unmovable free lists; frames
   * above it stay Movable. False if none is left.
   */
  private claim_free_chunk(): boolean {
    const lo = this.hwm - this.first_pfn
    const top = this.hwm_end - this.first_pfn
    for (let order = MAX_PAGE_ORDER; order >= pageblock_order; order--) {
      const end = Math.floor(top / (1 << order)) << order
      const start = end - (1 << order)
      if (start < lo) continue
      for (let rel = end; rel < top; rel++) this.freelist[this.nstack++] = this.first_pfn + rel
      this.hwm_end = this.first_pfn + start
      for (let b = start >> pageblock_order; b < end >> pageblock_order; b++) {
        const pfn0 = this.first_pfn + b * pageblock_nr_pages
        this.to_unmovable(b)
        for (let i = 0; i < pageblock_nr_pages; i++) this.unmovable.free(pfn0 + i)
      }
      return true
    }
    return false
  }

  /**
   * The claim try of the Movable block with the most free frames (outside the never-allocated
   * range): a wholly free block is claimed without a boost; a partly free one boosts and is
   * claimed if at least half of it is free (its Unmovable frames, stolen ones, are not counted).
   */
  private claim_movable_block(): boolean {
    const counts = this.count_free_per_block()
    // Blocks that still hold never-allocated frames are left to claim_free_chunk().
    const lo = this.hwm < this.hwm_end ? this.block(this.hwm) : counts.length
    const hi = this.hwm < this.hwm_end ? this.block(this.hwm_end - 1) : -1
    let best = -1
    let most = 0
    for (let b = 0; b < counts.length; b++) {
      if (counts[b] <= most || this.pageblock_mt[b] !== MIGRATE_MOVABLE) continue
      if (b >= lo && b <= hi) continue
      best = b
      most = counts[b]
    }
    if (best < 0) return false
    if (most < pageblock_nr_pages) {
      if (this.boost_watermark()) this.boosted_watermark = true
      if (most < pageblock_nr_pages >> 1) return false
    }
    this.to_unmovable(best)
    this.move_freepages_block(best)
    return true
  }

  /*
   * The two loops over the Movable stack are functions of their own: inside claim_movable_block()
   * V8 compiled them on the stack (OSR) and the compiled code gave up at the same place on every
   * later claim.
   */

  /** Free Movable frames per pageblock, counted from the stack (block_counts). */
  private count_free_per_block(): Uint16Array {
    const counts = this.block_counts.fill(0)
    const freelist = this.freelist
    for (let i = 0; i < this.nstack; i++) counts[this.block(freelist[i])]++
    return counts
  }

  /** move_freepages_block(): block b's free frames leave the Movable stack. */
  private move_freepages_block(b: number): void {
    const freelist = this.freelist
    let kept = 0
    for (let i = 0; i < this.nstack; i++) {
      const pfn = freelist[i]
      if (this.block(pfn) === b) this.unmovable.free(pfn)
      else freelist[kept++] = pfn
    }
    this.nstack = kept
  }

  /** Block b changes to Unmovable with no frame free in it yet. */
  private to_unmovable(b: number): void {
    this.pageblock_mt[b] = MIGRATE_UNMOVABLE
    this.unmovable.add_block(b)
    this.claimed_start = Math.min(this.claimed_start, this.first_pfn + b * pageblock_nr_pages)
  }

  /** A page table's or slab's frame comes free: back to its block's free list. */
  free_kernel_page(pfn: number): void {
    if (this.is_unmovable(pfn)) this.unmovable.free(pfn, true)
    else this.freelist[this.nstack++] = pfn
    this.free++
  }

  /** Returns a frame to the free list of its pageblock's migratetype. */
  free_page(pfn: number): void {
    if (this.is_unmovable(pfn)) this.unmovable.free(pfn)
    else this.freelist[this.nstack++] = pfn
    this.free++
  }

  /**
   * free_page() of list[end - 1], list[end - 2], …, list[start] in turn: the top of a per-CPU list
   * back to the zone.
   */
  free_list_top(list: Int32Array, start: number, end: number): void {
    const freelist = this.freelist
    for (let i = end - 1; i >= start; i--) {
      const pfn = list[i]
      if (this.is_unmovable(pfn)) this.unmovable.free(pfn)
      else freelist[this.nstack++] = pfn
    }
    this.free += end - start
  }

  /** Whether a frame lies in an Unmovable pageblock. */
  is_unmovable(pfn: number): boolean {
    return (
      (pfn < this.unmovable_end || pfn >= this.claimed_start) &&
      this.pageblock_mt[(pfn - this.first_pfn) >> pageblock_order] !== MIGRATE_MOVABLE
    )
  }
  min_wmark_pages(): number {
    return this._watermark[WMARK_MIN] + this.watermark_boost
  }
  low_wmark_pages(): number {
    return this._watermark[WMARK_LOW] + this.watermark_boost
  }
  high_wmark_pages(): number {
    return this._watermark[WMARK_HIGH] + this.watermark_boost
  }
  wmark_pages(i: number): number {
    return this._watermark[i] + this.watermark_boost
  }
}
