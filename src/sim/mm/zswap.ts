import type { Kernel } from '../kernel'
import type { Rng } from '../des/prng'
import { type ThreadBody } from '../cpu/thread'
import * as cpu_thread_mod from '../cpu/thread'
import { WaitQueue } from '../cpu/waitqueue'
import { Compressor, type CompAlgorithm } from './compress'
import * as swap_mod from './swap'
import * as zsmalloc_mod from './zsmalloc'
import { ZsPool } from './zsmalloc'
import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { cpu, io_wait, wait } = cpu_thread_mod
const { zs_class } = zsmalloc_mod
const { pool_resize, zs_handle_alloc, SWP_DISK, SWP_ZSWAP } = swap_mod
const { CONTENT_TYPICAL, PAGE_SIZE, SWAP_CLUSTER_MAX } = mm_types

/**
 * mm/zswap.c: a compressed cache in front of the swap device.
 * Simplified: one global pool and LRU (FIFO in store order), no per-cgroup limits, the writeback
 * folio is not allocated, same-filled pages are compressed (6.12 dropped zswap's same-filled path).
 */
export class Zswap {
  private pool = new ZsPool()
  stored_pages = 0
  pool_limit_hit = 0
  reject_compress_poor = 0
  reject_reclaim_fail = 0
  written_back_pages = 0
  reached_full = false
  private lru: number[] = []
  private lruHead = 0
  private rng: Rng
  private comp: Compressor
  readonly shrink_wq = new WaitQueue('zswap_shrink_wq')
  readonly max_pages: number
  readonly accept_thr_pages: number

  constructor(
    k: Kernel,
    readonly compressor: CompAlgorithm,
    max_pool_percent: number,
    accept_threshold_percent: number
  ) {
    this.rng = k.rng.get('zswap.comp_len')
    this.comp = new Compressor(
      compressor,
      k.costs.comp_scale[compressor],
      k.costs.decomp_scale[compressor]
    )
    this.max_pages = Math.floor((k.totalram_pages * max_pool_percent) / 100)
    this.accept_thr_pages = Math.floor((this.max_pages * accept_threshold_percent) / 100)
  }

  zswap_total_pages(): number {
    return this.pool.pages
  }

  /** zswap_check_limits() */
  private zswap_check_limits(): boolean {
    const cur_pages = this.zswap_total_pages()
    if (cur_pages >= this.max_pages) {
      this.pool_limit_hit++
      this.reached_full = true
    } else if (this.reached_full && cur_pages <= this.accept_thr_pages) {
      this.reached_full = false
    }
    return !this.reached_full
  }

  /**
   * zswap_store(): limits → zswap_compress() → zpool_malloc() → LRU add; counts zswpout.
   * Adds CPU work to k.acc. On a full pool, queues the shrink worker and rejects.
   */
  zswap_store(
    k: Kernel,
    slot: number,
    content: number,
    random_bytes: number,
    nid: number
  ): boolean {
    if (!this.zswap_check_limits()) {
      this.shrink_wq.wake_up_all()
      return false
    }
    k.acc += this.comp.compress_ns(content, random_bytes)
    const len = this.comp.len(content, random_bytes, this.rng)
    if (len >= PAGE_SIZE) {
      this.reject_compress_poor++
      return false
    }
    const before = this.pool.pages
    const cls = this.pool.malloc(len)
    const after = this.pool.pages
    k.acc += k.costs.zs_malloc_ns
    if (after > before && !pool_resize(k, nid, after - before)) {
      this.pool.free(cls)
      this.reject_reclaim_fail++
      return false
    }
    zs_handle_alloc(k, nid, this.pool)
    const si = k.swap!
    si.where[slot] = SWP_ZSWAP
    si.csize[slot] = len
    this.stored_pages++
    this.lru.push(slot)
    k.vmstat.zswpout++
    return true
  }

  /** zswap_load(): decompression work of a swap-in; the entry is dropped (exclusive load). */
  load_cost(content: number, random_bytes: number): number {
    return this.comp.decompress_ns(content, random_bytes)
  }

  /** zswap_invalidate() / zswap_entry_free() */
  zswap_invalidate(k: Kernel, slot: number): void {
    const si = k.swap!
    const before = this.pool.pages
    this.pool.free(zs_class(si.csize[slot]))
    this.stored_pages--
    const after = this.zswap_total_pages()
    if (after < before) pool_resize(k, 0, after - before)
  }

  /**
   * shrink_worker(): write back the oldest entries to the swap device until the pool is below the
   * accept threshold; each is decompressed and submitted with __swap_writepage() (zswpwb).
   */
  *shrink_worker(k: Kernel): ThreadBody {
    const si = k.swap!
    for (;;) {
      yield wait(this.shrink_wq)
      while (this.zswap_total_pages() > this.accept_thr_pages && this.lruHead < this.lru.length) {
        let work = 0
        let done = 0
        let last = 0
        while (done < SWAP_CLUSTER_MAX && this.lruHead < this.lru.length) {
          const slot = this.lru[this.lruHead++]
          if (si.where[slot] !== SWP_ZSWAP) continue
          work += this.comp.decompress_ns(CONTENT_TYPICAL, 0) + 500
          this.zswap_invalidate(k, slot)
          si.where[slot] = SWP_DISK
          k.vmstat.zswpwb++
          k.vmstat.pswpout++
          this.written_back_pages++
          last = k.disk!.submit(1, true)
          done++
        }
        if (this.lruHead > 65536 && this.lruHead * 2 > this.lru.length) {
          this.lru = this.lru.slice(this.lruHead)
          this.lruHead = 0
        }
        yield cpu(work, done, true)
        // Do not run far ahead of the device (its queue is the backpressure).
        if (last > k.env.now + 50_000_000) yield io_wait(last - k.env.now - 50_000_000)
      }
    }
  }
}
