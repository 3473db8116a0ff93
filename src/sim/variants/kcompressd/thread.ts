import type { Kernel } from '../../kernel'
import { type Sub, type Thread, type ThreadBody } from '../../cpu/thread'
import * as cpu_thread_mod from '../../cpu/thread'
import * as mm_inline_mod from '../../mm/mm_inline'
import type { KcompressdWriteout } from './kcompressd'
import type { KcompressdQueue } from './queue'
import * as page_alloc_mod from '../../mm/page_alloc'
import * as writeout_mod from '../../mm/writeout'
import * as mm_types from '../../mm/types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { cpu, wait } = cpu_thread_mod
const { free_page, lruvec_del_folio } = mm_inline_mod
const { __alloc_pages, zone_watermark_ok } = page_alloc_mod
const { __swap_writepage, end_swap_bio_write } = writeout_mod
const {
  GFP_NOIO,
  PG_dirty,
  PG_locked,
  PG_lru,
  PG_orphan,
  PG_reclaim,
  PG_swapcache,
  PG_writeback,
  SWAP_CLUSTER_MAX
} = mm_types

/**
 * Writes one queued folio: zram_bio_write() for the bio designs (v1, zram_async; pswpout was
 * counted at submission), or zswap_store() then __swap_writepage() (proto/v2/unofficial: pswpout
 * and zswpout counted here). CPU work goes to k.acc. A folio whose owner exited or that a fault
 * mapped back (the swap cache no longer holds it) is not written.
 */
export function kcompressd_write(
  k: Kernel,
  kc: KcompressdWriteout,
  t: Thread,
  pfn: number,
  slot: number
): void {
  const p = k.pages
  const si = k.swap!
  const f = p.flags[pfn]
  if ((f & PG_orphan) !== 0 || (f & PG_swapcache) === 0 || si.swapcache[slot] !== pfn) return
  const m = k.mappings[p.mapping[pfn]]
  const content = m.content ? m.content[p.index[pfn]] : 2
  if (kc.cfg.folio === 'writeback') {
    if (!k.zram!.zram_write_page(k, slot, content, m.random_bytes, p.pfn_to_nid(pfn))) {
      p.flags[pfn] = (p.flags[pfn] | PG_dirty) & ~PG_reclaim
    }
    return
  }
  if (k.zswap && k.zswap.zswap_store(k, slot, content, m.random_bytes, p.pfn_to_nid(pfn))) return
  __swap_writepage(k, t, pfn, slot, content, m.random_bytes)
}

/**
 * Completion of one queued folio: bio_endio() → end_swap_bio_write() (writeback designs: rotate to
 * the inactive tail if PG_reclaim), or folio_unlock() (locked designs: no rotation, PG_reclaim was
 * cleared by pageout()). An orphan (owner exited) still on the LRU is freed.
 * Locked designs, checked against Linux 6.12: mm/vmscan.c pageout() sets PG_reclaim before
 * ->writepage and clears it again when swap_writepage() returns with the folio not under
 * writeback, which is the case for a queued folio; shrink_folio_list() (PAGE_SUCCESS) then fails
 * folio_trylock() → keep, and move_folios_to_lru() → lruvec_add_folio() puts it at the inactive
 * head (include/linux/mm_inline.h). kcompressd's __swap_writepage() → swap_writepage_bdev_sync()
 * ends with __end_swap_bio_write() → folio_end_writeback() (mm/filemap.c), which rotates only
 * folios with PG_reclaim (folio_rotate_reclaimable(), mm/swap.c, also skips folios off the LRU),
 * so the written folio stays where it is and is freed when the scan reaches it.
 */
export function kcompressd_complete(k: Kernel, kc: KcompressdWriteout, pfn: number): void {
  kc.vc.completed++
  if (kc.cfg.folio === 'writeback') {
    end_swap_bio_write(k, pfn)
    return
  }
  const p = k.pages
  const f = p.flags[pfn] & ~PG_locked
  p.flags[pfn] = f
  kc.vc.nr_locked--
  if ((f & PG_orphan) !== 0 && (f & PG_writeback) === 0 && (f & PG_lru) !== 0) {
    lruvec_del_folio(k, pfn)
    free_page(k, pfn)
  }
}

/**
 * kcompressd() (drivers/block/zram/kcompressd.c in v1; mm/page_io.c in proto/v2): sleep on
 * kcompressd_wait until the fifo is not empty, then write out what it holds.
 * Without PF_MEMALLOC (proto, v2) a zram pool allocation below the min watermark goes through the
 * page allocator's slow path, i.e. direct reclaim (zs_malloc's GFP_NOIO fallback, §1.4.1 item 6).
 * Simplified: up to SWAP_CLUSTER_MAX folios per CPU burst; the kernel takes them one at a time,
 * which the queue's depth() accounts for.
 */
export function* kcompressd(
  k: Kernel,
  t: Thread,
  kc: KcompressdWriteout,
  q: KcompressdQueue
): ThreadBody {
  t.pf_memalloc = kc.cfg.pf_memalloc
  for (;;) {
    while (q.len === 0) {
      q.sleeping = true
      yield wait(q.wq)
      q.sleeping = false
    }
    const n = Math.min(SWAP_CLUSTER_MAX, q.len)
    const pfns = q.batch_pfn
    const slots = q.batch_slot
    for (let i = 0; i < n; i++) {
      const j = q.shift()
      pfns[i] = q.pfn[j]
      slots[i] = q.slot[j]
    }
    q.inflight = n
    q.handled += n
    kc.depth_change(-1)
    if (!t.pf_memalloc && k.zram) yield* kcompressd_pool_alloc(k, t, kc, q.nid)
    k.acc = 0
    for (let i = 0; i < n; i++) {
      k.tracer?.instant('kcompressd_dequeue', t, { pfn: pfns[i] })
      kcompressd_write(k, kc, t, pfns[i], slots[i])
      q.batch_done[i] = k.acc
    }
    const work = k.acc
    k.acc = 0
    q.completed = 0
    q.writing = true
    yield cpu(work, n, true)
    q.writing = false
    for (let i = q.completed; i < n; i++) kcompressd_complete(k, kc, pfns[i])
    kc.depth_change(1 - n)
    q.inflight = 0
    kc.folio_wait.wake_up_all()
  }
}

/**
 * The folios kcompressd has written by now within its current CPU burst (the thread writes one
 * at a time; the model pays a batch in one burst): completes them, so a reclaimer looking at
 * them mid-burst (MGLRU's evict_folios() retry) sees them written and unlocked.
 */
export function kcompressd_catch_up(k: Kernel): void {
  const kc = k.writeout as KcompressdWriteout
  for (const q of kc.queues) {
    if (!q.writing || q.completed >= q.inflight || !q.thread) continue
    const done = k.sched.work_done(q.thread)
    let woke = false
    while (q.completed < q.inflight && q.batch_done[q.completed] <= done) {
      kcompressd_complete(k, kc, q.batch_pfn[q.completed])
      q.completed++
      woke = true
    }
    if (woke) kc.folio_wait.wake_up_all()
  }
}

/**
 * zs_malloc(GFP_NOIO) from a task without PF_MEMALLOC: below the min watermark the allocation
 * (its slab metadata: ZONE_NORMAL, allocstall_normal) takes the slow path: wake kswapd, then
 * direct reclaim that may not start swap IO, so it frees only clean folios. The page is handed back
 * to zsmalloc's pool accounting right away (the model allocates pool pages in zram_write_page()).
 */
function* kcompressd_pool_alloc(
  k: Kernel,
  t: Thread,
  kc: KcompressdWriteout,
  nid: number
): Sub<void> {
  const z = k.pgdats[nid].zone
  if (zone_watermark_ok(z, z.min_wmark_pages(), 1)) return
  kc.vc.direct_reclaim++
  const got = yield* __alloc_pages(k, t, nid, 1, GFP_NOIO)
  for (let i = 0; i < got; i++) free_page(k, k.allocBuf[i])
}

/**
 * mm/filemap.c: folio_lock() from a fault (do_swap_page() → folio_lock_or_retry()) on a folio
 * kcompressd still holds: sleep until it is unlocked. The folio is uptodate, so no memstall.
 */
export function* folio_wait_locked(k: Kernel, t: Thread, pfn: number): Sub<void> {
  const kc = k.writeout as KcompressdWriteout
  kc.vc.fault_waits++
  const start = k.env.now
  while (k.pages.flags[pfn] & PG_locked) yield wait(kc.folio_wait)
  kc.vc.fault_wait_ns += k.env.now - start
  k.tracer?.instant('kcompressd_fault_wait_end', t, { pfn })
}
