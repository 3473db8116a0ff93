import type { Kernel } from '../kernel'
import { type ThreadBody } from '../cpu/thread'
import * as cpu_thread_mod from '../cpu/thread'
import { WaitQueue } from '../cpu/waitqueue'
import * as writeout_mod from './writeout'
import * as throttle_mod from './throttle'
import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { cpu, io_wait, wait } = cpu_thread_mod
const { folio_rotate_reclaimable } = writeout_mod
const { acct_reclaim_writeback } = throttle_mod
const { PG_dirty, PG_reclaim, PG_swapbacked, PG_writeback } = mm_types

/** dirty_writeback_centisecs = 500 (Documentation/admin-guide/sysctl/vm.rst). */
const DIRTY_WRITEBACK_NS = 5_000_000_000

/**
 * fs/fs-writeback.c: the flusher (wb_workfn): every dirty_writeback_centisecs, or when reclaim finds
 * only unqueued dirty file folios (wakeup_flusher_threads), writes dirty page-cache folios.
 * Simplified: writes all dirty folios each round (no dirty_expire, no dirty ratios/throttling).
 */
export function* flusher(k: Kernel, wq: WaitQueue): ThreadBody {
  for (;;) {
    yield wait(wq, DIRTY_WRITEBACK_NS)
    const q = k.dirtyQueue
    k.dirtyQueue = []
    let last = 0
    let n = 0
    for (const pfn of q) {
      const f = k.pages.flags[pfn]
      if ((f & PG_dirty) === 0 || (f & PG_swapbacked) !== 0 || (f & PG_writeback) !== 0) continue
      k.pages.flags[pfn] = (f & ~PG_dirty) | PG_writeback
      k.writeback_pending++
      last = k.disk!.submit(1, true)
      k.env.at(last, () => end_file_writeback(k, pfn))
      k.vmstat.pgpgout += 4
      n++
    }
    if (n) yield cpu(n * 300, n)
    if (last > k.env.now) yield io_wait(last - k.env.now)
  }
}

export function flusherWaitQueue(): WaitQueue {
  return new WaitQueue('flusher')
}

/**
 * mm/filemap.c: folio_end_writeback() for a file folio: a folio with PG_reclaim rotates to the
 * inactive tail (folio_rotate_reclaimable(), pgrotated), as in end_swap_bio_write().
 */
export function end_file_writeback(k: Kernel, pfn: number): void {
  const p = k.pages
  const f = p.flags[pfn]
  if ((f & PG_writeback) === 0) return
  p.flags[pfn] = f & ~PG_writeback
  k.writeback_pending--
  acct_reclaim_writeback(k.pgdats[p.pfn_to_nid(pfn)])
  if (f & PG_reclaim) {
    p.flags[pfn] &= ~PG_reclaim
    folio_rotate_reclaimable(k, pfn)
  }
}
