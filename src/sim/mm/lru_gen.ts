import type { Kernel } from '../kernel'
import type { Lruvec } from './mmzone'
import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const {
  LRU_ACTIVE,
  LRU_FILE,
  LRU_REFS_MASK,
  LRU_REFS_PGOFF,
  MAX_NR_GENS,
  MAX_NR_TIERS,
  MIN_LRU_BATCH,
  MIN_NR_GENS,
  PG_active,
  PG_dirty,
  PG_lru,
  PG_reclaim,
  PG_referenced,
  PG_swapbacked,
  PG_swapcache,
  PG_workingset,
  PG_writeback,
  PTE_young
} = mm_types

const LRU_REFS_FLAGS = PG_referenced | PG_workingset

/**
 * struct lru_gen_folio (include/linux/mmzone.h), one zone, NR_HIST_GENS = 1 (no
 * CONFIG_LRU_GEN_STATS). Arrays are flattened: [gen][type] → 2·gen + type, [type][tier] →
 * MAX_NR_TIERS·type + tier, protected[type][tier - 1] → (MAX_NR_TIERS - 1)·type + tier - 1.
 */
export class LruGenFolio {
  max_seq = MIN_NR_GENS + 1
  min_seq = [0, 0]
  nr_pages = new Float64Array(2 * MAX_NR_GENS)
  avg_refaulted = new Float64Array(2 * MAX_NR_TIERS)
  avg_total = new Float64Array(2 * MAX_NR_TIERS)
  protected = new Float64Array(2 * (MAX_NR_TIERS - 1))
  evicted = new Float64Array(2 * MAX_NR_TIERS)
  refaulted = new Float64Array(2 * MAX_NR_TIERS)
  /** Aging passes (inc_max_seq) and page-table entries their walks visited (for tests, metrics). */
  nr_aging = 0
  nr_walked = 0
}

export function lru_gen_from_seq(seq: number): number {
  return seq % MAX_NR_GENS
}

export function get_nr_gens(lrugen: LruGenFolio, type: number): number {
  return lrugen.max_seq - lrugen.min_seq[type] + 1
}

/** order_base_2(refs + 1) */
export function lru_tier_from_refs(refs: number): number {
  return refs === 0 ? 0 : 32 - Math.clz32(refs)
}

/** Accesses through file descriptors beyond PG_referenced (+ PG_workingset). */
export function folio_lru_refs(flags: number): number {
  return ((flags & LRU_REFS_MASK) >> LRU_REFS_PGOFF) + ((flags & PG_workingset) !== 0 ? 1 : 0)
}

/** LRU_GEN_ANON (0) or LRU_GEN_FILE (1): folio_is_file_lru(). */
export function folio_type(flags: number): number {
  return (flags & PG_swapbacked) === 0 ? 1 : 0
}

/** The two youngest generations count as "active" in the compatibility sizes. */
export function lru_gen_is_active(lrugen: LruGenFolio, gen: number): boolean {
  const max_seq = lrugen.max_seq
  return gen === lru_gen_from_seq(max_seq) || gen === lru_gen_from_seq(max_seq - 1)
}

/**
 * include/linux/mm_inline.h: lru_gen_update_size()
 * Moves one page between generation sizes; additions and deletions also keep the classic
 * nr_{in,}active_* sizes that /proc/vmstat shows.
 */
export function lru_gen_update_size(
  lruvec: Lruvec,
  type: number,
  old_gen: number,
  new_gen: number
): void {
  const lrugen = lruvec.lrugen!
  const nr = lruvec.nr
  const lru = type * LRU_FILE
  if (old_gen >= 0) lrugen.nr_pages[2 * old_gen + type]--
  if (new_gen >= 0) lrugen.nr_pages[2 * new_gen + type]++
  if (old_gen < 0) {
    nr[lru + (lru_gen_is_active(lrugen, new_gen) ? LRU_ACTIVE : 0)]++
    return
  }
  if (new_gen < 0) {
    nr[lru + (lru_gen_is_active(lrugen, old_gen) ? LRU_ACTIVE : 0)]--
    return
  }
  if (!lru_gen_is_active(lrugen, old_gen) && lru_gen_is_active(lrugen, new_gen)) {
    nr[lru]--
    nr[lru + LRU_ACTIVE]++
  }
}

/**
 * include/linux/mm_inline.h: lru_gen_add_folio()
 * Hot (PG_active, e.g. faulted in) → youngest generation; anon not yet in the swap cache, or
 * pending writeback for reclaim → second youngest; rotated for reclaim (`reclaiming`) or few
 * generations → oldest; anything else → second oldest. Rotated folios go to the tail.
 */
export function lru_gen_add_folio(k: Kernel, pfn: number, reclaiming: boolean): void {
  const p = k.pages
  let f = p.flags[pfn]
  const type = folio_type(f)
  const lruvec = k.pgdats[p.pfn_to_nid(pfn)].lruvec
  const lrugen = lruvec.lrugen!
  let seq: number
  if (f & PG_active) seq = lrugen.max_seq
  else if (
    (type === 0 && (f & PG_swapcache) === 0) ||
    ((f & PG_reclaim) !== 0 && (f & (PG_dirty | PG_writeback)) !== 0)
  )
    seq = lrugen.max_seq - 1
  else if (reclaiming || lrugen.min_seq[type] + MIN_NR_GENS >= lrugen.max_seq)
    seq = lrugen.min_seq[type]
  else seq = lrugen.min_seq[type] + 1
  const gen = lru_gen_from_seq(seq)
  if (f & PG_active) f &= ~(LRU_REFS_MASK | PG_referenced | PG_active)
  p.flags[pfn] = f | PG_lru
  p.gen[pfn] = gen + 1
  lru_gen_update_size(lruvec, type, -1, gen)
  const head = p.gen_head(p.pfn_to_nid(pfn), gen, type)
  if (reclaiming) p.list_add_tail(pfn, head)
  else p.list_add(pfn, head)
}

/**
 * include/linux/mm_inline.h: lru_gen_del_folio()
 * Off its generation list; a folio leaving an active generation (not for reclaim) keeps
 * PG_active, as folio_migrate_flags() expects.
 */
export function lru_gen_del_folio(k: Kernel, pfn: number, reclaiming: boolean): void {
  const p = k.pages
  const gen = p.gen[pfn] - 1
  if (gen < 0) return
  const f = p.flags[pfn]
  const lruvec = k.pgdats[p.pfn_to_nid(pfn)].lruvec
  const active = !reclaiming && lru_gen_is_active(lruvec.lrugen!, gen)
  p.gen[pfn] = 0
  p.flags[pfn] = (f & ~PG_lru) | (active ? PG_active : 0)
  lru_gen_update_size(lruvec, folio_type(f), gen, -1)
  p.list_del(pfn)
}

/**
 * mm/swap.c: folio_inc_refs() — folio_mark_accessed() under MGLRU: the first access sets
 * PG_referenced, the second PG_workingset, later ones count in LRU_REFS (saturating).
 */
export function folio_inc_refs(k: Kernel, pfn: number): void {
  const p = k.pages
  const f = p.flags[pfn]
  if ((f & PG_referenced) === 0) p.flags[pfn] = f | PG_referenced
  else if ((f & PG_workingset) === 0) p.flags[pfn] = f | PG_workingset
  else if ((f & LRU_REFS_MASK) !== LRU_REFS_MASK) p.flags[pfn] = f + (1 << LRU_REFS_PGOFF)
}

/**
 * mm/vmscan.c: folio_update_gen() — promotes a folio found young by a page-table walk to `gen`
 * (its list position is sorted lazily at eviction); an isolated folio gets PG_referenced for
 * shrink_folio_list(). Returns the old generation or -1.
 */
export function folio_update_gen(k: Kernel, pfn: number, gen: number): number {
  const p = k.pages
  const f = p.flags[pfn]
  const old = p.gen[pfn] - 1
  if (old < 0) {
    p.flags[pfn] = f | PG_referenced
    return -1
  }
  p.flags[pfn] = f & ~(LRU_REFS_MASK | LRU_REFS_FLAGS)
  p.gen[pfn] = gen + 1
  return old
}

/**
 * mm/vmscan.c: folio_inc_gen() — moves a folio of the oldest generation one generation up
 * (protected by its tier, or waiting for writeback: then with PG_reclaim for
 * folio_end_writeback()), unless the aging already promoted it. Returns the new generation.
 */
export function folio_inc_gen(k: Kernel, lruvec: Lruvec, pfn: number, reclaiming: boolean): number {
  const p = k.pages
  const lrugen = lruvec.lrugen!
  const f = p.flags[pfn]
  const type = folio_type(f)
  const old_gen = lru_gen_from_seq(lrugen.min_seq[type])
  const cur = p.gen[pfn] - 1
  if (cur >= 0 && cur !== old_gen) return cur
  const new_gen = (old_gen + 1) % MAX_NR_GENS
  p.flags[pfn] = (f & ~(LRU_REFS_MASK | LRU_REFS_FLAGS)) | (reclaiming ? PG_reclaim : 0)
  p.gen[pfn] = new_gen + 1
  lru_gen_update_size(lruvec, type, old_gen, new_gen)
  return new_gen
}

// ---------------------------------------------------------------------------------------------
// PID controller (mm/vmscan.c): refaulted / (evicted + protected) per tier, the I term an
// exponential moving average over evicted generations.

export interface ctrl_pos {
  refaulted: number
  total: number
  gain: number
}

export function read_ctrl_pos(
  lrugen: LruGenFolio,
  type: number,
  tier: number,
  gain: number,
  pos: ctrl_pos
): void {
  const i = MAX_NR_TIERS * type + tier
  pos.refaulted = lrugen.avg_refaulted[i] + lrugen.refaulted[i]
  pos.total = lrugen.avg_total[i] + lrugen.evicted[i]
  if (tier) pos.total += lrugen.protected[(MAX_NR_TIERS - 1) * type + tier - 1]
  pos.gain = gain
}

/** reset_ctrl_pos() with NR_HIST_GENS = 1: carry over halves the sums; the counts restart. */
export function reset_ctrl_pos(lrugen: LruGenFolio, type: number, carryover: boolean): void {
  if (!carryover) return
  for (let tier = 0; tier < MAX_NR_TIERS; tier++) {
    const i = MAX_NR_TIERS * type + tier
    lrugen.avg_refaulted[i] = Math.floor((lrugen.avg_refaulted[i] + lrugen.refaulted[i]) / 2)
    let sum = lrugen.avg_total[i] + lrugen.evicted[i]
    if (tier) sum += lrugen.protected[(MAX_NR_TIERS - 1) * type + tier - 1]
    lrugen.avg_total[i] = Math.floor(sum / 2)
    lrugen.refaulted[i] = 0
    lrugen.evicted[i] = 0
    if (tier) lrugen.protected[(MAX_NR_TIERS - 1) * type + tier - 1] = 0
  }
}

/** True if the PV has few refaults or a lower refaulted/total than the SP. */
export function positive_ctrl_err(sp: ctrl_pos, pv: ctrl_pos): boolean {
  return (
    pv.refaulted < MIN_LRU_BATCH ||
    pv.refaulted * (sp.total + MIN_LRU_BATCH) * sp.gain <= (sp.refaulted + 1) * pv.total * pv.gain
  )
}

// ---------------------------------------------------------------------------------------------
// The aging

/**
 * mm/vmscan.c: inc_min_seq() — when the generations are full, moves what is left of the oldest
 * one up (tail to tail, keeping the order) and retires it.
 */
function inc_min_seq(
  k: Kernel,
  lruvec: Lruvec,
  nid: number,
  type: number,
  can_swap: boolean
): void {
  const lrugen = lruvec.lrugen!
  if (type === 1 || can_swap) {
    const p = k.pages
    const head = p.gen_head(nid, lru_gen_from_seq(lrugen.min_seq[type]), type)
    for (let pfn = p.prev(head); pfn !== head; pfn = p.prev(head)) {
      const new_gen = folio_inc_gen(k, lruvec, pfn, false)
      p.list_del(pfn)
      p.list_add_tail(pfn, p.gen_head(nid, new_gen, type))
    }
  }
  reset_ctrl_pos(lrugen, type, true)
  lrugen.min_seq[type]++
}

/**
 * mm/vmscan.c: try_to_inc_min_seq() — retires empty oldest generations (anon's min_seq never
 * ahead of file's while swapping is possible). Returns whether any min_seq moved.
 */
export function try_to_inc_min_seq(
  k: Kernel,
  lruvec: Lruvec,
  nid: number,
  can_swap: boolean
): boolean {
  const lrugen = lruvec.lrugen!
  const p = k.pages
  const min_seq = lrugen.min_seq.slice()
  for (let type = can_swap ? 0 : 1; type < 2; type++) {
    while (min_seq[type] + MIN_NR_GENS <= lrugen.max_seq) {
      const head = p.gen_head(nid, lru_gen_from_seq(min_seq[type]), type)
      if (p.next(head) !== head) break
      min_seq[type]++
    }
  }
  if (can_swap) {
    min_seq[0] = Math.min(min_seq[0], min_seq[1])
    min_seq[1] = Math.max(min_seq[0], lrugen.min_seq[1])
  }
  let success = false
  for (let type = can_swap ? 0 : 1; type < 2; type++) {
    if (min_seq[type] === lrugen.min_seq[type]) continue
    reset_ctrl_pos(lrugen, type, true)
    lrugen.min_seq[type] = min_seq[type]
    success = true
  }
  return success
}

/**
 * mm/vmscan.c: walk_mm() over every process that touched memory since the last walk: each young
 * PTE is cleared and its folio promoted to the youngest generation (folio_update_gen() plus the
 * batched size update). Returns the page-table entries visited (the walk's CPU cost).
 * Simplified: whole regions, no Bloom filter of young PMDs (an upper bound on the work).
 */
function walk_mm(k: Kernel, lruvec: Lruvec, nid: number, can_swap: boolean): number {
  const p = k.pages
  const flags = p.flags
  const lrugen = lruvec.lrugen!
  const new_gen = lru_gen_from_seq(lrugen.max_seq)
  let visited = 0
  for (const m of k.mappings) {
    if (!m.young || (m.anon && !can_swap)) continue
    m.young = false
    const pte = m.pte
    visited += pte.length
    for (let i = 0; i < pte.length; i++) {
      const pfn = pte[i]
      if (pfn < 0) continue
      const f = flags[pfn]
      if ((f & PTE_young) === 0 || p.pfn_to_nid(pfn) !== nid) continue
      flags[pfn] = f & ~PTE_young
      const old_gen = folio_update_gen(k, pfn, new_gen)
      if (old_gen >= 0 && old_gen !== new_gen)
        lru_gen_update_size(lruvec, folio_type(f), old_gen, new_gen)
    }
  }
  return visited
}

/**
 * mm/vmscan.c: inc_max_seq() — a new youngest generation; full generations first retire the
 * oldest (inc_min_seq); the compatibility sizes follow the generation that stops being active.
 */
function inc_max_seq(k: Kernel, lruvec: Lruvec, nid: number, can_swap: boolean): void {
  const lrugen = lruvec.lrugen!
  for (let type = 1; type >= 0; type--) {
    if (get_nr_gens(lrugen, type) !== MAX_NR_GENS) continue
    inc_min_seq(k, lruvec, nid, type, can_swap)
  }
  const prev = lru_gen_from_seq(lrugen.max_seq - 1)
  const next = lru_gen_from_seq(lrugen.max_seq + 1)
  const nr = lruvec.nr
  for (let type = 0; type < 2; type++) {
    const delta = lrugen.nr_pages[2 * prev + type] - lrugen.nr_pages[2 * next + type]
    if (!delta) continue
    nr[type * LRU_FILE] += delta
    nr[type * LRU_FILE + LRU_ACTIVE] -= delta
  }
  lrugen.max_seq++
  lrugen.nr_aging++
}

/**
 * mm/vmscan.c: try_to_inc_max_seq() — the aging: walk the page tables, then start a new
 * generation. Returns the page-table entries visited.
 */
export function try_to_inc_max_seq(
  k: Kernel,
  lruvec: Lruvec,
  nid: number,
  can_swap: boolean
): number {
  const visited = walk_mm(k, lruvec, nid, can_swap)
  lruvec.lrugen!.nr_walked += visited
  inc_max_seq(k, lruvec, nid, can_swap)
  return visited
}

/**
 * mm/vmscan.c: lru_gen_look_around() — the rmap walk found the folio young: clear it, and promote
 * the young neighbours within MIN_LRU_BATCH PTEs of the same page table to the youngest
 * generation. Returns the neighbouring entries visited.
 */
export function lru_gen_look_around(k: Kernel, pfn: number): number {
  const p = k.pages
  const m = k.mappings[p.mapping[pfn]]
  const idx = p.index[pfn]
  const nid = p.pfn_to_nid(pfn)
  const lruvec = k.pgdats[nid].lruvec
  const new_gen = lru_gen_from_seq(lruvec.lrugen!.max_seq)
  p.flags[pfn] &= ~PTE_young
  // The PTE table (512 entries) around idx, at most MIN_LRU_BATCH entries centred on it.
  const pmd_start = idx & ~511
  const pmd_end = Math.min(pmd_start + 512, m.pte.length)
  let start = Math.max(pmd_start, idx - MIN_LRU_BATCH / 2)
  const end = Math.min(pmd_end, start + MIN_LRU_BATCH)
  start = Math.max(pmd_start, end - MIN_LRU_BATCH)
  if (end - start <= 1) return 0
  for (let i = start; i < end; i++) {
    const q = m.pte[i]
    if (q < 0 || q === pfn || p.pfn_to_nid(q) !== nid) continue
    const f = p.flags[q]
    if ((f & PTE_young) === 0) continue
    p.flags[q] = f & ~PTE_young
    const old_gen = folio_update_gen(k, q, new_gen)
    if (old_gen >= 0 && old_gen !== new_gen)
      lru_gen_update_size(lruvec, folio_type(f), old_gen, new_gen)
  }
  return end - start
}

/**
 * mm/vmscan.c: should_run_aging() — age when only MIN_NR_GENS generations are left and the
 * youngest holds more than 1/MIN_NR_GENS or the oldest eligible less than 1/(MIN_NR_GENS + 2)
 * of the pages. Returns [run aging, nr_to_scan].
 */
export function should_run_aging(lrugen: LruGenFolio, can_swap: boolean): [boolean, number] {
  const max_seq = lrugen.max_seq
  const min_seq = lrugen.min_seq
  // min_seq[!can_swap]: anon's when swapping is possible (it never runs ahead of file's).
  const first = can_swap ? 0 : 1
  if (min_seq[first] + MIN_NR_GENS > max_seq) return [true, 0]
  let old = 0
  let young = 0
  let total = 0
  for (let type = first; type < 2; type++) {
    for (let seq = min_seq[type]; seq <= max_seq; seq++) {
      const size = Math.max(lrugen.nr_pages[2 * lru_gen_from_seq(seq) + type], 0)
      total += size
      if (seq === max_seq) young += size
      else if (seq + MIN_NR_GENS === max_seq) old += size
    }
  }
  if (min_seq[first] + MIN_NR_GENS < max_seq) return [false, total]
  if (young * MIN_NR_GENS > total) return [true, total]
  if (old * (MIN_NR_GENS + 2) < total) return [true, total]
  return [false, total]
}
