import type { Kernel } from '../kernel'
import { type Sub, type Thread } from '../cpu/thread'
import * as cpu_thread_mod from '../cpu/thread'
import * as mm_inline_mod from './mm_inline'
import type { Lruvec, Pgdat } from './mmzone'
import * as lru_gen_mod from './lru_gen'
import * as page_alloc_mod from './page_alloc'
import * as scan_control_mod from './scan_control'
import type { scan_control } from './scan_control'
import * as swap_mod from './swap'
import * as lru_isolate_mod from './lru_isolate'
import * as shrink_folio_list_mod from './shrink_folio_list'
import * as mm_types from './types'

import { FolioList } from './folio_list'
// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops. (vmscan's functions are called through its namespace: the
// two modules import each other.)
const { cpu, io_wait } = cpu_thread_mod
const { free_page } = mm_inline_mod
const {
  folio_inc_gen,
  folio_lru_refs,
  folio_type,
  get_nr_gens,
  lru_gen_del_folio,
  lru_gen_from_seq,
  lru_tier_from_refs,
  positive_ctrl_err,
  read_ctrl_pos,
  should_run_aging,
  try_to_inc_max_seq,
  try_to_inc_min_seq
} = lru_gen_mod
const { zone_watermark_ok } = page_alloc_mod
const { new_reclaim_stat } = scan_control_mod
const { get_nr_swap_pages } = swap_mod
const { shrink_folio_list } = shrink_folio_list_mod
const {
  DEF_PRIORITY,
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  LRU_REFS_MASK,
  LRU_REFS_WIDTH,
  MAX_LRU_BATCH,
  MAX_NR_TIERS,
  MAX_SWAPPINESS,
  MIN_LRU_BATCH,
  MIN_NR_GENS,
  PG_active,
  PG_dirty,
  PG_locked,
  PG_mapped,
  PG_orphan,
  PG_reclaim,
  PG_referenced,
  PG_swapbacked,
  PG_swapcache,
  PG_workingset,
  PG_writeback,
  gfp_io
} = mm_types

const sp: lru_gen_mod.ctrl_pos = { refaulted: 0, total: 0, gain: 0 }
const pv: lru_gen_mod.ctrl_pos = { refaulted: 0, total: 0, gain: 0 }

/** fls_long() */
function fls(x: number): number {
  return x <= 0 ? 0 : Math.floor(Math.log2(x)) + 1
}

/** mm/vmscan.c: get_swappiness() — 0 when swapping is impossible. */
function get_swappiness(k: Kernel, sc: scan_control): number {
  if (!sc.may_swap) return 0
  if (get_nr_swap_pages(k) < MIN_LRU_BATCH) return 0
  return k.swappiness
}

/**
 * mm/vmscan.c: set_initial_priority() — a large reclaim starts where (reclaimable >> priority)
 * covers nr_to_reclaim, within [DEF_PRIORITY / 2, DEF_PRIORITY].
 */
function set_initial_priority(k: Kernel, pgdat: Pgdat, sc: scan_control): void {
  if (sc.priority !== DEF_PRIORITY || sc.nr_to_reclaim < MIN_LRU_BATCH) return
  const n = pgdat.lruvec.nr
  let reclaimable = n[LRU_INACTIVE_FILE]
  if (get_nr_swap_pages(k) > 0) reclaimable += n[LRU_INACTIVE_ANON]
  const priority = fls(reclaimable) - 1 - fls(sc.nr_to_reclaim - 1)
  sc.priority = Math.min(Math.max(priority, DEF_PRIORITY / 2), DEF_PRIORITY)
}

/**
 * mm/vmscan.c: lru_gen_age_node() — kswapd's per-pass hook under MGLRU. With min_ttl_ms = 0
 * (the default) it only sets the initial priority.
 */
export function lru_gen_age_node(k: Kernel, pgdat: Pgdat, sc: scan_control): void {
  set_initial_priority(k, pgdat, sc)
}

/**
 * mm/vmscan.c: sort_folio() — a folio the aging promoted goes to its generation's list; one
 * protected by its tier (accesses through file descriptors) moves up a generation; else it
 * can be isolated.
 */
function sort_folio(
  k: Kernel,
  lruvec: Lruvec,
  nid: number,
  pfn: number,
  tier_idx: number
): boolean {
  const p = k.pages
  const lrugen = lruvec.lrugen!
  const f = p.flags[pfn]
  const type = folio_type(f)
  const gen = p.gen[pfn] - 1
  if (gen !== lru_gen_from_seq(lrugen.min_seq[type])) {
    p.list_del(pfn)
    p.list_add(pfn, p.gen_head(nid, gen, type))
    return true
  }
  const refs = folio_lru_refs(f)
  const tier = lru_tier_from_refs(refs)
  if (tier > tier_idx || refs === 1 << LRU_REFS_WIDTH) {
    const new_gen = folio_inc_gen(k, lruvec, pfn, false)
    p.list_del(pfn)
    p.list_add_tail(pfn, p.gen_head(nid, new_gen, type))
    lrugen.protected[(MAX_NR_TIERS - 1) * type + tier - 1]++
    return true
  }
  return false
}

/**
 * mm/vmscan.c: isolate_folio() — off the LRU, refs kept only if PG_referenced; a reclaim that may
 * not start IO leaves anon folios it could not write (dirty, or not yet in the swap cache).
 */
function isolate_folio(k: Kernel, pfn: number, io: boolean): boolean {
  const p = k.pages
  const f = p.flags[pfn]
  if (!io && (f & PG_swapbacked) !== 0 && (f & (PG_dirty | PG_swapcache)) !== PG_swapcache)
    return false
  if ((f & PG_referenced) === 0) p.flags[pfn] = f & ~(LRU_REFS_MASK | PG_referenced | PG_workingset)
  else p.flags[pfn] = f & ~PG_referenced
  lru_gen_del_folio(k, pfn, true)
  return true
}

/**
 * mm/vmscan.c: scan_folios() — from the tail of the oldest generation of `type`, sort or isolate
 * until MIN_LRU_BATCH folios are isolated or MAX_LRU_BATCH scanned. Counts pgscan (isolated)
 * and pgrefill (sorted). Returns [scanned (0 when nothing was isolated), isolated].
 * Simplified: one zone, so no folio is skipped as ineligible.
 */
function scan_folios(
  k: Kernel,
  t: Thread,
  lruvec: Lruvec,
  nid: number,
  sc: scan_control,
  type: number,
  tier: number,
  list: number[]
): number {
  const lrugen = lruvec.lrugen!
  if (get_nr_gens(lrugen, type) === MIN_NR_GENS) return 0
  const p = k.pages
  const head = p.gen_head(nid, lru_gen_from_seq(lrugen.min_seq[type]), type)
  const io = gfp_io(sc.gfp_mask)
  let remaining = MAX_LRU_BATCH
  let scanned = 0
  let sorted = 0
  const moved: number[] = []
  while (p.next(head) !== head) {
    const pfn = p.prev(head)
    scanned++
    if (sort_folio(k, lruvec, nid, pfn, tier)) sorted++
    else if (isolate_folio(k, pfn, io)) list.push(pfn)
    else {
      p.list_del(pfn)
      moved.push(pfn)
    }
    if (!--remaining || Math.max(list.length, moved.length) >= MIN_LRU_BATCH) break
  }
  // Skipped folios go back to the head of their generation, in the order met.
  for (const pfn of moved) p.list_add(pfn, head)
  k.acc += scanned * k.costs.isolate_ns
  const isolated = list.length
  const v = k.vmstat
  if (t.current_is_kswapd()) v.pgscan_kswapd += isolated
  else v.pgscan_direct += isolated
  if (type) v.pgscan_file += isolated
  else v.pgscan_anon += isolated
  v.pgrefill += sorted
  if (type) sc.nr.file_taken += isolated
  return isolated || !remaining ? scanned : 0
}

/** mm/vmscan.c: get_tier_idx() — the last tier to evict: tiers refaulting less than tier 0 (×2). */
function get_tier_idx(lruvec: Lruvec, type: number): number {
  const lrugen = lruvec.lrugen!
  read_ctrl_pos(lrugen, type, 0, 1, sp)
  let tier = 1
  for (; tier < MAX_NR_TIERS; tier++) {
    read_ctrl_pos(lrugen, type, tier, 2, pv)
    if (!positive_ctrl_err(sp, pv)) break
  }
  return tier - 1
}

/**
 * mm/vmscan.c: get_type_to_scan() — anon or file by comparing their first tiers' refault rates,
 * weighted by swappiness : (MAX_SWAPPINESS − swappiness). Returns [type, tier_idx].
 */
function get_type_to_scan(lruvec: Lruvec, swappiness: number): [number, number] {
  const lrugen = lruvec.lrugen!
  const gain = [swappiness, MAX_SWAPPINESS - swappiness]
  read_ctrl_pos(lrugen, 0, 0, gain[0], sp)
  read_ctrl_pos(lrugen, 1, 0, gain[1], pv)
  const type = positive_ctrl_err(sp, pv) ? 1 : 0
  read_ctrl_pos(lrugen, 1 - type, 0, gain[1 - type], sp)
  let tier = 1
  for (; tier < MAX_NR_TIERS; tier++) {
    read_ctrl_pos(lrugen, type, tier, gain[type], pv)
    if (!positive_ctrl_err(sp, pv)) break
  }
  return [type, tier - 1]
}

/**
 * mm/vmscan.c: isolate_folios() — the obvious type first (the older generation, or what
 * swappiness 0/1/MAX forces), else get_type_to_scan(); the other type if that found nothing.
 * Returns [scanned, type].
 */
function isolate_folios(
  k: Kernel,
  t: Thread,
  lruvec: Lruvec,
  nid: number,
  sc: scan_control,
  swappiness: number,
  list: number[]
): [number, number] {
  const min_seq = lruvec.lrugen!.min_seq
  let type: number
  let tier = -1
  if (!swappiness) type = 1
  else if (min_seq[0] < min_seq[1]) type = 0
  else if (swappiness === 1) type = 1
  else if (swappiness === MAX_SWAPPINESS) type = 0
  else [type, tier] = get_type_to_scan(lruvec, swappiness)
  let scanned = 0
  for (let i = swappiness ? 0 : 1; i < 2; i++) {
    if (tier < 0) tier = get_tier_idx(lruvec, type)
    scanned = scan_folios(k, t, lruvec, nid, sc, type, tier, list)
    if (scanned) break
    type = 1 - type
    tier = -1
  }
  return [scanned, type]
}

/**
 * mm/vmscan.c: evict_folios() — isolate a batch from the oldest generation, shrink_folio_list()
 * it, then retry once the folios that became clean meanwhile (missed folio_rotate_reclaimable(),
 * e.g. written by another thread while this pass ran); rejected ones go back to the youngest
 * generation (PG_active), pending writeback with PG_reclaim to the second youngest.
 * Returns the folios scanned.
 */
function* evict_folios(
  k: Kernel,
  t: Thread,
  pgdat: Pgdat,
  sc: scan_control,
  swappiness: number
): Sub<number> {
  const p = k.pages
  const flags = p.flags
  const lruvec = pgdat.lruvec
  const nid = pgdat.node_id
  const v = k.vmstat
  const kswapd = t.current_is_kswapd()
  let list: number[] = []
  k.acc = 0
  const isolated = isolate_folios(k, t, lruvec, nid, sc, swappiness, list)
  let scanned = isolated[0]
  const type = isolated[1]
  if (try_to_inc_min_seq(k, lruvec, nid, swappiness !== 0)) scanned++
  if (get_nr_gens(lruvec.lrugen!, swappiness ? 0 : 1) === MIN_NR_GENS) scanned = 0
  if (list.length === 0) {
    if (k.acc) yield cpu(k.acc, 1)
    k.acc = 0
    return scanned
  }
  if (type) pgdat.nr_isolated_file += list.length
  else pgdat.nr_isolated_anon += list.length
  let skip_retry = false
  for (;;) {
    const n = list.length
    const buf = Int32Array.from(list)
    const stat = new_reclaim_stat()
    const free = new FolioList()
    const ret = new FolioList()
    const writes = k.disk ? k.disk.writes : 0
    sc.nr_scanned += n
    const reclaimed = shrink_folio_list(k, t, buf, n, pgdat, sc, stat, free, ret)
    sc.nr.unqueued_dirty += stat.nr_unqueued_dirty
    sc.nr_reclaimed += reclaimed
    const work = k.acc
    k.acc = 0
    yield cpu(work, n, true)
    t.read_sem = null
    if (k.disk && k.disk.writes !== writes) {
      const w = k.disk.congestion_wait_ns()
      if (w > 0) yield io_wait(w)
    }
    // What happened meanwhile (kcompressd or the block layer finishing a write) decides.
    k.writeout.catch_up?.(k)
    const clean: number[] = []
    const back = new FolioList()
    for (let i = ret.length - 1; i >= 0; i--) {
      const pfn = ret.pfns[i]
      const f = flags[pfn]
      if (f & PG_orphan) back.push(pfn)
      else if ((f & PG_reclaim) !== 0 && (f & (PG_dirty | PG_writeback)) !== 0) {
        if (f & PG_workingset) flags[pfn] = f | PG_referenced
        back.push(pfn)
      } else if (
        skip_retry ||
        (f & (PG_active | PG_referenced | PG_mapped | PG_locked | PG_dirty | PG_writeback)) !== 0
      ) {
        // Rejected folios don't go back to the oldest generation.
        flags[pfn] = (f & ~(LRU_REFS_MASK | PG_referenced | PG_workingset)) | PG_active
        back.push(pfn)
      } else clean.push(pfn)
    }
    lru_isolate_mod.move_folios_to_lru(k, pgdat, back)
    for (let i = 0; i < free.length; i++) free_page(k, free.pfns[i])
    const done = back.length + free.length
    if (type) pgdat.nr_isolated_file -= done
    else pgdat.nr_isolated_anon -= done
    if (kswapd) v.pgsteal_kswapd += reclaimed
    else v.pgsteal_direct += reclaimed
    if (type) v.pgsteal_file += reclaimed
    else v.pgsteal_anon += reclaimed
    if (clean.length === 0) break
    list = clean
    skip_retry = true
  }
  return scanned
}

/**
 * mm/vmscan.c: get_nr_to_scan() — the eligible pages >> priority; at a lower priority, a lruvec
 * low on cold folios is aged instead (try_to_inc_max_seq(), which walks the page tables) and
 * skipped for this pass (-1).
 */
function* get_nr_to_scan(
  k: Kernel,
  pgdat: Pgdat,
  sc: scan_control,
  can_swap: boolean
): Sub<number> {
  const lruvec = pgdat.lruvec
  const [success, nr_to_scan] = should_run_aging(lruvec.lrugen!, can_swap)
  if (!success || sc.priority === DEF_PRIORITY) return Math.floor(nr_to_scan / 2 ** sc.priority)
  const visited = try_to_inc_max_seq(k, lruvec, pgdat.node_id, can_swap)
  if (visited) yield cpu(visited * k.costs.lru_gen_walk_pte_ns, 1)
  return -1
}

/**
 * mm/vmscan.c: should_abort_scan() — enough reclaimed; or kswapd sees every zone above the high
 * watermark + MIN_LRU_BATCH.
 */
function should_abort_scan(t: Thread, pgdat: Pgdat, sc: scan_control): boolean {
  if (sc.nr_reclaimed >= Math.max(sc.nr_to_reclaim, 2)) return true
  if (!t.current_is_kswapd()) return false
  const z = pgdat.zone
  return zone_watermark_ok(z, z.high_wmark_pages() + MIN_LRU_BATCH, 0)
}

/** mm/vmscan.c: try_to_shrink_lruvec() — evict until nr_to_scan is met or the scan may stop. */
function* try_to_shrink_lruvec(k: Kernel, t: Thread, pgdat: Pgdat, sc: scan_control): Sub<void> {
  const swappiness = get_swappiness(k, sc)
  let scanned = 0
  for (;;) {
    const nr_to_scan = yield* get_nr_to_scan(k, pgdat, sc, swappiness !== 0)
    if (nr_to_scan <= 0) break
    const delta = yield* evict_folios(k, t, pgdat, sc, swappiness)
    if (!delta) break
    scanned += delta
    if (scanned >= nr_to_scan) break
    if (should_abort_scan(t, pgdat, sc)) break
  }
  if (sc.nr.unqueued_dirty && sc.nr.unqueued_dirty === sc.nr.file_taken) k.flusher_wait?.wake()
}

/**
 * mm/vmscan.c: lru_gen_shrink_node() — shrink_node() under MGLRU for root reclaim (no memcg:
 * shrink_one() on the node's lruvec). kswapd counts this pass's reclaim from zero.
 */
export function* lru_gen_shrink_node(
  k: Kernel,
  t: Thread,
  pgdat: Pgdat,
  sc: scan_control
): Sub<void> {
  const reclaimed = sc.nr_reclaimed
  if (sc.may_writepage && sc.may_unmap) {
    set_initial_priority(k, pgdat, sc)
    const kswapd = t.current_is_kswapd()
    if (kswapd) sc.nr_reclaimed = 0
    yield* try_to_shrink_lruvec(k, t, pgdat, sc)
    if (kswapd) sc.nr_reclaimed += reclaimed
  }
  if (sc.nr_reclaimed > reclaimed) pgdat.kswapd_failures = 0
}
