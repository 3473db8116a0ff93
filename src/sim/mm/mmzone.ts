import { FRESH, type ArrayStore } from '../arena'
import type { Thread } from '../cpu/thread'
import { WaitQueue } from '../cpu/waitqueue'
import type { LruGenFolio } from './lru_gen'
import * as mm_types from './types'
import { Zone } from './zone'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { NR_LRU_LISTS, PAGE_SHIFT, SWAP_CLUSTER_MAX, WMARK_HIGH, WMARK_LOW, WMARK_MIN } = mm_types

export { MIGRATE_MOVABLE, MIGRATE_UNMOVABLE, Zone } from './zone'

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
  /** NR_PAGETABLE: the processes' last-level page tables (mm/memory.ts). */
  nr_page_table_pages = 0
  /** Slab pages allocated since boot that stay: the compressed pools' handles (mm/zsmalloc.ts). */
  nr_slab_pages = 0

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
