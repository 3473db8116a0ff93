import type { Kernel } from '../../kernel'
import type { Sub, Thread } from '../../cpu/thread'
import { WaitQueue } from '../../cpu/waitqueue'
import type { KcompressdConfig } from './designs'
import { KcompressdQueue } from './queue'
import * as kcompressd_thread_mod from './thread'
import * as kcompressd_metrics_mod from './metrics'
import * as writeout_mod from '../../mm/writeout'
import * as mm_types from '../../mm/types'
import type { VariantCounters, WriteoutPath } from '../../mm/writeout'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const {
  folio_wait_locked,
  kcompressd,
  kcompressd_catch_up,
  kcompressd_complete,
  kcompressd_write
} = kcompressd_thread_mod
const { kcompressd_derived, kcompressd_finish, kcompressd_sample, kcompressd_series } =
  kcompressd_metrics_mod
const { __swap_writepage, swap_zeromap_store } = writeout_mod
const { PG_kcompressd, PG_locked, PG_writeback } = mm_types

/**
 * The kcompressd variants behind the swap write-out seam: swap_writepage() hands the folio to a
 * kcompressd queue instead of compressing inline, when the design's gate allows it.
 * v1 / zram_async: the folio is under writeback and unlocked when pageout() returns (bio path:
 * pswpout counted at submission); completion rotates it to the inactive tail.
 * proto / v2 / unofficial: the folio stays locked, not under writeback (PG_reclaim cleared), and is
 * freed only when the scan reaches it again; pswpout/zswpout are counted by kcompressd.
 */
export class KcompressdWriteout implements WriteoutPath {
  readonly queues: KcompressdQueue[] = []
  readonly vc: VariantCounters = {
    queued: 0,
    completed: 0,
    queue_full: 0,
    rescanned_queued: 0,
    rescanned_done: 0,
    fault_waits: 0,
    fault_wait_ns: 0,
    nr_locked: 0,
    direct_reclaim: 0,
    depth_area: 0,
    depth_max: 0,
    depth_last_t: 0,
    depth_now: 0
  }
  /** Faults waiting for a queued folio's lock (folio_wait_bit_common on PG_locked). */
  readonly folio_wait = new WaitQueue('folio_wait_table')
  private rr = 0
  private offload = true
  private k: Kernel | null = null

  constructor(
    readonly name: string,
    readonly cfg: KcompressdConfig
  ) {}

  /** kswapd_run() (per node) / kcompressd_init() (global): queues, and threads unless lazy. */
  start(k: Kernel): void {
    this.k = k
    const c = this.cfg
    const groups = c.dispatch === 'per_node' ? k.pgdats.length : 1
    for (let g = 0; g < groups; g++)
      for (let i = 0; i < c.nr_kcompressd; i++) {
        const id = this.queues.length
        this.queues.push(new KcompressdQueue(id, g, c.queue_size))
      }
    if (!c.lazy_start) for (const q of this.queues) this.spawn(k, q)
    if (c.backends === 'zram' && !k.zram) {
      this.offload = false
      k.warnings.push(`${this.name}: zram-internal design, but swap is not zram: nothing offloaded`)
    }
    if (c.backends === 'zram_zswap' && !k.zram && !k.zswap) {
      this.offload = false
      k.warnings.push(`${this.name}: needs zswap or a synchronous swap device: nothing offloaded`)
    }
    if (c.folio === 'writeback' && !k.zram) {
      this.offload = false
      k.warnings.push(
        `${this.name}: folio=writeback is the zram bio path; without zram nothing is offloaded`
      )
    }
    if (c.single_cpu_guard && k.sched.cores.length === 1) this.offload = false
  }

  series(): string[] {
    return kcompressd_series(this)
  }
  sample(s: Record<string, number[]>, dt: number): void {
    kcompressd_sample(this, s, dt)
  }
  derived(k: Kernel, duration_s: number): Record<string, number> {
    return kcompressd_derived(this, k, duration_s)
  }
  finish(): string[] {
    return kcompressd_finish(this)
  }
  *folio_wait_locked(k: Kernel, t: Thread, pfn: number): Sub<void> {
    yield* folio_wait_locked(k, t, pfn)
  }

  catch_up(k: Kernel): void {
    kcompressd_catch_up(k)
  }

  private spawn(k: Kernel, q: KcompressdQueue): void {
    const name = this.cfg.dispatch === 'per_node' ? `kcompressd${q.id}` : `kcompressd:${q.id}`
    q.thread = k.sched.spawn(name, 'kworker', this.cfg.nice, (t) => kcompressd(k, t, this, q))
  }

  /** Time-weighted queue depth bookkeeping; call before every depth change. */
  depth_change(delta: number): void {
    const vc = this.vc
    const now = this.k!.env.now
    vc.depth_area += vc.depth_now * (now - vc.depth_last_t)
    vc.depth_last_t = now
    vc.depth_now += delta
    if (vc.depth_now > vc.depth_max) vc.depth_max = vc.depth_now
  }

  /** The queue a folio goes to, or null when every candidate is full. */
  private pick(nid: number): KcompressdQueue | null {
    const c = this.cfg
    const n = c.nr_kcompressd
    const base = c.dispatch === 'per_node' ? nid * n : 0
    const start = c.dispatch === 'round_robin' ? this.rr++ % n : 0
    for (let i = 0; i < n; i++) {
      const q = this.queues[base + ((start + i) % n)]
      if (q.avail()) return q
    }
    return null
  }

  /**
   * mm/page_io.c: swap_writepage() with the variant's hook (swap_sched_async_compress() after the
   * zero-map handling in proto/v2/unofficial; schedule_bio_write() in zram_submit_bio() for v1).
   * Simplified: the folio's node picks the per-node queue (kswapd runs on its node's CPUs).
   */
  swap_writepage(k: Kernel, t: Thread, pfn: number, slot: number): number {
    const m = k.mappings[k.pages.mapping[pfn]]
    const content = m.content ? m.content[k.pages.index[pfn]] : 2
    if (swap_zeromap_store(k, content, slot)) return 0
    const c = this.cfg
    if (!this.offload || (c.offload_contexts === 'kswapd' && !t.current_is_kswapd()))
      return this.inline(k, t, pfn, slot, content, m.random_bytes)
    let q = this.pick(k.pages.pfn_to_nid(pfn))
    if (q === null) {
      this.vc.queue_full++
      if (c.full_policy === 'sync_newest')
        return this.inline(k, t, pfn, slot, content, m.random_bytes)
      // Unofficial 0.5: write out the oldest queued folio synchronously, then enqueue this one.
      q = this.queues[c.dispatch === 'per_node' ? k.pages.pfn_to_nid(pfn) * c.nr_kcompressd : 0]
      const i = q.shift()
      this.depth_change(-1)
      const opfn = q.pfn[i]
      kcompressd_write(k, this, t, opfn, q.slot[i])
      kcompressd_complete(k, this, opfn)
    }
    if (c.folio === 'writeback') {
      // swap_writepage_bdev_async(): count_swpout_vm_event(), folio_start_writeback(), unlock.
      k.vmstat.pswpout++
      k.pages.flags[pfn] |= PG_writeback
      k.writeback_pending++
    } else {
      k.pages.flags[pfn] |= PG_locked
      this.vc.nr_locked++
    }
    k.pages.flags[pfn] |= PG_kcompressd
    q.push(pfn, slot)
    this.vc.queued++
    k.tracer?.instant('kcompressd_enqueue', t, { pfn, queue: q.id })
    this.depth_change(1)
    if (q.thread === null) this.spawn(k, q)
    else if (q.sleeping && c.wake === 'on_enqueue') q.wq.wake_up_all()
    return 0
  }

  /** Baseline behaviour: zswap_store() or __swap_writepage() in the caller's context. */
  private inline(
    k: Kernel,
    t: Thread,
    pfn: number,
    slot: number,
    content: number,
    random_bytes: number
  ): number {
    if (k.zswap && k.zswap.zswap_store(k, slot, content, random_bytes, k.pages.pfn_to_nid(pfn)))
      return 0
    return __swap_writepage(k, t, pfn, slot, content, random_bytes)
  }
}
