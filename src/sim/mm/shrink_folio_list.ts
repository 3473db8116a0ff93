/*
 * mm/vmscan.c, the per-folio part of reclaim: pageout(), folio_check_references() and
 * shrink_folio_list(), which decides each isolated folio's fate. Isolating and putting back are
 * in lru_isolate.ts, the passes that balance the lists in vmscan.ts.
 */
import type { Kernel } from '../kernel'
import { type Thread } from '../cpu/thread'
import type { RwSem } from '../cpu/rwsem'
import type { Pgdat } from './mmzone'
import * as mmzone_mod from './mmzone'
import * as mapping_mod from './mapping'
import * as writeout_mod from './writeout'
import * as workingset_mod from './workingset'
import * as writeback_mod from './writeback'
import * as lru_gen_mod from './lru_gen'
import * as tlbflush_mod from './tlbflush'
import { type reclaim_stat, type scan_control } from './scan_control'
import * as mm_types from './types'
import type { FolioList } from './folio_list'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { PGDAT_DIRTY, PGDAT_WRITEBACK } = mmzone_mod
const { flush_tlb_remote } = tlbflush_mod
const { swp_entry } = mapping_mod
const { AOP_WRITEPAGE_ACTIVATE } = writeout_mod
const { workingset_eviction } = workingset_mod
const { end_file_writeback } = writeback_mod
const { lru_gen_look_around } = lru_gen_mod
const {
  PG_active,
  PG_dirty,
  PG_kcompressd,
  PG_locked,
  PG_mapped,
  PG_orphan,
  PG_reclaim,
  PG_referenced,
  PG_swapbacked,
  PG_swapcache,
  PG_writeback,
  PTE_young,
  gfp_io
} = mm_types

/** pageout_t */
export const PAGE_KEEP = 0
export const PAGE_ACTIVATE = 1
export const PAGE_SUCCESS = 2
export const PAGE_CLEAN = 3

/** enum folio_references */
export const FOLIOREF_RECLAIM = 0
export const FOLIOREF_RECLAIM_CLEAN = 1
export const FOLIOREF_KEEP = 2
export const FOLIOREF_ACTIVATE = 3

/**
 * mm/vmscan.c: pageout()
 * Clears the dirty bit for IO, sets PG_reclaim and calls ->writepage (swap_writepage() to the
 * folio's swap slot `slot` for anon and shmem, a filesystem write for file). PG_reclaim is
 * cleared again if the folio is not under writeback.
 * Simplified: no is_page_cache_freeable() / inode congestion checks.
 */
function pageout(k: Kernel, t: Thread, pfn: number, slot: number): number {
  const flags = k.pages.flags
  flags[pfn] = (flags[pfn] & ~PG_dirty) | PG_reclaim
  if (flags[pfn] & PG_swapbacked) {
    const res = k.writeout.swap_writepage(k, t, pfn, slot)
    if (res === AOP_WRITEPAGE_ACTIVATE) {
      flags[pfn] = (flags[pfn] & ~PG_reclaim) | PG_dirty
      return PAGE_ACTIVATE
    }
  } else {
    // Filesystem ->writepage: asynchronous write to the storage device.
    flags[pfn] |= PG_writeback
    k.writeback_pending++
    const done = k.disk!.submit(1, true)
    k.env.at(done, () => end_file_writeback(k, pfn))
  }
  if ((flags[pfn] & PG_writeback) === 0) flags[pfn] &= ~PG_reclaim
  k.vmstat.nr_vmscan_write++
  return PAGE_SUCCESS
}

/**
 * mm/vmscan.c: folio_check_references()
 * The rmap walk (folio_referenced) reads and clears the PTE young bit; a mapped folio seen young is
 * kept once (PG_referenced set) and activated if seen young again; executable file folios are
 * activated at once; unmapped file folios with PG_referenced are reclaimed clean.
 * Under MGLRU the rmap walk also looks around the young PTE (lru_gen_look_around()).
 * Simplified: one PTE per folio, no VM_LOCKED. `referenced_ns`: costs.folio_referenced_ns.
 */
export function folio_check_references(
  k: Kernel,
  flags: Uint16Array,
  pfn: number,
  referenced_ns: number
): number {
  const f = flags[pfn]
  let referenced_ptes = 0
  if (f & PG_mapped) {
    k.acc += referenced_ns
    if (f & PTE_young) {
      referenced_ptes = 1
      if (k.lru_gen) k.acc += lru_gen_look_around(k, pfn) * k.costs.lru_gen_walk_pte_ns
    }
  }
  const referenced_folio = (f & PG_referenced) !== 0
  flags[pfn] = f & ~(PTE_young | PG_referenced)
  const file = (f & PG_swapbacked) === 0
  if (referenced_ptes) {
    flags[pfn] |= PG_referenced
    if (referenced_folio) return FOLIOREF_ACTIVATE
    if (file && k.mappings[k.pages.mapping[pfn]].exec) return FOLIOREF_ACTIVATE
    return FOLIOREF_KEEP
  }
  if (referenced_folio && file) return FOLIOREF_RECLAIM_CLEAN
  return FOLIOREF_RECLAIM
}

const MAPPED_ANON = PG_mapped | PG_swapbacked
/** A mapped folio with its PTE young, not orphaned, locked, handed to kcompressd or under writeback. */
const YOUNG_MAPPED = PG_mapped | PTE_young
const YOUNG_MASK = YOUNG_MAPPED | PG_orphan | PG_kcompressd | PG_locked | PG_writeback

/**
 * The part of an rmap walk before its cond_resched() (rmap_walk_anon(): the anon_vma lock and the
 * interval-tree lookup; the PTE work of rmap_one comes after): assumed half of the walk's cost.
 */
const RMAP_LOOKUP_SHARE = 0.5

/** down_read_trylock() of a mapped anon folio's anon_vma fails: a writer holds it or waits. */
function anon_vma_contended(k: Kernel, pfn: number): boolean {
  const sem = k.mappings[k.pages.mapping[pfn]].anon_vma
  return sem !== null && !sem.read_trylock()
}

/**
 * folio_check_references() when folio_referenced() returns -1: rmap lock contention, or a folio
 * mapped solely by an exiting process (folio_referenced_one() skips it: "avoids redundant
 * swap-out followed by an immediate unmap"). Keep, with PG_referenced cleared and the young bit
 * left for the next scan.
 */
function folio_referenced_skipped(
  k: Kernel,
  flags: Uint16Array,
  pfn: number,
  referenced_ns: number
): number {
  k.acc += referenced_ns
  flags[pfn] &= ~PG_referenced
  return FOLIOREF_KEEP
}

/** shrink_folio_list()'s exits: on to free_it, `goto keep_locked`, `goto activate_locked`. */
const FREE_IT = 0
const KEEP_LOCKED = 1
const ACTIVATE_LOCKED = 2

/**
 * mm/vmscan.c: shrink_folio_list()
 * Decides each isolated folio's fate: activate, keep, or reclaim (add_to_swap → try_to_unmap →
 * pageout → __remove_mapping). Folios to free go to `free`, survivors to `ret`; the caller
 * applies both after the CPU burst (k.acc) has been paid.
 * Simplified: folio_trylock() fails only on folios kcompressd holds; no demotion, no large-folio
 * split, no mlock.
 */
export function shrink_folio_list(
  k: Kernel,
  t: Thread,
  list: Int32Array,
  n: number,
  pgdat: Pgdat,
  sc: scan_control,
  stat: reclaim_stat,
  free: FolioList,
  ret: FolioList
): number {
  const p = k.pages
  const flags = p.flags
  const pmapping = p.mapping
  const v = k.vmstat
  const c = k.costs
  // Read once: a cost field may hold an integer or a double, checked at every read.
  const referenced_ns: number = c.folio_referenced_ns
  const kswapd = t.current_is_kswapd()
  const lru_gen = k.lru_gen === true
  const io = gfp_io(sc.gfp_mask)
  let nr_reclaimed = 0
  // The anon_vma lock of the first anon folio walked, and the work that ends at a cond_resched()
  // inside such a lock (Thread.read_sem, set at the end).
  let anon_vma: RwSem | null = null
  let anon_vma_ns = 0
  // Whether the young mapped folios, most of what a pass keeps, can take the short path below: no
  // rmap walk can fail its trylock or skip an exiting mm, and no MGLRU look-around.
  const young_path = !lru_gen && k.anon_vma_writers === 0 && k.nr_exiting_mm === 0
  for (let i = 0; i < n; i++) {
    const pfn = list[i]
    let f = flags[pfn]
    if (young_path && (f & YOUNG_MASK) === YOUNG_MAPPED) {
      // The steps below for this case, written out: folio_referenced() finds the PTE young (an
      // anon folio's rmap walked under its anon_vma lock), so folio_check_references() keeps the
      // folio, or activates it if it was referenced before or is an executable file's.
      const anon = (f & PG_swapbacked) !== 0
      if (anon) {
        if (anon_vma === null) anon_vma = k.mappings[pmapping[pfn]].anon_vma
        anon_vma_ns += referenced_ns * RMAP_LOOKUP_SHARE
      } else if (f & PG_dirty) {
        // folio_check_dirty_writeback()
        stat.nr_dirty++
        stat.nr_unqueued_dirty++
      }
      k.acc += referenced_ns
      if ((f & PG_referenced) !== 0 || (!anon && k.mappings[pmapping[pfn]].exec)) {
        flags[pfn] = (f & ~PTE_young) | PG_referenced | PG_active
        stat.nr_activate[anon ? 0 : 1]++
        v.pgactivate++
      } else {
        flags[pfn] = (f & ~PTE_young) | PG_referenced
        stat.nr_ref_keep++
      }
      ret.push(pfn)
      continue
    }
    if (f & PG_orphan) {
      if (f & (PG_writeback | PG_locked)) ret.push(pfn)
      else free.push(pfn)
      continue
    }
    if (f & (PG_kcompressd | PG_locked)) {
      // A folio handed to kcompressd: still queued (v2: folio_trylock() fails → keep; v1: under
      // writeback, below), or written and now freed by this extra scan.
      const vc = k.writeout.vc!
      if (f & (PG_locked | PG_writeback)) vc.rescanned_queued++
      else {
        vc.rescanned_done++
        flags[pfn] = f &= ~PG_kcompressd
      }
      if (f & PG_locked) {
        ret.push(pfn)
        continue
      }
    }
    if (lru_gen && (f & (PG_mapped | PG_referenced)) === (PG_mapped | PG_referenced)) {
      // folio_update_gen() tried to promote this folio while it was isolated: keep it.
      ret.push(pfn)
      continue
    }
    const file = (f & PG_swapbacked) === 0 ? 1 : 0
    // folio_check_dirty_writeback(): anon folios are never counted as dirty/writeback here.
    if (file) {
      const dirty = (f & PG_dirty) !== 0
      const writeback = (f & PG_writeback) !== 0
      if (dirty || writeback) stat.nr_dirty++
      if (dirty && !writeback) stat.nr_unqueued_dirty++
      if (writeback && (f & PG_reclaim) !== 0) stat.nr_congested++
    }
    let references = FOLIOREF_RECLAIM
    let outcome = FREE_IT
    if (f & PG_writeback) {
      if (kswapd && (f & PG_reclaim) !== 0 && (pgdat.flags & PGDAT_WRITEBACK) !== 0) {
        stat.nr_immediate++
      } else {
        flags[pfn] = f | PG_reclaim
        stat.nr_writeback++
      }
      outcome = ACTIVATE_LOCKED
    } else {
      // folio_referenced() returns -1: its anon_vma trylock fails, or the mm is exiting.
      let skipped = false
      if ((f & MAPPED_ANON) === MAPPED_ANON) {
        // folio_referenced() walks a mapped anon folio's rmap under its anon_vma's lock.
        if (anon_vma === null) anon_vma = k.mappings[pmapping[pfn]].anon_vma
        if (k.anon_vma_writers > 0) skipped = anon_vma_contended(k, pfn)
        if (!skipped) {
          anon_vma_ns += referenced_ns * RMAP_LOOKUP_SHARE
          if (k.nr_exiting_mm > 0) skipped = k.mappings[pmapping[pfn]].mm_exiting
        }
      }
      references = skipped
        ? folio_referenced_skipped(k, flags, pfn, referenced_ns)
        : folio_check_references(k, flags, pfn, referenced_ns)
      if (references === FOLIOREF_ACTIVATE) outcome = ACTIVATE_LOCKED
      else if (references === FOLIOREF_KEEP) {
        stat.nr_ref_keep++
        outcome = KEEP_LOCKED
      }
    }
    if (outcome !== FREE_IT) {
      // Kept or activated before any rmap work, as most scanned folios are: no mapping lookup.
      keep_locked(k, pfn, outcome, file, stat, ret)
      continue
    }
    const m = k.mappings[pmapping[pfn]]
    const idx = p.index[pfn]
    let slot = -1
    let slot_added = false
    if (!file && (flags[pfn] & PG_swapcache) === 0) {
      // add_to_swap(), which a reclaim that may not start IO (GFP_NOIO) skips.
      if (!sc.may_swap || !io) outcome = KEEP_LOCKED
      else {
        slot = k.swap ? k.swap.get_swap_page() : -1
        if (slot < 0) outcome = ACTIVATE_LOCKED
        else {
          slot_added = true
          k.acc += c.add_to_swap_ns
          k.swap!.swapcache[slot] = pfn
          flags[pfn] |= PG_swapcache | PG_dirty
          if (m.pte[idx] === pfn && (flags[pfn] & PG_mapped) === 0) {
            // An unmapped swap-backed folio (shmem): its page-cache slot takes the swap entry
            // with the swap cache, as shmem_writepage() does, so the folio is found by its swap
            // entry from now on, also when this pass keeps it unwritten.
            m.pte[idx] = swp_entry(slot)
            m.nr_resident--
            m.nr_swap++
          }
        }
      }
    } else if (!file && (flags[pfn] & PG_swapcache) !== 0) {
      slot = -m.pte[idx] - 2
    }
    if (outcome === FREE_IT && (flags[pfn] & PG_mapped) !== 0 && !file) {
      // try_to_unmap(): the PTE now holds the swap entry.
      if (!sc.may_unmap) outcome = KEEP_LOCKED
      else {
        k.acc += c.try_to_unmap_ns
        // Inside the lock at its cond_resched(): the walk's lookup, after add_to_swap() (from
        // folio_alloc_swap()'s mutex, a preemption point outside it).
        if (m.anon_vma !== null)
          anon_vma_ns += c.try_to_unmap_ns * RMAP_LOOKUP_SHARE + (slot_added ? c.add_to_swap_ns : 0)
        m.pte[idx] = swp_entry(slot)
        m.nr_resident--
        m.nr_swap++
        flags[pfn] &= ~(PG_mapped | PTE_young)
        // The folio is dirty (add_to_swap()): try_to_unmap_flush_dirty() before pageout().
        if (m.pid >= 0) flush_tlb_remote(k, t, m.pid)
      }
    }
    if (outcome === FREE_IT && (flags[pfn] & PG_dirty) !== 0) {
      f = flags[pfn]
      if (file && (!kswapd || (f & PG_reclaim) === 0 || (pgdat.flags & PGDAT_DIRTY) === 0)) {
        // Only kswapd writes file folios, and only on a node flagged PGDAT_DIRTY.
        v.nr_vmscan_immediate_reclaim++
        flags[pfn] = f | PG_reclaim
        outcome = ACTIVATE_LOCKED
      } else if (references === FOLIOREF_RECLAIM_CLEAN || !sc.may_writepage || !io) {
        // !io: may_enter_fs() refuses swap writes without __GFP_IO.
        outcome = KEEP_LOCKED
      } else {
        const r = pageout(k, t, pfn, slot)
        if (r === PAGE_ACTIVATE) outcome = ACTIVATE_LOCKED
        else if (r === PAGE_KEEP) outcome = KEEP_LOCKED
        else {
          stat.nr_pageout++
          // Under writeback (v1), dirty, or still locked by kcompressd (v2: trylock fails): keep.
          if ((flags[pfn] & (PG_writeback | PG_dirty | PG_locked)) !== 0) outcome = KEEP_LOCKED
        }
      }
    }
    if (outcome === FREE_IT) {
      // __remove_mapping(): leave a shadow entry, drop from the swap/page cache.
      k.acc += c.remove_mapping_ns
      const shadow = workingset_eviction(k, pfn)
      if (file) {
        m.shadow![idx] = shadow
        m.pte[idx] = -1
        m.nr_resident--
      } else {
        const si = k.swap!
        si.shadow[slot] = shadow
        si.swapcache[slot] = -1
        flags[pfn] &= ~PG_swapcache
      }
      pmapping[pfn] = -1
      free.push(pfn)
      nr_reclaimed++
      continue
    }
    keep_locked(k, pfn, outcome, file, stat, ret)
  }
  if (anon_vma !== null && k.acc > 0) {
    // The pass's CPU burst, which the caller yields next (k.acc), takes this lock folio by folio
    // (the caller clears t.read_sem after the burst). Under PREEMPT_VOLUNTARY a switch-out takes
    // effect at the next preemption point, so the share inside the lock is the work that ends at a
    // walk's cond_resched(): per folio, folio_referenced()'s lookup (from the loop's
    // cond_resched()), and add_to_swap() with try_to_unmap()'s lookup (from folio_alloc_swap()'s
    // mutex_lock()).
    t.read_sem = anon_vma
    t.read_sem_units = n
    t.read_sem_share = anon_vma_ns / k.acc
  }
  return nr_reclaimed
}

/** shrink_folio_list()'s activate_locked and keep_locked: a survivor, activated or not. */
function keep_locked(
  k: Kernel,
  pfn: number,
  outcome: number,
  file: number,
  stat: reclaim_stat,
  ret: FolioList
): void {
  if (outcome === ACTIVATE_LOCKED) {
    k.pages.flags[pfn] |= PG_active
    stat.nr_activate[file]++
    k.vmstat.pgactivate++
  }
  ret.push(pfn)
}
