import type { Kernel } from '../kernel'
import type { Rng } from '../des/prng'
import { Compressor, type CompAlgorithm } from './compress'
import * as compress_mod from './compress'
import * as swap_mod from './swap'
import * as zsmalloc_mod from './zsmalloc'
import { ZsPool } from './zsmalloc'
import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { huge_class_size } = compress_mod
const { zs_class } = zsmalloc_mod
const { pool_resize, zs_handle_alloc, SWP_ZRAM, SWP_ZRAM_HUGE, SWP_ZRAM_SAME } = swap_mod
const { CONTENT_SAME, CONTENT_ZERO, PAGE_SIZE } = mm_types

/** zram_read_page() of a same-filled page: a memset (reference ns). */
export const ZRAM_SAME_READ_NS = 200
/** zram_read_page() of a page stored whole: a 4 KiB copy, no decompression (reference ns). */
export const ZRAM_HUGE_READ_NS = 400

/**
 * drivers/block/zram: a compressed RAM block device. Compression runs in the caller's context on
 * the caller's per-CPU stream (zcomp_stream_get), so parallelism = concurrent callers.
 * compr_data_size counts compressed lengths (a page stored whole counts PAGE_SIZE); the pool's
 * pages are zsmalloc's (mm/zsmalloc.ts: size classes, zspage chains), taken from the page allocator.
 * Simplified: the pool stays packed after frees (as if compacted), no writeback to a backing device.
 */
export class Zram {
  /** mm_stat fields */
  orig_data_size = 0
  compr_data_size = 0
  mem_used_total = 0
  mem_used_max = 0
  same_pages = 0
  huge_pages = 0
  writestall = 0
  failed_writes = 0
  private pool = new ZsPool()
  private rng: Rng
  private comp: Compressor

  constructor(
    k: Kernel,
    readonly comp_algorithm: CompAlgorithm,
    readonly disksize_pages: number,
    readonly mem_limit_pages: number
  ) {
    this.rng = k.rng.get('zram.comp_len')
    this.comp = new Compressor(
      comp_algorithm,
      k.costs.comp_scale[comp_algorithm],
      k.costs.decomp_scale[comp_algorithm]
    )
  }

  pool_pages(): number {
    return this.pool.pages
  }

  /**
   * drivers/block/zram/zram_drv.c: zram_write_page()
   * page_same_filled() → ZRAM_SAME; zcomp_compress(); comp_len >= huge_class_size → stored whole;
   * zs_malloc(); mem_limit check. CPU work is added to k.acc. Returns false on -ENOMEM.
   * Simplified: no writestall/recompress retry (allocation of pool pages ignores watermarks).
   */
  zram_write_page(
    k: Kernel,
    slot: number,
    content: number,
    random_bytes: number,
    nid: number
  ): boolean {
    const si = k.swap!
    k.acc += k.costs.zero_check_ns
    if (content === CONTENT_SAME || content === CONTENT_ZERO) {
      si.where[slot] = SWP_ZRAM_SAME
      si.csize[slot] = 0
      this.same_pages++
      this.orig_data_size++
      return true
    }
    k.acc += this.comp.compress_ns(content, random_bytes)
    let len = this.comp.len(content, random_bytes, this.rng)
    let huge = false
    if (len >= huge_class_size) {
      len = PAGE_SIZE
      huge = true
    }
    const before = this.pool.pages
    const cls = this.pool.malloc(len)
    const after = this.pool.pages
    k.acc += k.costs.zs_malloc_ns
    if (
      (this.mem_limit_pages > 0 && after > this.mem_limit_pages) ||
      (after > before && !pool_resize(k, nid, after - before))
    ) {
      this.pool.free(cls)
      this.failed_writes++
      return false
    }
    zs_handle_alloc(k, nid, this.pool)
    si.where[slot] = huge ? SWP_ZRAM_HUGE : SWP_ZRAM
    si.csize[slot] = len
    if (huge) this.huge_pages++
    this.orig_data_size++
    this.compr_data_size += len
    this.mem_used_total = this.pool_pages()
    if (this.mem_used_total > this.mem_used_max) this.mem_used_max = this.mem_used_total
    return true
  }

  /** zram_read_page(): decompression work for a swap-in (same pages just memset). */
  read_cost(k: Kernel, slot: number, content: number, random_bytes: number): number {
    const w = k.swap!.where[slot]
    if (w === SWP_ZRAM_SAME) return ZRAM_SAME_READ_NS
    if (w === SWP_ZRAM_HUGE) return ZRAM_HUGE_READ_NS
    return this.comp.decompress_ns(content, random_bytes)
  }

  /** zram_free_page() via zram_slot_free_notify(). */
  zram_free(k: Kernel, slot: number): void {
    const si = k.swap!
    const w = si.where[slot]
    this.orig_data_size--
    if (w === SWP_ZRAM_SAME) {
      this.same_pages--
      return
    }
    if (w === SWP_ZRAM_HUGE) this.huge_pages--
    const len = si.csize[slot]
    const before = this.pool.pages
    this.pool.free(zs_class(len))
    this.compr_data_size -= len
    const after = this.pool.pages
    if (after < before) pool_resize(k, 0, after - before)
    this.mem_used_total = after
  }
}
