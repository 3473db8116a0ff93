import type { Kernel } from '../kernel'
import type { Zone } from './mmzone'

/*
 * Per-CPU page lists (mm/page_alloc.c, Linux 6.12): order-0 pages are allocated from and freed to
 * the current CPU's list of each zone, which moves pages to and from the zone in batches. Pages on
 * these lists are not in NR_FREE_PAGES, so the watermark checks do not see them: a refill can take
 * a zone well below a watermark after one check passed, and pages freed on one CPU cannot be
 * allocated on another until they are drained.
 */

/** CONFIG_PCP_BATCH_SCALE_MAX */
const PCP_BATCH_SCALE_MAX = 5
/** MIN_PERCPU_PAGELIST_HIGH_FRACTION */
const MIN_PERCPU_PAGELIST_HIGH_FRACTION = 8

/**
 * struct per_cpu_pages for one zone on one CPU: its Movable and Unmovable order-0 lists (the model
 * has no other migratetype or order). pcp->count is `count + nr_unmovable`.
 */
export class PerCpuPages {
  /** The Movable list, as a stack: the most recently freed page is allocated first. */
  readonly pfns: Int32Array
  count = 0
  /** The Unmovable list (page tables, slab), as a stack. */
  readonly unmovable: Int32Array
  nr_unmovable = 0
  high: number
  alloc_factor = 0
  free_count = 0

  constructor(
    readonly batch: number,
    readonly high_min: number,
    readonly high_max: number
  ) {
    this.high = high_min
    this.pfns = new Int32Array(high_max + 1)
    this.unmovable = new Int32Array(high_max + 1)
  }
}

/**
 * zone_set_pageset_high_and_batch(): high_min splits the low watermark across the node's CPUs
 * (zone_highsize() without a high fraction), high_max an eighth of the zone; both at least 4
 * batches.
 */
export function setup_pagesets(z: Zone, ncpus: number, cpus_per_node: number): void {
  const batch = Math.max(1, z.batch)
  const split = Math.max(1, cpus_per_node)
  const high_min = Math.max(Math.floor(z.low_wmark_pages() / split), batch << 2)
  const high_max = Math.max(
    Math.floor(z.managed_pages / MIN_PERCPU_PAGELIST_HIGH_FRACTION / split),
    batch << 2
  )
  z.pcp = Array.from({ length: ncpus }, () => new PerCpuPages(batch, high_min, high_max))
}

/** The CPU of the thread whose code is running (-1 outside any thread: an IO completion). */
export function this_cpu(k: Kernel): number {
  const t = k.sched.current
  return t ? t.cpu : -1
}

/**
 * nr_pcp_alloc(): how many pages a refill takes: batch << alloc_factor, the factor doubling with
 * each refill that no free came between (up to PCP_BATCH_SCALE_MAX), within pcp->high, which
 * grows by a batch per refill while the zone is above its high watermark.
 */
function nr_pcp_alloc(pcp: PerCpuPages, z: Zone): number {
  const base_batch = pcp.batch
  let high = (pcp.high = Math.min(Math.max(pcp.high, pcp.high_min), pcp.high_max))
  let batch = base_batch << pcp.alloc_factor
  if (pcp.high_min !== pcp.high_max && !z.below_high)
    high = pcp.high = Math.min(high + batch, pcp.high_max)
  const max_nr_alloc = Math.max(high - pcp.count - pcp.nr_unmovable - base_batch, base_batch)
  if (batch <= max_nr_alloc && pcp.alloc_factor < PCP_BATCH_SCALE_MAX) pcp.alloc_factor++
  batch = Math.min(batch, max_nr_alloc)
  return batch
}

/**
 * rmqueue_pcplist(): one page from the CPU's list, refilled from the zone (rmqueue_bulk(), no
 * watermark check) when empty. -1 when the zone has nothing either.
 */
export function rmqueue_pcplist(z: Zone, pcp: PerCpuPages): number {
  pcp.free_count >>= 1
  if (pcp.count === 0) {
    const n = Math.min(nr_pcp_alloc(pcp, z), z.free)
    pcp.count = z.rmqueue_bulk(pcp.pfns, 0, n)
    if (pcp.count === 0) return -1
  }
  return pcp.pfns[--pcp.count]
}

/**
 * rmqueue_pcplist(MIGRATE_UNMOVABLE): a page table's or slab's frame from the CPU's Unmovable
 * list, refilled by rmqueue_bulk() (Zone.rmqueue_bulk_unmovable()): when the Unmovable pageblocks
 * have no free frame left, one refill falls back into Movable memory for every frame it takes.
 * -1 when the zone has nothing either.
 */
export function rmqueue_pcplist_unmovable(z: Zone, pcp: PerCpuPages): number {
  pcp.free_count >>= 1
  if (pcp.nr_unmovable === 0) {
    const n = Math.min(nr_pcp_alloc(pcp, z), z.free)
    pcp.nr_unmovable = z.rmqueue_bulk_unmovable(pcp.unmovable, 0, n)
    if (pcp.nr_unmovable === 0) return -1
  }
  return pcp.unmovable[--pcp.nr_unmovable]
}

/**
 * A page table's or slab's frame: from the current CPU's Unmovable list, or from the zone when no
 * thread is running the code. -1 when there is none.
 */
export function alloc_unmovable_page(k: Kernel, z: Zone): number {
  const cpu = this_cpu(k)
  if (cpu >= 0) return rmqueue_pcplist_unmovable(z, z.pcp[cpu])
  return z.free > 0 ? z.alloc_unmovable() : -1
}

/**
 * rmqueue_pcplist() called until `nr` pages are in `buf` from `at` on or the zone's NR_FREE_PAGES
 * is no longer above `mark` (get_page_from_freelist()'s per-page watermark check, which only a
 * refill can change). Returns the new end of `buf`.
 */
export function rmqueue_pcplist_bulk(
  z: Zone,
  pcp: PerCpuPages,
  mark: number,
  buf: Int32Array,
  at: number,
  nr: number
): number {
  const pfns = pcp.pfns
  while (at < nr && z.free > mark) {
    if (pcp.count === 0) {
      // A refilling call: the refill may take the zone below the mark for the next call.
      pcp.free_count >>= 1
      const n = Math.min(nr_pcp_alloc(pcp, z), z.free)
      pcp.count = z.rmqueue_bulk(pfns, 0, n)
      if (pcp.count === 0) return at
      buf[at++] = pfns[--pcp.count]
      continue
    }
    // Calls the list serves without a refill (each halves free_count).
    const take = Math.min(nr - at, pcp.count)
    pcp.free_count = take > 30 ? 0 : pcp.free_count >> take
    let count = pcp.count
    for (let i = 0; i < take; i++) buf[at++] = pfns[--count]
    pcp.count = count
  }
  return at
}

/**
 * free_unref_page_commit() for each of the `n` pages of `src` from `from` on, in turn, as free_unref_folios() does for
 * a folio batch: onto the CPU's list, whose limit nr_pcp_high() recomputes every time; past it,
 * free_pcppages_bulk() returns nr_pcp_free() pages to the zone.
 * nr_pcp_high(): while kswapd reclaims the zone (ZONE_RECLAIM_ACTIVE) the list keeps at most 4
 * batches; below the high watermark (ZONE_BELOW_HIGH) pcp->high shrinks towards high_min;
 * otherwise it grows to hold a batch of frees. nr_pcp_free(): the consecutive frees, leaving at
 * least a batch; free_pcppages_bulk() takes them from the Movable list first, then the Unmovable.
 * Simplified: a frame of an Unmovable pageblock goes back to the zone at once, not onto the CPU's
 * Unmovable list.
 */
export function free_unref_pages(
  z: Zone,
  pcp: PerCpuPages,
  src: Int32Array,
  n: number,
  from = 0
): void {
  const batch = pcp.batch
  const high_min = pcp.high_min
  const high_max = pcp.high_max
  const list = pcp.pfns
  const free_count_max = batch << PCP_BATCH_SCALE_MAX
  let nr_unmovable = pcp.nr_unmovable
  let count = pcp.count
  let free_count = pcp.free_count
  let pcp_high = pcp.high
  for (let i = from; i < from + n; i++) {
    const pfn = src[i]
    if (z.is_unmovable(pfn)) {
      z.free_page(pfn)
      continue
    }
    list[count++] = pfn
    if (free_count < free_count_max) free_count++
    // nr_pcp_high()
    let high = (pcp_high = Math.min(Math.max(pcp_high, high_min), high_max))
    if (z.reclaim_active) {
      pcp_high = Math.max(high - Math.max(free_count, batch), high_min)
      high = Math.min(batch << 2, pcp_high)
    } else if (high_min !== high_max) {
      if (z.below_high) {
        pcp_high = Math.max(high - Math.max(free_count, batch), high_min)
        high = Math.max(count + nr_unmovable, high_min)
      } else if (count + nr_unmovable >= high && pcp_high < free_count + batch) {
        pcp_high = Math.min(Math.max(free_count + batch, high_min), high_max)
      }
    }
    if (count + nr_unmovable >= high) {
      // nr_pcp_free(), free_pcppages_bulk()
      const nr = nr_pcp_free(high, batch, free_count)
      if (nr > count) {
        pcp.count = count
        free_pcppages_bulk(z, pcp, nr, false)
        count = 0
        nr_unmovable = pcp.nr_unmovable
      } else {
        z.free_list_top(list, count - nr, count)
        count -= nr
      }
      if (z.below_high && z.free > z.high_wmark_pages()) z.below_high = false
    }
  }
  pcp.count = count
  pcp.free_count = free_count
  pcp.high = pcp_high
  // Each free halves alloc_factor.
  pcp.alloc_factor = n > 30 ? 0 : pcp.alloc_factor >> n
}

/**
 * free_pcppages_bulk(): n pages back to the zone, from the list of the page that was freed first
 * (the Unmovable one when `unmovable_first`) and then the other.
 */
function free_pcppages_bulk(z: Zone, pcp: PerCpuPages, n: number, unmovable_first: boolean): void {
  if (unmovable_first)
    for (; n > 0 && pcp.nr_unmovable > 0; n--) z.free_kernel_page(pcp.unmovable[--pcp.nr_unmovable])
  const movable = Math.max(0, Math.min(n, pcp.count))
  z.free_list_top(pcp.pfns, pcp.count - movable, pcp.count)
  pcp.count -= movable
  n -= movable
  for (; n > 0 && pcp.nr_unmovable > 0; n--) z.free_kernel_page(pcp.unmovable[--pcp.nr_unmovable])
}

const ONE = new Int32Array(1)

/** free_unref_page(): one page onto the CPU's list. */
export function free_unref_page(z: Zone, pcp: PerCpuPages, pfn: number): void {
  ONE[0] = pfn
  free_unref_pages(z, pcp, ONE, 1)
}

/**
 * A freed page goes onto the current CPU's list (free_unref_page()), or straight to the zone when
 * no thread is running the code (an IO completion).
 */
export function free_pcp_page(k: Kernel, z: Zone, pfn: number): void {
  const cpu = this_cpu(k)
  if (cpu >= 0) free_unref_page(z, z.pcp[cpu], pfn)
  else z.free_page(pfn)
}

/** free_pcp_page() for the `n` pages of `pfns` from `from` on, as one folio batch. */
export function free_pcp_pages(k: Kernel, z: Zone, pfns: Int32Array, n: number, from = 0): void {
  const cpu = this_cpu(k)
  if (cpu >= 0) free_unref_pages(z, z.pcp[cpu], pfns, n, from)
  else for (let i = from; i < from + n; i++) z.free_page(pfns[i])
}

/**
 * A page table's or slab's frame comes free on the current CPU (free_unref_page()): onto the CPU's
 * Unmovable list if its pageblock is Unmovable, else onto the Movable one (a frame an Unmovable
 * allocation stole); to the zone when no thread is running the code.
 */
export function free_pcp_kernel_page(k: Kernel, z: Zone, pfn: number): void {
  const cpu = this_cpu(k)
  if (cpu < 0) return z.free_kernel_page(pfn)
  const pcp = z.pcp[cpu]
  if (!z.is_unmovable(pfn)) return free_unref_page(z, pcp, pfn)
  pcp.unmovable[pcp.nr_unmovable++] = pfn
  if (pcp.free_count < pcp.batch << PCP_BATCH_SCALE_MAX) pcp.free_count++
  const high = nr_pcp_high(pcp, z)
  if (pcp.count + pcp.nr_unmovable >= high) {
    free_pcppages_bulk(z, pcp, nr_pcp_free(high, pcp.batch, pcp.free_count), true)
  }
  pcp.alloc_factor >>= 1
}

/** nr_pcp_free(): the pages a free past the high mark returns, leaving at least a batch. */
function nr_pcp_free(high: number, batch: number, free_count: number): number {
  return high < batch ? 1 : Math.min(Math.max(free_count, batch), high - batch)
}

/** nr_pcp_high() for one free (free_unref_pages() keeps its own copy in its loop). */
function nr_pcp_high(pcp: PerCpuPages, z: Zone): number {
  const batch = pcp.batch
  const count = pcp.count + pcp.nr_unmovable
  let high = (pcp.high = Math.min(Math.max(pcp.high, pcp.high_min), pcp.high_max))
  if (z.reclaim_active) {
    pcp.high = Math.max(high - Math.max(pcp.free_count, batch), pcp.high_min)
    return Math.min(batch << 2, pcp.high)
  }
  if (pcp.high_min === pcp.high_max) return high
  if (z.below_high) {
    pcp.high = Math.max(high - Math.max(pcp.free_count, batch), pcp.high_min)
    high = Math.max(count, pcp.high_min)
  } else if (count >= high && pcp.high < pcp.free_count + batch) {
    pcp.high = Math.min(Math.max(pcp.free_count + batch, pcp.high_min), pcp.high_max)
  }
  return high
}

/** drain_all_pages(): every CPU's lists back to the zone. */
export function drain_all_pages(z: Zone): void {
  for (const pcp of z.pcp) free_pcppages_bulk(z, pcp, pcp.count + pcp.nr_unmovable, true)
}

/**
 * decay_pcp_high(), from vmstat_update() every second: pcp->high loses an eighth (not below
 * high_min) and the pages above it go back to the zone.
 */
export function decay_pcp_high(z: Zone): void {
  for (const pcp of z.pcp) {
    if (pcp.high > pcp.high_min)
      pcp.high = Math.max(
        pcp.count + pcp.nr_unmovable - (pcp.batch << PCP_BATCH_SCALE_MAX),
        pcp.high - (pcp.high >> 3),
        pcp.high_min
      )
    const to_drain = pcp.count + pcp.nr_unmovable - pcp.high
    if (to_drain > 0) free_pcppages_bulk(z, pcp, to_drain, true)
  }
}

/** Pages on the zone's per-CPU lists (free, but not in NR_FREE_PAGES). */
export function nr_pcp_pages(z: Zone): number {
  let n = 0
  for (const pcp of z.pcp) n += pcp.count + pcp.nr_unmovable
  return n
}
