import type { Kernel } from '../kernel'
import * as mm_inline_mod from './mm_inline'
import { type Sub, type Thread } from '../cpu/thread'
import * as cpu_thread_mod from '../cpu/thread'
import * as scan_control_mod from './scan_control'
import type { Pgdat } from './mmzone'
import * as mmzone_mod from './mmzone'
import * as swap_mod from './swap'
import * as lru_mod from './lru'
import * as lru_gen_evict_mod from './lru_gen_evict'
import * as throttle_mod from './throttle'
import { type scan_control } from './scan_control'
import * as mm_types from './types'
import { FolioList } from './folio_list'
import * as shrink_folio_list_mod from './shrink_folio_list'
import * as lru_isolate_mod from './lru_isolate'
import * as scan_count_mod from './scan_count'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { free_pages } = mm_inline_mod
const { cpu, io_wait } = cpu_thread_mod
const { new_reclaim_stat } = scan_control_mod
const { LRUVEC_NODE_CONGESTED, PGDAT_DIRTY, PGDAT_WRITEBACK } = mmzone_mod
const {
  VMSCAN_THROTTLE_CONGESTED,
  VMSCAN_THROTTLE_ISOLATED,
  VMSCAN_THROTTLE_WRITEBACK,
  reclaim_throttle,
  wake_throttle_isolated
} = throttle_mod
const { get_nr_swap_pages } = swap_mod
const { lru_note_cost } = lru_mod
const { shrink_folio_list } = shrink_folio_list_mod
const { isolate_lru_folios, move_folios_to_lru } = lru_isolate_mod
const { get_scan_count, inactive_is_low, prepare_scan_control } = scan_count_mod
const {
  DEF_PRIORITY,
  LRU_ACTIVE,
  LRU_ACTIVE_ANON,
  LRU_ACTIVE_FILE,
  LRU_FILE,
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  PG_active,
  PG_mapped,
  PG_orphan,
  PG_workingset,
  PTE_young,
  SWAP_CLUSTER_MAX,
  is_active_lru,
  gfp_io,
  is_file_lru
} = mm_types

function get_list(k: Kernel): Int32Array {
  return k.scratch.lists.pop() ?? new Int32Array(SWAP_CLUSTER_MAX)
}
function get_array(k: Kernel): FolioList {
  const a = k.scratch.arrays.pop()
  if (a) a.length = 0
  return a ?? new FolioList()
}

/**
 * mm/vmscan.c: too_many_isolated()
 * Direct reclaimers stall when more than the inactive list is isolated, an eighth of it for
 * allocations that may do IO (GFP_NOIO ones may isolate more); never kswapd. Finding it not too
 * many wakes the ISOLATED-throttled.
 */
function too_many_isolated(
  _k: Kernel,
  t: Thread,
  pgdat: Pgdat,
  file: number,
  sc: scan_control
): boolean {
  if (t.current_is_kswapd()) return false
  const n = pgdat.lruvec.nr
  let inactive = file ? n[LRU_INACTIVE_FILE] : n[LRU_INACTIVE_ANON]
  if (gfp_io(sc.gfp_mask)) inactive >>= 3
  const isolated = file ? pgdat.nr_isolated_file : pgdat.nr_isolated_anon
  const too_many = isolated > inactive
  if (!too_many) wake_throttle_isolated(pgdat)
  return too_many
}

/**
 * mm/vmscan.c: shrink_inactive_list(), in two halves around its CPU burst so that shrink_lruvec()
 * yields the burst itself: a generator per 32 folios and a yield* level on every burst cost more
 * than the rest of the pass's bookkeeping. isolate → count pgscan → shrink_folio_list →
 * (CPU burst, then a congested queue's wait) → move_folios_to_lru → free → count pgsteal →
 * lru_note_cost. The first half returns null when nothing was taken.
 */
class InactivePass {
  /** The block layer's write count before shrink_folio_list(): a write queued means it may block. */
  writes = 0
  nr_taken = 0
  nr_reclaimed = 0
  work = 0
  stat = new_reclaim_stat()
  constructor(
    readonly t: Thread,
    readonly pgdat: Pgdat,
    readonly sc: scan_control,
    readonly file: number,
    readonly kswapd: boolean,
    readonly folio_list: Int32Array,
    readonly free: FolioList,
    readonly ret: FolioList
  ) {}
}

function shrink_inactive_list_isolate(
  k: Kernel,
  t: Thread,
  nr_to_scan: number,
  pgdat: Pgdat,
  sc: scan_control,
  lru: number
): InactivePass | null {
  const file = is_file_lru(lru)
  const v = k.vmstat
  const kswapd = t.current_is_kswapd()
  const folio_list = nr_to_scan <= SWAP_CLUSTER_MAX ? get_list(k) : new Int32Array(nr_to_scan)
  k.acc = 0
  const nr_taken = isolate_lru_folios(k, pgdat, nr_to_scan, lru, folio_list)
  const nr_scanned = nr_taken
  if (kswapd) v.pgscan_kswapd += nr_scanned
  else v.pgscan_direct += nr_scanned
  if (file) v.pgscan_file += nr_scanned
  else v.pgscan_anon += nr_scanned
  sc.nr_scanned += nr_scanned
  if (nr_taken === 0) {
    if (folio_list.length === SWAP_CLUSTER_MAX) k.scratch.lists.push(folio_list)
    return null
  }
  const pass = new InactivePass(t, pgdat, sc, file, kswapd, folio_list, get_array(k), get_array(k))
  pass.nr_taken = nr_taken
  pass.writes = k.disk ? k.disk.writes : 0
  pass.nr_reclaimed = shrink_folio_list(
    k,
    t,
    folio_list,
    nr_taken,
    pgdat,
    sc,
    pass.stat,
    pass.free,
    pass.ret
  )
  pass.work = k.acc
  k.acc = 0
  return pass
}

/** Writes to a full request queue block the submitter until a request slot frees (0: none). */
function shrink_inactive_list_congestion_ns(k: Kernel, pass: InactivePass): number {
  return k.disk && k.disk.writes !== pass.writes ? k.disk.congestion_wait_ns() : 0
}

function shrink_inactive_list_putback(k: Kernel, pass: InactivePass): number {
  const { t, pgdat, sc, file, kswapd, folio_list, free, ret, stat, nr_taken, nr_reclaimed } = pass
  t.read_sem = null
  const v = k.vmstat
  move_folios_to_lru(k, pgdat, ret)
  free_pages(k, pgdat.node_id, free.pfns, free.length)
  if (folio_list.length === SWAP_CLUSTER_MAX) k.scratch.lists.push(folio_list)
  k.scratch.arrays.push(free, ret)
  if (file) pgdat.nr_isolated_file -= nr_taken
  else pgdat.nr_isolated_anon -= nr_taken
  if (kswapd) v.pgsteal_kswapd += nr_reclaimed
  else v.pgsteal_direct += nr_reclaimed
  if (file) v.pgsteal_file += nr_reclaimed
  else v.pgsteal_anon += nr_reclaimed
  lru_note_cost(pgdat.lruvec, file, stat.nr_pageout, nr_taken - nr_reclaimed)
  sc.nr.dirty += stat.nr_dirty
  sc.nr.congested += stat.nr_congested
  sc.nr.unqueued_dirty += stat.nr_unqueued_dirty
  sc.nr.writeback += stat.nr_writeback
  sc.nr.immediate += stat.nr_immediate
  sc.nr.taken += nr_taken
  if (file) sc.nr.file_taken += nr_taken
  if (stat.nr_unqueued_dirty === nr_taken && file) k.flusher_wait?.wake()
  return nr_reclaimed
}

/** shrink_inactive_list() as one generator (shrink_lruvec() writes the same steps out). */
export function* shrink_inactive_list(
  k: Kernel,
  t: Thread,
  nr_to_scan: number,
  pgdat: Pgdat,
  sc: scan_control,
  lru: number
): Sub<number> {
  const file = is_file_lru(lru)
  if (too_many_isolated(k, t, pgdat, file, sc)) {
    yield* reclaim_throttle(k, t, pgdat, VMSCAN_THROTTLE_ISOLATED)
    if (too_many_isolated(k, t, pgdat, file, sc)) return 0
  }
  const pass = shrink_inactive_list_isolate(k, t, nr_to_scan, pgdat, sc, lru)
  if (!pass) return 0
  // cond_resched() before each folio of shrink_folio_list()
  yield cpu(pass.work, pass.nr_taken, true)
  const congested = shrink_inactive_list_congestion_ns(k, pass)
  if (congested > 0) yield io_wait(congested)
  return shrink_inactive_list_putback(k, pass)
}

/**
 * mm/vmscan.c: shrink_active_list()
 * Deactivates folios from the active tail; referenced executable file folios get another trip.
 * Deactivated folios get PG_workingset.
 */
export function* shrink_active_list(
  k: Kernel,
  _t: Thread,
  nr_to_scan: number,
  pgdat: Pgdat,
  _sc: scan_control,
  lru: number
): Sub<void> {
  const p = k.pages
  const file = is_file_lru(lru)
  const hold = nr_to_scan <= SWAP_CLUSTER_MAX ? get_list(k) : new Int32Array(nr_to_scan)
  k.acc = 0
  const nr_taken = isolate_lru_folios(k, pgdat, nr_to_scan, lru, hold)
  k.vmstat.pgrefill += nr_taken
  const l_active = get_array(k)
  const l_inactive = get_array(k)
  let nr_rotated = 0
  for (let i = 0; i < nr_taken; i++) {
    const pfn = hold[i]
    const f = p.flags[pfn]
    if (f & PG_orphan) {
      l_inactive.push(pfn)
      continue
    }
    if (f & PG_mapped) {
      k.acc += k.costs.folio_referenced_ns
      p.flags[pfn] = f & ~PTE_young
      if (f & PTE_young && file && k.mappings[p.mapping[pfn]].exec) {
        nr_rotated++
        l_active.push(pfn)
        continue
      }
    }
    p.flags[pfn] = (p.flags[pfn] & ~PG_active) | PG_workingset
    l_inactive.push(pfn)
  }
  const work = k.acc
  k.acc = 0
  // cond_resched() before each folio of the l_hold loop
  yield cpu(work, nr_taken, true)
  move_folios_to_lru(k, pgdat, l_active)
  const nr_deactivate = move_folios_to_lru(k, pgdat, l_inactive)
  k.vmstat.pgdeactivate += nr_deactivate
  if (hold.length === SWAP_CLUSTER_MAX) k.scratch.lists.push(hold)
  k.scratch.arrays.push(l_active, l_inactive)
  if (file) pgdat.nr_isolated_file -= nr_taken
  else pgdat.nr_isolated_anon -= nr_taken
  if (nr_rotated) lru_note_cost(pgdat.lruvec, file, 0, nr_rotated)
}

/**
 * mm/vmscan.c: shrink_lruvec()
 * Scans the lists in SWAP_CLUSTER_MAX chunks (shrink_list() per list: shrink_inactive_list(), or
 * shrink_active_list() when sc.may_deactivate allows it); once nr_to_reclaim is met (outside
 * proportional direct reclaim at DEF_PRIORITY) scales the remaining anon/file targets down. Then
 * ages the active anon list if the inactive one is low.
 */
function* shrink_lruvec(k: Kernel, t: Thread, pgdat: Pgdat, sc: scan_control): Sub<void> {
  const nr = [0, 0, 0, 0]
  get_scan_count(k, pgdat, sc, k.swappiness, nr)
  const targets = nr.slice()
  let nr_reclaimed = 0
  const nr_to_reclaim = sc.nr_to_reclaim
  const proportional_reclaim = !t.current_is_kswapd() && sc.priority === DEF_PRIORITY
  while (nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] || nr[LRU_INACTIVE_FILE]) {
    for (let lru = 0; lru < 4; lru++) {
      if (nr[lru]) {
        const nr_to_scan = Math.min(nr[lru], SWAP_CLUSTER_MAX)
        nr[lru] -= nr_to_scan
        // shrink_list() and shrink_inactive_list()'s CPU burst, written out here: no generator
        // per pass. too_many_isolated() throttles a direct reclaimer once, then gives up the pass.
        if (!is_active_lru(lru)) {
          const file = is_file_lru(lru)
          if (too_many_isolated(k, t, pgdat, file, sc)) {
            yield* reclaim_throttle(k, t, pgdat, VMSCAN_THROTTLE_ISOLATED)
            if (too_many_isolated(k, t, pgdat, file, sc)) continue
          }
          const pass = shrink_inactive_list_isolate(k, t, nr_to_scan, pgdat, sc, lru)
          if (!pass) continue
          yield cpu(pass.work, pass.nr_taken, true)
          const congested = shrink_inactive_list_congestion_ns(k, pass)
          if (congested > 0) yield io_wait(congested)
          nr_reclaimed += shrink_inactive_list_putback(k, pass)
        } else if (sc.may_deactivate & (1 << is_file_lru(lru)))
          yield* shrink_active_list(k, t, nr_to_scan, pgdat, sc, lru)
        else sc.skipped_deactivate = true
      }
    }
    if (nr_reclaimed < nr_to_reclaim || proportional_reclaim) continue
    const nr_file = nr[LRU_INACTIVE_FILE] + nr[LRU_ACTIVE_FILE]
    const nr_anon = nr[LRU_INACTIVE_ANON] + nr[LRU_ACTIVE_ANON]
    if (!nr_file || !nr_anon) break
    let lru: number
    let percentage: number
    if (nr_file > nr_anon) {
      const scan_target = targets[LRU_INACTIVE_ANON] + targets[LRU_ACTIVE_ANON] + 1
      lru = 0
      percentage = Math.floor((nr_anon * 100) / scan_target)
    } else {
      const scan_target = targets[LRU_INACTIVE_FILE] + targets[LRU_ACTIVE_FILE] + 1
      lru = LRU_FILE
      percentage = Math.floor((nr_file * 100) / scan_target)
    }
    nr[lru] = 0
    nr[lru + LRU_ACTIVE] = 0
    lru = lru === LRU_FILE ? 0 : LRU_FILE
    let nr_scanned = targets[lru] - nr[lru]
    nr[lru] = Math.floor((targets[lru] * (100 - percentage)) / 100)
    nr[lru] -= Math.min(nr[lru], nr_scanned)
    lru += LRU_ACTIVE
    nr_scanned = targets[lru] - nr[lru]
    nr[lru] = Math.floor((targets[lru] * (100 - percentage)) / 100)
    nr[lru] -= Math.min(nr[lru], nr_scanned)
  }
  sc.nr_reclaimed += nr_reclaimed
  if (get_nr_swap_pages(k) > 0 && inactive_is_low(pgdat.lruvec, LRU_INACTIVE_ANON))
    yield* shrink_active_list(k, t, SWAP_CLUSTER_MAX, pgdat, sc, LRU_ACTIVE_ANON)
}

/**
 * mm/vmscan.c: shrink_node()
 * One pass over the node's lruvec; kswapd flags the node WRITEBACK/DIRTY from what it saw and
 * throttles on immediate-reclaim folios; a pass whose dirty folios were all congested marks the
 * node congested (kswapd), and direct reclaimers then throttle on it; any progress resets
 * kswapd_failures. Under MGLRU root reclaim goes to lru_gen_shrink_node() instead.
 * Simplified: no memcg iteration, no slab shrinking, no compaction.
 */
export function* shrink_node(k: Kernel, t: Thread, pgdat: Pgdat, sc: scan_control): Sub<void> {
  const nr = sc.nr
  nr.dirty =
    nr.unqueued_dirty =
    nr.congested =
    nr.writeback =
    nr.immediate =
    nr.file_taken =
    nr.taken =
      0
  if (k.lru_gen) {
    yield* lru_gen_evict_mod.lru_gen_shrink_node(k, t, pgdat, sc)
    return
  }
  const nr_reclaimed = sc.nr_reclaimed
  prepare_scan_control(k, pgdat, sc)
  yield* shrink_lruvec(k, t, pgdat, sc)
  const reclaimable = sc.nr_reclaimed - nr_reclaimed > 0
  const kswapd = t.current_is_kswapd()
  if (kswapd) {
    if (nr.writeback && nr.writeback === nr.taken) pgdat.flags |= PGDAT_WRITEBACK
    if (nr.file_taken && nr.unqueued_dirty === nr.file_taken) pgdat.flags |= PGDAT_DIRTY
    if (nr.immediate) yield* reclaim_throttle(k, t, pgdat, VMSCAN_THROTTLE_WRITEBACK)
    if (nr.dirty && nr.dirty === nr.congested) pgdat.flags |= LRUVEC_NODE_CONGESTED
  } else if ((pgdat.flags & LRUVEC_NODE_CONGESTED) !== 0) {
    yield* reclaim_throttle(k, t, pgdat, VMSCAN_THROTTLE_CONGESTED)
  }
  if (reclaimable) pgdat.kswapd_failures = 0
}

/** mm/vmscan.c: snapshot_refaults() */
export function snapshot_refaults(pgdat: Pgdat): void {
  const l = pgdat.lruvec
  l.refaults[0] = l.workingset_activate[0]
  l.refaults[1] = l.workingset_activate[1]
}
