/** Constants and page flags named after include/linux/{mmzone,swap,page-flags}.h. */
export const PAGE_SIZE = 4096
export const PAGE_SHIFT = 12
export const SWAP_CLUSTER_MAX = 32
export const DEF_PRIORITY = 12
export const MAX_RECLAIM_RETRIES = 16
export const HZ_NS = 1_000_000_000
export const MAX_SWAPPINESS = 200

/** enum lru_list (LRU_BASE = 0, LRU_ACTIVE = 1, LRU_FILE = 2). */
export const LRU_INACTIVE_ANON = 0
export const LRU_ACTIVE_ANON = 1
export const LRU_INACTIVE_FILE = 2
export const LRU_ACTIVE_FILE = 3
export const LRU_ACTIVE = 1
export const LRU_FILE = 2
export const NR_LRU_LISTS = 4
export const LRU_NAMES = ['inactive_anon', 'active_anon', 'inactive_file', 'active_file']

export function is_file_lru(lru: number): number {
  return lru >> 1
}
export function is_active_lru(lru: number): boolean {
  return (lru & 1) === 1
}

/** enum zone_watermarks */
export const WMARK_MIN = 0
export const WMARK_LOW = 1
export const WMARK_HIGH = 2

/** enum zone_type indices used for allocstall_* (gfp_zone() of the request). */
export const ZONE_NORMAL = 2
export const ZONE_MOVABLE = 3

/** Page flag bits (a subset of enum pageflags, plus the PTE young bit of the single mapping). */
export const PG_lru = 1 << 0
export const PG_active = 1 << 1
export const PG_referenced = 1 << 2
export const PG_swapbacked = 1 << 3
export const PG_dirty = 1 << 4
export const PG_writeback = 1 << 5
export const PG_reclaim = 1 << 6
export const PG_workingset = 1 << 7
export const PG_swapcache = 1 << 8
/** Accessed bit of the PTE mapping this folio (cleared by the rmap walk in folio_referenced()). */
export const PTE_young = 1 << 9
/** The folio is mapped into a page table (anon always; file when mmapped). */
export const PG_mapped = 1 << 10
/** Owner exited while the folio was isolated: free it at putback. */
export const PG_orphan = 1 << 11
export const PG_locked = 1 << 12
/** Not a kernel flag: the folio went through a kcompressd queue (for the re-scan metrics). */
export const PG_kcompressd = 1 << 13

/** gfp masks, reduced to what the model distinguishes. */
export const GFP_KERNEL = 1
export const GFP_HIGHUSER_MOVABLE = 2
/** GFP_KERNEL without __GFP_IO/__GFP_FS: zsmalloc's slab allocations under zram's GFP_NOIO fallback. */
export const GFP_NOIO = 3

export function gfp_zone(gfp: number): number {
  return gfp === GFP_HIGHUSER_MOVABLE ? ZONE_MOVABLE : ZONE_NORMAL
}

/** __GFP_FS: the allocation may enter the filesystem (all but GFP_NOIO here). */
export function gfp_fs(gfp: number): boolean {
  return gfp !== GFP_NOIO
}

/** __GFP_IO: reclaim for this allocation may start swap IO. */
export function gfp_io(gfp: number): boolean {
  return gfp !== GFP_NOIO
}

/** MGLRU (include/linux/mmzone.h): generations, tiers, batches. */
export const MIN_NR_GENS = 2
export const MAX_NR_GENS = 4
export const MAX_NR_TIERS = 4
export const LRU_GEN_ANON = 0
export const LRU_GEN_FILE = 1
export const MIN_LRU_BATCH = 64
export const MAX_LRU_BATCH = MIN_LRU_BATCH * 64
/** LRU_REFS_WIDTH = MAX_NR_TIERS - 2 bits of accesses through file descriptors, in page flags. */
export const LRU_REFS_WIDTH = 2
export const LRU_REFS_PGOFF = 14
export const LRU_REFS_MASK = ((1 << LRU_REFS_WIDTH) - 1) << LRU_REFS_PGOFF

/** Content classes a workload assigns to anonymous pages (decides compressed size and cost). */
export const CONTENT_ZERO = 0
export const CONTENT_SAME = 1
export const CONTENT_TYPICAL = 2
export const CONTENT_INCOMPRESSIBLE = 3
/** Partly random, rest zero (the twin eater's fill_page()): size from mapping.random_bytes. */
export const CONTENT_PARTIAL = 4
