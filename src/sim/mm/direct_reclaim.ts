/**
 * Direct reclaim (mm/vmscan.c): an allocation that fails its watermark reclaims for itself —
 * try_to_free_pages() → do_try_to_free_pages() → shrink_zones() → shrink_node(), after being
 * throttled while free pages are below half the min watermarks.
 */
import type { Kernel } from '../kernel'
import { call, wait as waitFor, type Sub, type Thread } from '../cpu/thread'
import * as scan_control_mod from './scan_control'
import { type scan_control } from './scan_control'
import type { Pgdat } from './mmzone'
import * as mm_types from './types'
import * as vmscan_mod from './vmscan'
import * as throttle_mod from './throttle'

// Local bindings of imported values: the transpiled modules expose them through getters.
const { new_scan_control } = scan_control_mod
const { DEF_PRIORITY, SWAP_CLUSTER_MAX, gfp_fs } = mm_types
const { shrink_node, snapshot_refaults } = vmscan_mod
const { consider_reclaim_throttle } = throttle_mod

/**
 * mm/vmscan.c: shrink_zones(): every node in the zonelist, once; then consider_reclaim_throttle()
 * on the first one.
 */
function* shrink_zones(k: Kernel, t: Thread, sc: scan_control, preferred_nid: number): Sub<void> {
  for (let i = 0; i < k.pgdats.length; i++) {
    yield* call(shrink_node(k, t, k.pgdats[(preferred_nid + i) % k.pgdats.length], sc))
  }
  const first = k.pgdats[preferred_nid]
  yield* consider_reclaim_throttle(k, t, first, sc.nr_reclaimed, sc.nr_scanned, sc.priority)
}

/**
 * mm/vmscan.c: do_try_to_free_pages()
 * Counts allocstall once per entry, then the priority loop from DEF_PRIORITY down to 0 until
 * nr_to_reclaim is met; retries with force_deactivate if deactivation was skipped.
 */
function* do_try_to_free_pages(
  k: Kernel,
  t: Thread,
  sc: scan_control,
  preferred_nid: number
): Sub<number> {
  const initial_priority = sc.priority
  const zone_names = [
    'allocstall_dma',
    'allocstall_dma32',
    'allocstall_normal',
    'allocstall_movable'
  ] as const
  k.vmstat[zone_names[sc.reclaim_idx]]++
  for (;;) {
    do {
      sc.nr_scanned = 0
      yield* shrink_zones(k, t, sc, preferred_nid)
      if (sc.nr_reclaimed >= sc.nr_to_reclaim) break
      if (sc.priority < DEF_PRIORITY - 2) sc.may_writepage = true
    } while (--sc.priority >= 0)
    for (const pgdat of k.pgdats) snapshot_refaults(pgdat)
    if (sc.nr_reclaimed) return sc.nr_reclaimed
    if (sc.skipped_deactivate) {
      sc.priority = initial_priority
      sc.force_deactivate = true
      sc.skipped_deactivate = false
      continue
    }
    return 0
  }
}

/**
 * mm/vmscan.c: allow_direct_reclaim()
 * Direct reclaim may proceed while free pages exceed half the min watermarks (or the node is
 * hopeless); otherwise kswapd is woken.
 */
export function allow_direct_reclaim(_k: Kernel, pgdat: Pgdat): boolean {
  if (pgdat.kswapd_failures >= 16) return true
  const pfmemalloc_reserve = pgdat.zone.min_wmark_pages()
  const free_pages = pgdat.zone.free
  const wmark_ok = free_pages > pfmemalloc_reserve / 2
  if (!wmark_ok && pgdat.kswapd_wait.waitqueue_active()) pgdat.kswapd_wait.wake_up_all()
  return wmark_ok
}

/**
 * mm/vmscan.c: throttle_direct_reclaim()
 * Below half the min watermark, direct reclaimers wait on pfmemalloc_wait until kswapd restores it
 * (pgscan_direct_throttle): killable and without a timeout when the allocation may enter the
 * filesystem (a user page), at most HZ otherwise. Kernel threads are never throttled.
 */
function* throttle_direct_reclaim(k: Kernel, t: Thread, nid: number, gfp: number): Sub<boolean> {
  if (t.kind === 'kworker' || t.kind === 'kswapd') return false
  const pgdat = k.pgdats[nid]
  if (allow_direct_reclaim(k, pgdat)) return false
  k.vmstat.pgscan_direct_throttle++
  const timeout = gfp_fs(gfp) ? Infinity : 1_000_000_000
  while (!allow_direct_reclaim(k, pgdat)) {
    const woken = yield waitFor(pgdat.pfmemalloc_wait, timeout)
    if (!woken) break
  }
  return false
}

/**
 * mm/vmscan.c: try_to_free_pages()
 * Direct reclaim: nr_to_reclaim = SWAP_CLUSTER_MAX, may_writepage/unmap/swap, reclaim_idx from gfp.
 */
export function* try_to_free_pages(
  k: Kernel,
  t: Thread,
  gfp_mask: number,
  reclaim_idx: number,
  nid: number
): Sub<number> {
  yield* throttle_direct_reclaim(k, t, nid, gfp_mask)
  const sc = new_scan_control(gfp_mask, reclaim_idx, SWAP_CLUSTER_MAX)
  const start = k.env.now
  k.tracer?.begin('mm_vmscan_direct_reclaim_begin', t, { gfp: gfp_mask })
  const progress = yield* do_try_to_free_pages(k, t, sc, nid)
  k.tracer?.end('mm_vmscan_direct_reclaim_end', t, { nr_reclaimed: progress })
  k.hist.direct_reclaim.add(k.env.now - start)
  return progress
}
