import { describe, expect, it } from 'vitest'
import { Folios, runAs, smallKernel } from '../helpers'
import { get_page_from_freelist } from '../../../src/sim/mm/page_alloc'
import { free_page } from '../../../src/sim/mm/mm_inline'
import {
  alloc_unmovable_page,
  drain_all_pages,
  free_pcp_kernel_page,
  nr_pcp_pages
} from '../../../src/sim/mm/pcp'
import { shrink_inactive_list } from '../../../src/sim/mm/vmscan'
import { new_scan_control } from '../../../src/sim/mm/scan_control'
import {
  LRU_INACTIVE_ANON,
  PG_dirty,
  PG_swapbacked,
  WMARK_LOW,
  WMARK_MIN
} from '../../../src/sim/mm/types'
import { cpu } from '../../../src/sim/cpu/thread'

/*
 * Per-CPU page lists (mm/page_alloc.c, Linux 6.12). smallKernel(): 64 MiB, 2 CPUs, one zone of
 * 16,384 pages; zone_batchsize() = 3, so high_min = max(low / 2, 4 × 3) and high_max = 16,384 / 8 / 2.
 */
describe('per-CPU page lists', () => {
  it('the pageset sizes follow zone_set_pageset_high_and_batch()', () => {
    const k = smallKernel()
    const z = k.pgdats[0].zone
    expect(z.batch).toBe(3)
    expect(z.pcp).toHaveLength(2)
    expect(z.pcp[0].high_min).toBe(Math.max(Math.floor(z.low_wmark_pages() / 2), 12))
    expect(z.pcp[0].high_max).toBe(1024)
  })

  it('refills double while nothing is freed in between (alloc_factor), up to 32 batches', () => {
    const k = smallKernel()
    const z = k.pgdats[0].zone
    const taken: number[] = []
    runAs(k, 'app', function* () {
      let before = z.free
      for (let i = 0; i < 64; i++) {
        expect(get_page_from_freelist(k, 0, 1, WMARK_LOW)).toBe(1)
        if (z.free !== before) taken.push(before - z.free)
        before = z.free
      }
      yield cpu(1)
    })
    // batch 3 << alloc_factor: 3, 6, 12, 24, 48 … the zone gives a batch at a time.
    expect(taken.slice(0, 5)).toEqual([3, 6, 12, 24, 48])
  })

  it('a refill takes the zone below the watermark its one-page check passed', () => {
    const k = smallKernel()
    const z = k.pgdats[0].zone
    const min = z.min_wmark_pages()
    let lowest = Infinity
    runAs(k, 'app', function* () {
      // Allocate page by page at the min watermark until the zone refuses.
      for (;;) {
        if (get_page_from_freelist(k, 0, 1, WMARK_MIN) === 0) break
        lowest = Math.min(lowest, z.free)
      }
      yield cpu(1)
    })
    // The last refill passed `free > min` and then took up to 96 pages at once.
    expect(lowest).toBeLessThan(min)
    expect(nr_pcp_pages(z)).toBeGreaterThan(0)
  })

  it('pages freed on one CPU are not free to the zone until drained (drain_all_pages())', () => {
    const k = smallKernel()
    const z = k.pgdats[0].zone
    const pfns: number[] = []
    for (let i = 0; i < 8; i++) pfns.push(z.alloc_page())
    const free0 = z.free
    runAs(k, 'app', function* () {
      for (const pfn of pfns) free_page(k, pfn)
      yield cpu(1)
    })
    expect(z.free).toBe(free0)
    expect(nr_pcp_pages(z)).toBe(8)
    drain_all_pages(z)
    expect(z.free).toBe(free0 + 8)
    expect(nr_pcp_pages(z)).toBe(0)
  })

  it('while kswapd reclaims the zone (ZONE_RECLAIM_ACTIVE) a list keeps at most four batches', () => {
    const k = smallKernel()
    const z = k.pgdats[0].zone
    z.reclaim_active = true
    const pfns: number[] = []
    for (let i = 0; i < 200; i++) pfns.push(z.alloc_page())
    runAs(k, 'app', function* () {
      for (const pfn of pfns) free_page(k, pfn)
      yield cpu(1)
    })
    expect(nr_pcp_pages(z)).toBeLessThan(4 * z.batch)
  })

  it("page tables and slab come from the CPU's Unmovable list, refilled in batches as the Movable one is", () => {
    const k = smallKernel()
    const z = k.pgdats[0].zone
    const pts: number[] = []
    const refills: number[] = []
    runAs(k, 'app', function* (t) {
      let before = z.free
      for (let i = 0; i < 20; i++) {
        pts.push(alloc_unmovable_page(k, z))
        if (z.free !== before) refills.push(before - z.free)
        before = z.free
      }
      // pcp->count counts both lists: a page table freed joins the Unmovable list.
      const pcp = z.pcp[t.cpu]
      expect([pcp.count, pcp.nr_unmovable]).toEqual([0, 1])
      free_pcp_kernel_page(k, z, pts[0])
      expect(pcp.nr_unmovable).toBe(2)
      // Past the high mark (four batches while kswapd reclaims), free_pcppages_bulk() drains the
      // list of the page freed first: Movable frees leave the Unmovable list alone.
      z.reclaim_active = true
      for (let i = 0; i < 40; i++) free_page(k, z.alloc_page())
      expect(pcp.count + pcp.nr_unmovable).toBeLessThanOrEqual(4 * z.batch)
      expect(pcp.nr_unmovable).toBe(2)
      yield cpu(1)
    })
    // smallKernel's boot leaves no Unmovable frame: the first refill claims an order-10 chunk.
    expect([z.nr_unmovable_fallbacks, z.nr_unmovable_steals]).toEqual([1, 0])
    expect(refills).toEqual([3, 6, 12])
    const free0 = z.free
    const on_lists = nr_pcp_pages(z)
    drain_all_pages(z)
    expect([z.free - free0, nr_pcp_pages(z)]).toEqual([on_lists, 0])
  })

  it('reclaim frees onto the reclaiming CPU: kswapd on one CPU, an allocator on the other', () => {
    const k = smallKernel()
    const f = new Folios(k)
    for (let i = 0; i < 4; i++) f.add(`A${i}`, PG_swapbacked | PG_dirty)
    const z = k.pgdats[0].zone
    runAs(k, 'kswapd', function* (t) {
      yield* shrink_inactive_list(
        k,
        t,
        4,
        k.pgdats[0],
        new_scan_control(1, 2, 32),
        LRU_INACTIVE_ANON
      )
    })
    const kswapd = k.sched.threads.find((t) => t.name === 'test-kswapd')!
    expect(z.pcp[kswapd.cpu].count).toBeGreaterThanOrEqual(4 - k.pgdats[0].nr_pool_pages)
    expect(z.pcp[1 - kswapd.cpu].count).toBe(0)
  })
})
