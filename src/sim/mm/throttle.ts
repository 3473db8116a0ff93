import type { Kernel } from '../kernel'
import { type Sub, type Thread } from '../cpu/thread'
import * as cpu_thread_mod from '../cpu/thread'
import * as mmzone_mod from './mmzone'
import type { Pgdat } from './mmzone'
import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters.
const { wait } = cpu_thread_mod
const {
  VMSCAN_THROTTLE_CONGESTED,
  VMSCAN_THROTTLE_ISOLATED,
  VMSCAN_THROTTLE_NOPROGRESS,
  VMSCAN_THROTTLE_WRITEBACK
} = mmzone_mod
const { LRU_ACTIVE_ANON, LRU_ACTIVE_FILE, LRU_INACTIVE_ANON, LRU_INACTIVE_FILE, SWAP_CLUSTER_MAX } =
  mm_types

/** HZ = 250: one jiffy. */
const JIFFY_NS = 4_000_000
/** reclaim_throttle() timeouts by reason (mm/vmscan.c): HZ/10, HZ/50, 1 jiffy, 1 jiffy. */
const TIMEOUT_NS = [JIFFY_NS * 25, JIFFY_NS * 5, JIFFY_NS, JIFFY_NS]

/**
 * mm/vmscan.c: skip_throttle_noprogress(): no throttling on a hopeless node, nor while the folios
 * waiting for writeback are few next to the reclaimable ones (zram's writes are synchronous: never).
 */
function skip_throttle_noprogress(k: Kernel, pgdat: Pgdat): boolean {
  if (pgdat.kswapd_failures >= 16) return true
  const n = pgdat.lruvec.nr
  const reclaimable =
    n[LRU_INACTIVE_FILE] + n[LRU_ACTIVE_FILE] + n[LRU_INACTIVE_ANON] + n[LRU_ACTIVE_ANON]
  return 2 * k.writeback_pending <= reclaimable
}

/**
 * mm/vmscan.c: reclaim_throttle(): sleep on the node's reclaim_wait[reason] until woken or the
 * reason's timeout. Kernel threads other than kswapd are never throttled.
 */
export function* reclaim_throttle(k: Kernel, t: Thread, pgdat: Pgdat, reason: number): Sub<void> {
  if (!t.current_is_kswapd() && t.kind === 'kworker') return
  if (reason === VMSCAN_THROTTLE_WRITEBACK) {
    if (++pgdat.nr_writeback_throttled === 1) pgdat.nr_reclaim_start = pgdat.nr_throttled_written
  } else if (reason === VMSCAN_THROTTLE_NOPROGRESS || reason === VMSCAN_THROTTLE_CONGESTED) {
    if (skip_throttle_noprogress(k, pgdat)) return
  }
  k.tracer?.instant('mm_vmscan_throttled', t, { reason })
  yield wait(pgdat.reclaim_wait[reason], TIMEOUT_NS[reason])
  if (reason === VMSCAN_THROTTLE_WRITEBACK) pgdat.nr_writeback_throttled--
}

/** mm/vmscan.c: wake_throttle_isolated(): too_many_isolated() found the pressure gone. */
export function wake_throttle_isolated(pgdat: Pgdat): void {
  pgdat.reclaim_wait[VMSCAN_THROTTLE_ISOLATED].wake_up_all()
}

/**
 * mm/vmscan.c: __acct_reclaim_writeback(), from folio_end_writeback(): once more than
 * SWAP_CLUSTER_MAX folios per throttled task have been written, the writeback-throttled wake.
 */
export function acct_reclaim_writeback(pgdat: Pgdat): void {
  pgdat.nr_throttled_written++
  if (pgdat.nr_writeback_throttled === 0) return
  const written = pgdat.nr_throttled_written - pgdat.nr_reclaim_start
  if (written > SWAP_CLUSTER_MAX * pgdat.nr_writeback_throttled)
    pgdat.reclaim_wait[VMSCAN_THROTTLE_WRITEBACK].wake_up_all()
}

/**
 * mm/vmscan.c: consider_reclaim_throttle(), after a direct reclaimer's pass over the zonelist:
 * better than 12% efficiency wakes the NOPROGRESS-throttled; nothing reclaimed at priority 1
 * throttles this one.
 */
export function* consider_reclaim_throttle(
  k: Kernel,
  t: Thread,
  pgdat: Pgdat,
  nr_reclaimed: number,
  nr_scanned: number,
  priority: number
): Sub<void> {
  if (nr_reclaimed > nr_scanned >> 3) {
    pgdat.reclaim_wait[VMSCAN_THROTTLE_NOPROGRESS].wake_up_all()
    return
  }
  if (t.current_is_kswapd()) return
  if (priority === 1 && !nr_reclaimed)
    yield* reclaim_throttle(k, t, pgdat, VMSCAN_THROTTLE_NOPROGRESS)
}

export { VMSCAN_THROTTLE_CONGESTED, VMSCAN_THROTTLE_ISOLATED, VMSCAN_THROTTLE_WRITEBACK }
