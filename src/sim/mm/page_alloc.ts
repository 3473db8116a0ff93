import type { Kernel } from '../kernel'
import type { Sub, Thread } from '../cpu/thread'
import * as cpu_thread_mod from '../cpu/thread'
import type { Zone } from './mmzone'
import * as kswapd_mod from './kswapd'
import * as direct_reclaim_mod from './direct_reclaim'
import * as swap_mod from './swap'
import * as oom_mod from '../oom'
import * as mm_types from './types'
import * as pcp_mod from './pcp'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { cpu } = cpu_thread_mod
const { wakeup_kswapd } = kswapd_mod
const { try_to_free_pages } = direct_reclaim_mod
const { get_nr_swap_pages } = swap_mod
const { out_of_memory } = oom_mod
const { drain_all_pages, rmqueue_pcplist_bulk, this_cpu } = pcp_mod
const {
  LRU_ACTIVE_ANON,
  LRU_ACTIVE_FILE,
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  MAX_RECLAIM_RETRIES,
  WMARK_HIGH,
  WMARK_LOW,
  WMARK_MIN,
  gfp_io,
  gfp_zone
} = mm_types

/** One more round of the slow path's checks (zone walk, wakeups, retry decision); assumed. */
const ALLOC_RETRY_NS = 1000

const ALLOC_NO_WATERMARKS = -1

/**
 * mm/page_alloc.c: __zone_watermark_ok() for order 0 and `nr` pages: free pages after the
 * allocation must stay above the mark.
 */
export function zone_watermark_ok(z: Zone, mark: number, nr: number, free = z.free): boolean {
  return free - nr >= mark
}

/**
 * mm/page_alloc.c: get_page_from_freelist() for `nr` order-0 pages, one fault's worth each:
 * walks the zonelist (local node first); in a zone, every page is checked against the watermark
 * (zone_watermark_fast(): NR_FREE_PAGES > mark) and then taken from the current CPU's list, which
 * refills from the zone in batches (mm/pcp.ts). Notes ZONE_BELOW_HIGH on the way. Returns the
 * number of pages put in k.allocBuf: all, some (the zone fell to the mark) or none.
 * A boost raised by these or earlier allocations (a compressed pool's, say) wakes kswapd here.
 * Simplified: no node_reclaim, no highatomic reserves.
 */
export function get_page_from_freelist(
  k: Kernel,
  nid: number,
  nr: number,
  alloc_wmark: number
): number {
  const n = k.pgdats.length
  const cpu = this_cpu(k)
  for (let i = 0; i < n; i++) {
    const pgdat = k.pgdats[(nid + i) % n]
    const z = pgdat.zone
    if (!z.below_high && z.free <= z.high_wmark_pages()) z.below_high = true
    const mark = alloc_wmark === ALLOC_NO_WATERMARKS ? -Infinity : z.wmark_pages(alloc_wmark)
    const pcp = cpu >= 0 ? z.pcp[cpu] : null
    let got = 0
    if (pcp) got = rmqueue_pcplist_bulk(z, pcp, mark, k.allocBuf, 0, nr)
    else while (got < nr && z.free > mark && z.free > 0) k.allocBuf[got++] = z.alloc_page()
    if (got === 0) continue
    k.vmstat.pgalloc_normal += got
    if (z.boosted_watermark) {
      // rmqueue(): a fallback boosted the watermarks; kswapd is woken even on a balanced node.
      z.boosted_watermark = false
      wakeup_kswapd(k, pgdat)
    }
    return got
  }
  return 0
}

/** mm/page_alloc.c: wake_all_kswapds() */
function wake_all_kswapds(k: Kernel): void {
  for (const pgdat of k.pgdats) wakeup_kswapd(k, pgdat)
}

/** mm/vmscan.c: zone_reclaimable_pages() */
function zone_reclaimable_pages(k: Kernel, nid: number): number {
  const n = k.pgdats[nid].lruvec.nr
  let nr = n[LRU_INACTIVE_FILE] + n[LRU_ACTIVE_FILE]
  if (get_nr_swap_pages(k) > 0) nr += n[LRU_INACTIVE_ANON] + n[LRU_ACTIVE_ANON]
  return nr
}

/**
 * mm/page_alloc.c: should_reclaim_retry()
 * Retry while some zone could meet its min watermark with its reclaimable pages, discounted by the
 * no-progress loops so far; give up after MAX_RECLAIM_RETRIES loops without progress.
 */
function should_reclaim_retry(
  k: Kernel,
  did_some_progress: number,
  st: { no_progress_loops: number }
): boolean {
  if (did_some_progress) st.no_progress_loops = 0
  else st.no_progress_loops++
  if (st.no_progress_loops > MAX_RECLAIM_RETRIES) return false
  for (let nid = 0; nid < k.pgdats.length; nid++) {
    const z = k.pgdats[nid].zone
    let available = zone_reclaimable_pages(k, nid) + z.free
    available -= Math.ceil((st.no_progress_loops * available) / MAX_RECLAIM_RETRIES)
    if (zone_watermark_ok(z, z.min_wmark_pages(), 1, available)) return true
  }
  return false
}

/**
 * mm/page_alloc.c: __alloc_pages_direct_reclaim() / __perform_reclaim()
 * Direct reclaim in memstall with PF_MEMALLOC, then one more try at the min watermark, and after
 * draining every CPU's list (pages freed on other CPUs) another.
 */
function* __alloc_pages_direct_reclaim(
  k: Kernel,
  t: Thread,
  nid: number,
  nr: number,
  gfp: number,
  out: { progress: number }
): Sub<number> {
  k.sched.psi_memstall_enter(t)
  const noreclaim_flag = t.pf_memalloc
  t.pf_memalloc = true
  out.progress = yield* try_to_free_pages(k, t, gfp, gfp_zone(gfp), nid)
  t.pf_memalloc = noreclaim_flag
  k.sched.psi_memstall_leave(t)
  if (!out.progress) return 0
  const got = get_page_from_freelist(k, nid, nr, WMARK_MIN)
  if (got) return got
  for (const pgdat of k.pgdats) drain_all_pages(pgdat.zone)
  return get_page_from_freelist(k, nid, nr, WMARK_MIN)
}

/**
 * mm/page_alloc.c: __alloc_pages_slowpath()
 * Wake kswapd, retry at WMARK_MIN, PF_MEMALLOC ignores watermarks, then direct reclaim with
 * should_reclaim_retry() and finally the OOM killer.
 * A GFP_NOIO allocation never reaches the OOM killer: it retries until memory comes free.
 * Simplified: order 0 only (no compaction), no __GFP_NORETRY/NOFAIL handling.
 */
function* __alloc_pages_slowpath(
  k: Kernel,
  t: Thread,
  nid: number,
  nr: number,
  gfp: number
): Sub<number> {
  wake_all_kswapds(k)
  let got = get_page_from_freelist(k, nid, nr, WMARK_MIN)
  if (got) return got
  if (t.pf_memalloc) return get_page_from_freelist(k, nid, nr, ALLOC_NO_WATERMARKS)
  const st = { no_progress_loops: 0 }
  const out = { progress: 0 }
  for (;;) {
    got = yield* __alloc_pages_direct_reclaim(k, t, nid, nr, gfp, out)
    if (got) return got
    if (t.pid >= 0 && !k.procs[t.pid].alive) return 0
    if (!should_reclaim_retry(k, out.progress, st)) {
      // __alloc_pages_may_oom(): one last try at the high watermark, then out_of_memory().
      got = get_page_from_freelist(k, nid, nr, WMARK_HIGH)
      if (got) return got
      if (!gfp_io(gfp)) {
        // out_of_memory() does not compensate for IO-less reclaim: it reports progress without a
        // kill, and the allocation retries (a kthread is not throttled, so it spins).
        yield cpu(ALLOC_RETRY_NS, 1)
      } else {
        if (!out_of_memory(k, t)) {
          k.warnings.push(`OOM at ${(k.env.now / 1e9).toFixed(3)} s with nothing left to kill`)
          return 0
        }
        if (t.pid >= 0 && !k.procs[t.pid].alive) return 0
      }
      st.no_progress_loops = 0
    }
    // retry: pages freed meanwhile by kswapd or other reclaimers are taken before reclaiming again.
    wake_all_kswapds(k)
    got = get_page_from_freelist(k, nid, nr, WMARK_MIN)
    if (got) return got
  }
}

/**
 * mm/page_alloc.c: __alloc_pages()
 * The fast path at WMARK_LOW, else the slow path. Pages land in k.allocBuf.
 */
export function* __alloc_pages(
  k: Kernel,
  t: Thread,
  nid: number,
  nr: number,
  gfp: number
): Sub<number> {
  const got = get_page_from_freelist(k, nid, nr, WMARK_LOW)
  if (got) return got
  const start = k.env.now
  const r = yield* __alloc_pages_slowpath(k, t, nid, nr, gfp)
  k.hist.alloc.add(k.env.now - start)
  return r
}
