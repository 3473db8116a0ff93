import type { Kernel } from '../kernel'
import { type Sub, type Thread, type ThreadBody } from '../cpu/thread'
import * as cpu_thread_mod from '../cpu/thread'
import { LRUVEC_NODE_CONGESTED, PGDAT_DIRTY, PGDAT_WRITEBACK, type Pgdat } from './mmzone'
import { type scan_control } from './scan_control'
import * as scan_control_mod from './scan_control'
import * as direct_reclaim_mod from './direct_reclaim'
import * as vmscan_mod from './vmscan'
import * as scan_count_mod from './scan_count'
import * as lru_gen_evict_mod from './lru_gen_evict'
import * as swap_mod from './swap'
import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { call, wait } = cpu_thread_mod
const { new_scan_control } = scan_control_mod
const { allow_direct_reclaim } = direct_reclaim_mod
const { shrink_active_list, shrink_node, snapshot_refaults } = vmscan_mod
const { inactive_is_low } = scan_count_mod
const { get_nr_swap_pages } = swap_mod
const { lru_gen_age_node } = lru_gen_evict_mod
const {
  DEF_PRIORITY,
  GFP_KERNEL,
  LRU_ACTIVE_ANON,
  LRU_INACTIVE_ANON,
  MAX_RECLAIM_RETRIES,
  SWAP_CLUSTER_MAX,
  ZONE_NORMAL
} = mm_types

/*
 * The kswapd half of mm/vmscan.c, in the kernel's order: pgdat_balanced(), prepare_kswapd_sleep(),
 * kswapd_shrink_node(), balance_pgdat(), kswapd_try_to_sleep(), kswapd(), wakeup_kswapd().
 */

/** mm/vmscan.c: pgdat_balanced(): the zone meets its high watermark. */
export function pgdat_balanced(pgdat: Pgdat): boolean {
  const z = pgdat.zone
  return z.free > z.high_wmark_pages()
}

/** mm/vmscan.c: prepare_kswapd_sleep() */
function prepare_kswapd_sleep(pgdat: Pgdat): boolean {
  if (pgdat.pfmemalloc_wait.waitqueue_active()) pgdat.pfmemalloc_wait.wake_up_all()
  if (pgdat.kswapd_failures >= MAX_RECLAIM_RETRIES) return true
  if (pgdat_balanced(pgdat)) {
    clear_pgdat_congested(pgdat)
    return true
  }
  return false
}

/** mm/vmscan.c: clear_pgdat_congested() */
function clear_pgdat_congested(pgdat: Pgdat): void {
  pgdat.flags &= ~(LRUVEC_NODE_CONGESTED | PGDAT_DIRTY | PGDAT_WRITEBACK)
}

/**
 * mm/vmscan.c: kswapd_shrink_node()
 * nr_to_reclaim = max(high watermark, SWAP_CLUSTER_MAX); returns true when enough was scanned or
 * reclaimed to keep the priority.
 */
function* kswapd_shrink_node(k: Kernel, t: Thread, pgdat: Pgdat, sc: scan_control): Sub<boolean> {
  const nr_reclaimed = sc.nr_reclaimed
  sc.nr_to_reclaim = Math.max(pgdat.zone.high_wmark_pages(), SWAP_CLUSTER_MAX)
  yield* call(shrink_node(k, t, pgdat, sc))
  return Math.max(sc.nr_scanned, sc.nr_reclaimed - nr_reclaimed) >= sc.nr_to_reclaim
}

/** mm/vmscan.c: kswapd_age_node() */
function* kswapd_age_node(k: Kernel, t: Thread, pgdat: Pgdat, sc: scan_control): Sub<void> {
  if (k.lru_gen) {
    lru_gen_age_node(k, pgdat, sc)
    return
  }
  if (get_nr_swap_pages(k) <= 0) return
  if (inactive_is_low(pgdat.lruvec, LRU_INACTIVE_ANON))
    yield* shrink_active_list(k, t, SWAP_CLUSTER_MAX, pgdat, sc, LRU_ACTIVE_ANON)
}

/**
 * mm/vmscan.c: balance_pgdat()
 * Counts pageoutrun and runs in memstall; priority loop from DEF_PRIORITY while the node is not
 * balanced; the priority drops when a pass scanned too little or reclaimed nothing; a run that
 * reclaims nothing counts a kswapd failure.
 * A watermark boost is reclaimed without swapping or writeback while the node stays balanced
 * (the boosted high watermark met), and stops at the first pass that reclaims nothing; an
 * unbalanced node drops the boost's reclaim and restarts as ordinary reclaim to the boosted mark.
 * The boost the run started with is taken off at its end.
 * Simplified: order 0, no memcg soft limit, no no_cache_trim_mode restart.
 */
export function* balance_pgdat(k: Kernel, t: Thread, pgdat: Pgdat): Sub<void> {
  k.vmstat.pageoutrun++
  k.sched.psi_memstall_enter(t)
  const z = pgdat.zone
  const boosted = z.watermark_boost
  let nr_boost_reclaim = boosted
  const sc = new_scan_control(GFP_KERNEL, ZONE_NORMAL, SWAP_CLUSTER_MAX)
  out: for (;;) {
    z.reclaim_active = true
    sc.priority = DEF_PRIORITY
    do {
      let nr_reclaimed = sc.nr_reclaimed
      const balanced = pgdat_balanced(pgdat)
      if (!balanced && nr_boost_reclaim) {
        nr_boost_reclaim = 0
        continue out // restart
      }
      if (!nr_boost_reclaim && balanced) break out
      let raise_priority = true
      if (nr_boost_reclaim && sc.priority === DEF_PRIORITY - 2) raise_priority = false
      sc.may_writepage = !nr_boost_reclaim
      sc.may_swap = !nr_boost_reclaim
      yield* kswapd_age_node(k, t, pgdat, sc)
      sc.nr_scanned = 0
      if (yield* kswapd_shrink_node(k, t, pgdat, sc)) raise_priority = false
      if (pgdat.pfmemalloc_wait.waitqueue_active() && allow_direct_reclaim(k, pgdat))
        pgdat.pfmemalloc_wait.wake_up_all()
      nr_reclaimed = sc.nr_reclaimed - nr_reclaimed
      nr_boost_reclaim -= Math.min(nr_boost_reclaim, nr_reclaimed)
      if (nr_boost_reclaim && !nr_reclaimed) break
      if (raise_priority || !nr_reclaimed) sc.priority--
    } while (sc.priority >= 1)
    if (!sc.nr_reclaimed) pgdat.kswapd_failures++
    break
  }
  z.reclaim_active = false
  if (boosted) z.watermark_boost -= Math.min(z.watermark_boost, boosted)
  snapshot_refaults(pgdat)
  k.sched.psi_memstall_leave(t)
}

/**
 * mm/vmscan.c: kswapd_try_to_sleep()
 * A short nap (HZ/10) once balanced; woken early → kswapd_low_wmark_hit_quickly; unbalanced after
 * the nap → kswapd_high_wmark_hit_quickly; otherwise sleep until wakeup_kswapd().
 */
function* kswapd_try_to_sleep(k: Kernel, t: Thread, pgdat: Pgdat): Sub<void> {
  let remaining = false
  if (prepare_kswapd_sleep(pgdat)) {
    k.tracer?.instant('mm_vmscan_kswapd_sleep', t, { nid: pgdat.node_id })
    pgdat.kswapd_sleeping = true
    remaining = (yield wait(pgdat.kswapd_wait, 100_000_000)) === true
    pgdat.kswapd_sleeping = false
  }
  if (!remaining && prepare_kswapd_sleep(pgdat)) {
    pgdat.kswapd_sleeping = true
    yield wait(pgdat.kswapd_wait)
    pgdat.kswapd_sleeping = false
  } else if (remaining) k.vmstat.kswapd_low_wmark_hit_quickly++
  else k.vmstat.kswapd_high_wmark_hit_quickly++
}

/** mm/vmscan.c: kswapd(): sleep, then balance, forever. PF_MEMALLOC. */
export function* kswapd(k: Kernel, t: Thread, pgdat: Pgdat): ThreadBody {
  t.pf_memalloc = true
  for (;;) {
    yield* kswapd_try_to_sleep(k, t, pgdat)
    k.tracer?.instant('mm_vmscan_kswapd_wake', t, { nid: pgdat.node_id })
    yield* balance_pgdat(k, t, pgdat)
  }
}

/**
 * mm/vmscan.c: wakeup_kswapd()
 * Wakes a sleeping kswapd unless the node is hopeless (kswapd_failures >= MAX_RECLAIM_RETRIES) or
 * already balanced without a watermark boost to reclaim.
 */
export function wakeup_kswapd(_k: Kernel, pgdat: Pgdat): void {
  if (!pgdat.kswapd_wait.waitqueue_active()) return
  if (
    pgdat.kswapd_failures >= MAX_RECLAIM_RETRIES ||
    (pgdat_balanced(pgdat) && !pgdat.zone.watermark_boost)
  )
    return
  pgdat.kswapd_wait.wake_up_all()
}
