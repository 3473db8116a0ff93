import { FRESH, type ArrayStore } from '../arena'
import type { Thread } from '../cpu/thread'
import { WaitQueue } from '../cpu/waitqueue'
import type { LruGenFolio } from './lru_gen'
import type { PerCpuPages } from './pcp'
import * as mm_types from './types'
import * as pageblock_mod from './pageblock'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { NR_LRU_LISTS, PAGE_SHIFT, SWAP_CLUSTER_MAX, WMARK_HIGH, WMARK_LOW, WMARK_MIN } = mm_types
const { UnmovablePageblocks, pageblock_nr_pages, pageblock_order } = pageblock_mod

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
 * boot leaves free frames in Unmovable pageblocks (boot_layout()), and Movable allocations, all
 * the model makes, fall back into them only when no Movable frame is left (__rmqueue_fallback()),
 * which can raise the watermarks (boost_watermark()).
 * Simplified: no Unmovable or Reclaimable allocations after boot (page tables, slab), which in
 * the kernel fall back into Movable pageblocks and boost again.
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
  /** The end of the boot's Unmovable pageblocks: every frame from here on is Movable. */
  unmovable_end: number
  /**
   * Free frames of Movable pageblocks (order 0; stands in for the buddy lists): a stack of freed
   * frames on top of the never-allocated range [hwm, hwm_end), handed out in ascending order.
   */
  freelist: Int32Array
  private nstack = 0
  private hwm: number
  private hwm_end: number
  /** The free frames of the Unmovable pageblocks boot left (none until boot_layout()). */
  private unmovable: pageblock_mod.UnmovablePageblocks

  constructor(
    readonly managed_pages: number,
    readonly first_pfn: number,
    store: ArrayStore = FRESH
  ) {
    this.freelist = store.int32(managed_pages)
    this.pageblock_mt = new Uint8Array(Math.ceil(managed_pages / pageblock_nr_pages))
    this.unmovable = new UnmovablePageblocks(first_pfn, 0)
    this.unmovable_end = first_pfn
    this.hwm = first_pfn
    this.hwm_end = first_pfn + managed_pages
    this.free = managed_pages
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
    const ub = (this.unmovable = new UnmovablePageblocks(this.first_pfn, blocks))
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
    return true
  }

  /** __rmqueue(MIGRATE_MOVABLE): one free frame (the caller checked `free`). */
  alloc_page(): number {
    this.free--
    if (this.nstack > 0) return this.freelist[--this.nstack]
    if (this.hwm < this.hwm_end) return this.hwm++
    return this.__rmqueue_fallback()
  }

  /**
   * A Movable allocation with no Movable frame left (mm/page_alloc.c, __rmqueue()): first
   * __rmqueue_claim(), from the largest chunk of an Unmovable pageblock down to order
   * pageblock_order / 2, each try boosting the watermarks; then __rmqueue_steal(): one frame of
   * the smallest chunk, without a boost.
   * Simplified: the first block (lowest pfn) with a chunk of an order stands for the chunk at the
   * head of its free list; a wholly free block counts as order pageblock_order even where it and
   * its neighbour would form an order-10 chunk.
   */
  private __rmqueue_fallback(): number {
    const ub = this.unmovable
    for (let order = pageblock_order; order >= pageblock_order >> 1; order--)
      for (let b = 0; b < ub.nr_blocks; b++) {
        if (this.pageblock_mt[b] === MIGRATE_MOVABLE || ub.chunk(b, order) < 0) continue
        const pfn = this.try_to_steal_block(b, order)
        if (pfn >= 0) return pfn
        break
      }
    for (let order = 0; order <= pageblock_order; order++)
      for (let b = 0; b < ub.nr_blocks; b++) {
        const offset = this.pageblock_mt[b] === MIGRATE_MOVABLE ? -1 : ub.chunk(b, order)
        if (offset < 0) continue
        const pfn = this.first_pfn + b * pageblock_nr_pages + offset
        ub.take(pfn)
        return pfn
      }
    throw new Error('__rmqueue_fallback(): no free frame although the zone counted one')
  }

  /**
   * mm/page_alloc.c: try_to_steal_block(): a chunk of a whole pageblock is claimed outright;
   * a smaller one boosts the watermarks (ZONE_BOOSTED_WATERMARK, all allocations here may wake
   * kswapd) and claims its block when at least half of the block is free or in Movable use.
   * Returns a frame of the claimed block, or -1.
   */
  private try_to_steal_block(b: number, order: number): number {
    const ub = this.unmovable
    if (order < pageblock_order) {
      if (this.boost_watermark()) this.boosted_watermark = true
      const free_pages = ub.block_free[b]
      const movable_pages = pageblock_nr_pages - free_pages - ub.block_kernel[b]
      if (free_pages + movable_pages < pageblock_nr_pages >> 1) return -1
    }
    this.pageblock_mt[b] = MIGRATE_MOVABLE
    ub.take_block(b, (pfn) => (this.freelist[this.nstack++] = pfn))
    return this.freelist[--this.nstack]
  }

  /** Returns a frame to the free list of its pageblock's migratetype. */
  free_page(pfn: number): void {
    if (this.is_unmovable(pfn)) this.unmovable.free(pfn)
    else this.freelist[this.nstack++] = pfn
    this.free++
  }

  /** Whether a frame lies in an Unmovable pageblock. */
  is_unmovable(pfn: number): boolean {
    return (
      pfn < this.unmovable_end &&
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

/** struct lruvec: list sizes, scan-balance costs and the workingset clock. */
export class Lruvec {
  nr = new Float64Array(NR_LRU_LISTS)
  anon_cost = 0
  file_cost = 0
  nonresident_age = 0
  /** refaults[WORKINGSET_ANON/FILE]: snapshot of workingset_activate_* at the end of reclaim. */
  refaults = [0, 0]
  workingset_activate = [0, 0]
  /** MGLRU state when /sys/kernel/mm/lru_gen/enabled is on, else null. */
  lrugen: LruGenFolio | null = null
}

export const PGDAT_DIRTY = 1
export const PGDAT_WRITEBACK = 2
/** LRUVEC_NODE_CONGESTED (the node's one lruvec, kept with the pgdat flags). */
export const LRUVEC_NODE_CONGESTED = 4

/** enum vmscan_throttle_state */
export const VMSCAN_THROTTLE_WRITEBACK = 0
export const VMSCAN_THROTTLE_ISOLATED = 1
export const VMSCAN_THROTTLE_NOPROGRESS = 2
export const VMSCAN_THROTTLE_CONGESTED = 3

/** pg_data_t */
export class Pgdat {
  zone: Zone
  lruvec = new Lruvec()
  kswapd: Thread | null = null
  kswapd_wait = new WaitQueue('kswapd_wait')
  pfmemalloc_wait = new WaitQueue('pfmemalloc_wait')
  /** reclaim_wait[NR_VMSCAN_THROTTLE]: reclaimers throttled by reason. */
  reclaim_wait = [
    new WaitQueue('reclaim_wait_writeback'),
    new WaitQueue('reclaim_wait_isolated'),
    new WaitQueue('reclaim_wait_noprogress'),
    new WaitQueue('reclaim_wait_congested')
  ]
  nr_writeback_throttled = 0
  /** NR_THROTTLED_WRITTEN when the first writeback throttle started, and the counter itself. */
  nr_reclaim_start = 0
  nr_throttled_written = 0
  kswapd_failures = 0
  kswapd_order = 0
  kswapd_sleeping = false
  flags = 0
  nr_isolated_anon = 0
  nr_isolated_file = 0
  /** Pages held by the compressed pools (zsmalloc for zram/zswap) on this node. */
  nr_pool_pages = 0
  /** The pool's page frames, a stack of nr_pool_pages entries (grown by doubling, never shrunk). */
  poolPfns = new Int32Array(1024)
  /** Pages the kernel holds from boot (device.kernel_used_mb): slab, vmalloc, ramfs. */
  nr_kernel_pages = 0

  constructor(
    readonly node_id: number,
    managed: number,
    first_pfn: number,
    store: ArrayStore = FRESH
  ) {
    this.zone = new Zone(managed, first_pfn, store)
  }
}

/** lib/math/int_sqrt.c: int_sqrt(): floor of the square root. */
export function int_sqrt(x: number): number {
  let r = Math.floor(Math.sqrt(x))
  while (r * r > x) r--
  while ((r + 1) * (r + 1) <= x) r++
  return r
}

/**
 * mm/page_alloc.c: calculate_min_free_kbytes()
 * min_free_kbytes = int_sqrt(lowmem_kbytes * 16), clamped to [128, 262144].
 */
export function calculate_min_free_kbytes(lowmem_kbytes: number): number {
  const new_min_free_kbytes = int_sqrt(lowmem_kbytes * 16)
  return Math.min(Math.max(new_min_free_kbytes, 128), 262144)
}

/**
 * mm/page_alloc.c: __setup_per_zone_wmarks()
 * WMARK_MIN is each zone's share of min_free_kbytes; LOW and HIGH add
 * max(MIN/4, managed * watermark_scale_factor / 10000) each.
 * Simplified: all zones are lowmem (no highmem/movable zone).
 */
export function __setup_per_zone_wmarks(
  zones: Zone[],
  min_free_kbytes: number,
  watermark_scale_factor: number
): void {
  const pages_min = min_free_kbytes >> (PAGE_SHIFT - 10)
  let lowmem_pages = 0
  for (const z of zones) lowmem_pages += z.managed_pages
  for (const zone of zones) {
    const tmp0 = Math.floor((pages_min * zone.managed_pages) / lowmem_pages)
    zone._watermark[WMARK_MIN] = tmp0
    const tmp = Math.max(
      tmp0 >> 2,
      Math.floor((zone.managed_pages * watermark_scale_factor) / 10000)
    )
    zone.watermark_boost = 0
    zone._watermark[WMARK_LOW] = tmp0 + tmp
    zone._watermark[WMARK_HIGH] = tmp0 + tmp * 2
  }
}

/** mm/page_alloc.c: zone_batchsize(): the per-cpu pageset batch (also the model's fault batch). */
export function zone_batchsize(managed_pages: number): number {
  let batch = Math.min(managed_pages >> 10, (1024 * 1024) >> PAGE_SHIFT)
  batch = Math.floor(batch / 4)
  if (batch < 1) batch = 1
  const x = batch + Math.floor(batch / 2)
  return Math.max(2 ** Math.floor(Math.log2(x)) - 1, 1)
}

export { SWAP_CLUSTER_MAX }
