import { describe, expect, it } from 'vitest'
import type { Kernel } from '../../../src/sim/kernel'
import { Folios, smallKernel } from '../helpers'
import { MIGRATE_MOVABLE, MIGRATE_UNMOVABLE, Zone } from '../../../src/sim/mm/mmzone'
import { wakeup_kswapd } from '../../../src/sim/mm/kswapd'
import { get_page_from_freelist } from '../../../src/sim/mm/page_alloc'
import { PG_mapped, PG_swapbacked, WMARK_LOW } from '../../../src/sim/mm/types'
import { applySets, resolvePreset, runSimulationSync } from '../../../src/sim'

/** A zone of eight pageblocks with the twin guest's watermarks (min 706, low 882, high 1058). */
function twinZone(nr_kernel: number, free_chunks: number[]): Zone {
  const z = new Zone(8 * 512, 0)
  z._watermark = [706, 882, 1058]
  z.boot_layout(nr_kernel, free_chunks)
  return z
}

/** Takes every frame of the Movable pageblocks. */
function drainMovable(z: Zone): void {
  while (z.free > z.nr_free_unmovable) expect(z.is_unmovable(z.alloc_page())).toBe(false)
}

/* mm/page_alloc.c (6.12): __rmqueue_claim(), try_to_steal_block(), __rmqueue_steal(), boost_watermark(). */
describe('pageblocks and watermark boosts', () => {
  it('boot_layout(): the kernel and the free chunks fill the bottom pageblocks, largest chunk on top', () => {
    // 700 kernel pages, a free block (order 9), an order-7 and an order-1 chunk: 642 free pages.
    const z = twinZone(700, [0, 1, 0, 0, 0, 0, 0, 1, 0, 1])
    expect([...z.pageblock_mt]).toEqual([1, 1, 0, 0, 0, 0, 0, 0])
    // 382 kernel pages fill the rest of the two blocks, 318 spill into block 2.
    expect([z.nr_free_unmovable, z.free]).toEqual([642, 4096 - 700])
    expect(() => twinZone(0, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5])).toThrow(
      /need 10 pageblocks; the zone has 8/
    )
    expect(() => twinZone(3000, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2])).toThrow(/need 9 pageblocks/)
  })

  it('a wholly free pageblock is claimed without a boost', () => {
    const z = twinZone(700, [0, 1, 0, 0, 0, 0, 0, 1, 0, 1])
    drainMovable(z)
    const pfn = z.alloc_page()
    expect([pfn >> 9, z.pageblock_mt[1], z.watermark_boost, z.boosted_watermark]).toEqual([
      1,
      0,
      0,
      false
    ])
    // Its other 511 frames serve the next Movable allocations.
    for (let i = 0; i < 511; i++) expect(z.alloc_page() >> 9).toBe(1)
    expect(z.nr_free_unmovable).toBe(130)
  })

  it('a smaller chunk boosts by a pageblock per try; under half a block free, one frame of the smallest chunk is stolen', () => {
    const z = twinZone(700, [0, 1, 0, 0, 0, 0, 0, 1])
    drainMovable(z)
    // Block 0 (blocks 1 and 0 from the top): the order-7 chunk at frames 256–383 with a kernel-held
    // buddy above it, the order-1 chunk at 252–253.
    const stolen = z.alloc_page()
    expect([stolen, z.watermark_boost, z.boosted_watermark]).toEqual([252, 512, true])
    expect(z.pageblock_mt[0]).toBe(MIGRATE_UNMOVABLE)
    z.alloc_page()
    // The order-1 chunk is gone; the next tries split the order-7 chunk from its lowest frame.
    expect([z.alloc_page(), z.watermark_boost]).toEqual([256, 1536])
    // Capped at watermark_boost_factor (150%) of the high watermark: 1,587 pages.
    z.alloc_page()
    expect(z.watermark_boost).toBe(1587)
    // A frame freed goes back to its block's free list: Unmovable here.
    z.free_page(stolen)
    expect(z.nr_free_unmovable).toBe(130 - 4 + 1)
  })

  it('a chunk of a block at least half free (or in Movable use) claims the block', () => {
    const z = twinZone(700, [0, 0, 0, 0, 0, 0, 0, 0, 1])
    drainMovable(z)
    const pfn = z.alloc_page()
    expect([pfn >> 9, z.pageblock_mt[0], z.watermark_boost]).toEqual([0, MIGRATE_MOVABLE, 512])
    expect(z.nr_free_unmovable).toBe(0)
  })

  it('no boost with watermark_boost_factor 0 or on a zone under four pageblocks', () => {
    const off = twinZone(700, [0, 0, 0, 0, 0, 0, 0, 1])
    off.watermark_boost_factor = 0
    while (off.free > 0) off.alloc_page()
    expect([off.watermark_boost, off.boosted_watermark]).toEqual([0, false])
    const small = new Zone(3 * 512, 0)
    small._watermark = [100, 125, 150]
    small.boot_layout(400, [0, 0, 0, 0, 0, 0, 0, 1])
    while (small.free > 0) small.alloc_page()
    expect(small.watermark_boost).toBe(0)
  })
})

describe('Unmovable allocations: page tables and slab (Zone.alloc_unmovable())', () => {
  it('__rmqueue_smallest(): the smallest Unmovable chunk first, a larger one split from its lowest frame', () => {
    // Block 0: the order-1 chunk at 252–253, the order-7 chunk at 256–383.
    const z = twinZone(700, [0, 1, 0, 0, 0, 0, 0, 1])
    const free0 = z.free
    expect([z.alloc_unmovable(), z.alloc_unmovable(), z.alloc_unmovable()]).toEqual([252, 253, 256])
    expect([z.free, z.nr_free_unmovable, z.watermark_boost]).toEqual([free0 - 3, 130 - 3, 0])
    expect(z.nr_unmovable_fallbacks).toBe(0)
    // A page table freed goes back to its block's free list.
    z.free_kernel_page(253)
    expect(z.nr_free_unmovable).toBe(128)
  })

  it('with no Unmovable frame, the highest free order-10 chunk of never-allocated frames changes owner, without a boost', () => {
    // 700 kernel pages: block 0 is the kernel's, 188 pages spill into block 1.
    const z = twinZone(700, [])
    expect(z.nr_free_unmovable).toBe(0)
    // Blocks 6 and 7 (frames 3072–4095) turn Unmovable; the page table takes the lowest frame.
    expect(z.alloc_unmovable()).toBe(3072)
    expect([...z.pageblock_mt]).toEqual([1, 0, 0, 0, 0, 0, 1, 1])
    expect([z.nr_free_unmovable, z.watermark_boost, z.nr_unmovable_fallbacks]).toEqual([1023, 0, 1])
    expect(z.is_unmovable(4095)).toBe(true)
    expect(z.is_unmovable(3071)).toBe(false)
  })

  it("Movable allocations claim the wholly free block back without a boost, then the page tables' block with one", () => {
    // As in the twin guest: order 9 (no boost), then the rest of the page tables' block (a boost).
    const z = twinZone(700, [])
    for (let i = 0; i < 3; i++) z.alloc_unmovable()
    drainMovable(z)
    const pfn = z.alloc_page()
    expect([pfn >> 9, z.pageblock_mt[7], z.watermark_boost]).toEqual([7, 0, 0])
    for (let i = 0; i < 511; i++) z.alloc_page()
    // Block 6 holds the three page tables: its largest chunk is order 8 (frames 3328–3583).
    z.alloc_page()
    expect([z.pageblock_mt[6], z.watermark_boost, z.boosted_watermark]).toEqual([0, 512, true])
  })

  it('past the never-allocated frames, a fallback boosts and claims the Movable block with the most free frames if half of it is free, else steals a frame', () => {
    const z = twinZone(700, [])
    // Take every Movable frame, then free 300 of block 3 and 10 of block 4.
    const taken: number[] = []
    while (z.free > 0) taken.push(z.alloc_page())
    for (const pfn of taken.filter((p) => p >> 9 === 3).slice(0, 300)) z.free_page(pfn)
    for (const pfn of taken.filter((p) => p >> 9 === 4).slice(0, 10)) z.free_page(pfn)
    const pt = z.alloc_unmovable()
    expect([pt >> 9, z.pageblock_mt[3], z.watermark_boost]).toEqual([3, 1, 512])
    expect(z.nr_free_unmovable).toBe(299)
    // Block 3's frames are no longer Movable: the next Movable allocation takes block 4's.
    expect(z.alloc_page() >> 9).toBe(4)
    // Block 4 has 9 free frames left, under half: a boost and a stolen frame, the block stays Movable.
    for (let i = 0; i < 299; i++) z.alloc_unmovable()
    const stolen = z.alloc_unmovable()
    expect([stolen >> 9, z.pageblock_mt[4], z.watermark_boost]).toEqual([4, 0, 1024])
    // Freed, a stolen frame returns to its block's (Movable) list.
    z.free_kernel_page(stolen)
    expect(z.alloc_page()).toBe(stolen)
  })
})

describe('rmqueue_bulk(): one zone lock for a per-CPU refill (enum rmqueue_mode)', () => {
  it('once a Movable refill has stolen, its other frames are stolen without claim tries or boosts', () => {
    // Block 0's order-7 and order-1 chunks: the first call's claim try boosts and fails (under
    // half the block free), then it steals; the next three only steal.
    const z = twinZone(700, [0, 1, 0, 0, 0, 0, 0, 1])
    drainMovable(z)
    const buf = new Int32Array(4)
    expect(z.rmqueue_bulk(buf, 0, 4)).toBe(4)
    expect([...buf, z.watermark_boost, z.nr_boosts]).toEqual([252, 253, 256, 257, 512, 1])
    // Called one at a time, each call tries to claim again: a boost per try (the fourth call
    // finds the split order-7 chunk's pieces of orders 6, 5 and 4: three tries).
    const one = twinZone(700, [0, 1, 0, 0, 0, 0, 0, 1])
    drainMovable(one)
    for (let i = 0; i < 4; i++) one.alloc_page()
    expect([one.watermark_boost, one.nr_boosts]).toEqual([1587, 6])
  })

  it('an Unmovable refill with no block to claim steals a frame for each page: one burst', () => {
    const z = twinZone(700, [])
    const taken: number[] = []
    while (z.free > 0) taken.push(z.alloc_page())
    // Ten free frames in block 4, none elsewhere: no block is half free.
    for (const pfn of taken.filter((p) => p >> 9 === 4).slice(0, 10)) z.free_page(pfn)
    const boosts0 = z.nr_boosts
    const buf = new Int32Array(8)
    expect(z.rmqueue_bulk_unmovable(buf, 0, 8)).toBe(8)
    expect([...buf].every((pfn) => pfn >> 9 === 4)).toBe(true)
    expect([z.nr_unmovable_fallbacks, z.nr_unmovable_steals, z.nr_boosts - boosts0]).toEqual([
      8, 8, 1
    ])
    expect(z.pageblock_mt[4]).toBe(MIGRATE_MOVABLE)
  })
})

describe('kswapd and a boosted zone (mm/vmscan.c)', () => {
  /**
   * A 64 MiB node, balanced, with anon and clean file pages on the LRU and kswapd asleep: 12,000
   * file pages, so that DEF_PRIORITY scans some (lru_size >> 12).
   */
  function balancedNode() {
    const k = smallKernel()
    const f = new Folios(k)
    for (let i = 0; i < 1000; i++) f.add(`A${i}`, PG_swapbacked | PG_mapped)
    for (let i = 0; i < 12000; i++) f.add(`F${i}`, 0, true)
    k.env.run(1e6)
    return k
  }

  it('wakeup_kswapd() leaves a balanced node alone unless its watermarks are boosted', () => {
    const k = balancedNode()
    const pg = k.pgdats[0]
    wakeup_kswapd(k, pg)
    k.env.run(2e6)
    expect(k.vmstat.pageoutrun).toBe(0)
    pg.zone.watermark_boost = 512
    wakeup_kswapd(k, pg)
    k.env.run(1e9)
    expect(k.vmstat.pageoutrun).toBe(1)
  })

  it('balance_pgdat() reclaims the boost without swapping, then takes the boost off', () => {
    const k = balancedNode()
    const z = k.pgdats[0].zone
    z.watermark_boost = 512
    wakeup_kswapd(k, k.pgdats[0])
    k.env.run(1e9)
    expect(z.watermark_boost).toBe(0)
    // Clean file pages only, until the 512 pages of the boost are reclaimed.
    expect(k.vmstat.pswpout).toBe(0)
    expect(k.vmstat.pgsteal_file).toBeGreaterThanOrEqual(512)
    expect(k.vmstat.pgsteal_file).toBeLessThanOrEqual(512 + 32)
    expect(k.vmstat.pgsteal_anon).toBe(0)
  })

  it('the allocation after a fallback wakes kswapd (ZONE_BOOSTED_WATERMARK)', () => {
    const k = balancedNode()
    const z = k.pgdats[0].zone
    z.boosted_watermark = true
    z.watermark_boost = 512
    expect(get_page_from_freelist(k, 0, 1, WMARK_LOW)).toBe(1)
    expect(z.boosted_watermark).toBe(false)
    k.env.run(1e9)
    expect(k.vmstat.pageoutrun).toBe(1)
  })
})

describe('the twin guest', () => {
  it("page tables and zram's handles fall back once the Unmovable pool is gone; the eater is throttled, boosted or not", () => {
    // throttle_direct_reclaim() stops the eater while free pages are under half the (boosted) min
    // watermark. Boots at two vCPUs: throttled 1–12 times a run; 0–11 without boosts
    // (test/validation/boost.test.ts).
    const run = (sets: string[]) => {
      let kk: Kernel | null = null
      const r = runSimulationSync(
        applySets(resolvePreset('twin-eater-512m'), sets),
        {},
        {
          seed: 1,
          inspect: (k) => (kk = k)
        }
      )
      return { v: r.vmstat, z: kk!.pgdats[0].zone, pg: kk!.pgdats[0] }
    }
    const boosted = run([])
    // 640 MiB of eater: 320 page tables, freed at its exit; a handle slab page per 512 objects.
    expect(boosted.v.nr_page_table_pages).toBe(0)
    expect(boosted.pg.nr_slab_pages).toBeGreaterThan(130)
    expect(boosted.pg.nr_slab_pages).toBeLessThan(170)
    expect(boosted.z.nr_unmovable_fallbacks).toBeGreaterThan(0)
    expect(boosted.z.nr_boosts).toBeGreaterThan(0)
    expect(boosted.v.pgscan_direct_throttle).toBeGreaterThan(0)
    const flat = run(['kernel.vm.watermark_boost_factor=0'])
    expect([flat.z.nr_boosts, flat.v.pgscan_direct_throttle]).toEqual([0, 1])
  })
  it('refuses free chunks that do not fit the zone, naming the field', () => {
    // 4,578 kernel pages and 200 free chunks of order 10: 209,378 pages, 408 pageblocks.
    expect(() =>
      runSimulationSync(
        applySets(resolvePreset('twin-eater-512m'), [
          'device.unmovable_free_chunks=[0,0,0,0,0,0,0,0,0,0,200]'
        ])
      )
    ).toThrow(/^device\.unmovable_free_chunks: .*need 408 pageblocks; the zone has 245$/)
  })
})
