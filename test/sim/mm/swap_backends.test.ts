import { describe, expect, it } from 'vitest'
import { runSimulationSync } from '../../../src/sim'
import { Folios, runAs, smallKernel } from '../helpers'
import { shrink_inactive_list } from '../../../src/sim/mm/vmscan'
import { new_scan_control } from '../../../src/sim/mm/scan_control'
import { access_range } from '../../../src/sim/mm/memory'
import {
  GFP_KERNEL,
  LRU_ACTIVE_FILE,
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  PG_active,
  PG_dirty,
  PG_swapbacked
} from '../../../src/sim/mm/types'
import { SWP_ZRAM, SWP_ZRAM_HUGE, SWP_ZRAM_SAME } from '../../../src/sim/mm/swap'
import { swp_entry, swp_slot } from '../../../src/sim/mm/mapping'
import type { Kernel } from '../../../src/sim/kernel'

const cpus = [{ class: 'big', count: 2, speed: 1 }]

describe('zswap', () => {
  it('stores until max_pool_percent, rejects to the disk, writes back to the accept threshold', () => {
    const r = runSimulationSync({
      device: { mem_mb_per_node: 256, cpus, swap: { type: 'zswap', disk: { size_mb: 1024 } } },
      kernel: { zswap: { max_pool_percent: 5, accept_threshold_percent: 80 } },
      workload: { type: 'memory_eater', eat_mb: 420 },
      duration_s: 8
    })
    const maxPages = Math.floor((65536 * 5) / 100)
    expect(r.vmstat.zswpout).toBeGreaterThan(maxPages)
    expect(r.zswap!.pool_limit_hit).toBeGreaterThan(0)
    expect(r.vmstat.zswpwb).toBeGreaterThan(0)
    // zswap writeback and rejected stores both reach the disk as pswpout
    expect(r.vmstat.pswpout).toBeGreaterThanOrEqual(r.vmstat.zswpwb)
    expect(r.zswap!.pool_total_size / 4096).toBeLessThanOrEqual(maxPages + 1)
  })
})

describe('disk swap', () => {
  it('writes asynchronously: folios under writeback are rotated to the inactive tail on completion', () => {
    const r = runSimulationSync({
      device: { mem_mb_per_node: 256, cpus, swap: { type: 'disk', disk: { size_mb: 1024 } } },
      workload: { type: 'memory_eater', eat_mb: 400 },
      duration_s: 6
    })
    expect(r.vmstat.pswpout).toBeGreaterThan(30000)
    expect(r.vmstat.pgrotated).toBeGreaterThan(1000)
    expect(r.vmstat.zswpout).toBe(0)
  })
})

describe('OOM killer', () => {
  it('kills the eater when RAM and swap are exhausted, and its memory comes back', () => {
    const r = runSimulationSync({
      device: { mem_mb_per_node: 256, cpus, swap: { type: 'zram', zram: { disksize_mb: 128 } } },
      workload: { type: 'memory_eater', eat_mb: 1024 },
      duration_s: 6
    })
    expect(r.vmstat.oom_kill).toBe(1)
    expect(r.warnings[0]).toMatch(/^OOM killer: killed memory_eater/)
    expect(r.vmstat.nr_inactive_anon + r.vmstat.nr_active_anon).toBe(0)
    expect(r.zram!.orig_data_size).toBe(0)
  })
})

describe('workingset refaults', () => {
  it('a file folio refaulting within the workingset size is activated; after many evictions it is not', () => {
    const k = smallKernel()
    const f = new Folios(k)
    for (let i = 0; i < 4; i++) f.add(`F${i}`, 0, true)
    // inactive_file: F0 F1 F2 F3 — all clean and unreferenced → evicted with shadow entries
    runAs(k, 'kswapd', function* (t) {
      yield* shrink_inactive_list(
        k,
        t,
        4,
        k.pgdats[0],
        new_scan_control(1, 2, 32),
        LRU_INACTIVE_FILE
      )
    })
    expect(k.vmstat.pgsteal_file).toBe(4)
    // Refault F3: distance 1 (F3 was the last evicted); workingset size = active file (0) + anon
    // lists → not enough. Put one active file folio in first so the distance fits.
    f.add('A0', PG_active, true)
    runAs(
      k,
      'app',
      function* (t) {
        yield* access_range(k, t, f.file, 3, 1, false)
        yield* access_range(k, t, f.file, 0, 1, false)
      },
      2e9
    )
    // F3: distance 0 ≤ 1 → activated; F0: distance 3 > 1 (plus F3's activation) → inactive
    expect(k.vmstat.workingset_refault_file).toBe(2)
    expect(k.vmstat.workingset_activate_file).toBe(1)
    expect(k.pgdats[0].lruvec.nr[LRU_ACTIVE_FILE]).toBe(2)
    expect(k.pages.flags[f.file.pte[3]] & PG_active).toBe(PG_active)
    expect(k.pages.flags[f.file.pte[0]] & PG_active).toBe(0)
  })
})

describe('shmem', () => {
  /*
   * A tmpfs folio is swap-backed but not mapped: reclaim adds it to the swap cache and writes it
   * without try_to_unmap(), so its page-cache slot still holds the frame when pageout() runs. The
   * write must go to the slot add_to_swap() gave it, which the page cache takes afterwards.
   */
  for (const variant of ['baseline', 'v1']) {
    it(`${variant}: each reclaimed tmpfs page is stored in zram under its own swap slot`, () => {
      let k: Kernel | null = null
      runSimulationSync(
        {
          device: {
            mem_mb_per_node: 256,
            cpus,
            shmem_mb: 16,
            swap: { type: 'zram', zram: { disksize_mb: 512 } }
          },
          workload: { type: 'memory_eater', eat_mb: 300, rate_mb_s: 100 },
          duration_s: 6
        },
        {},
        { variant, inspect: (x) => (k = x) }
      )
      const kernel = k as unknown as Kernel
      const shmem = kernel.mappings[0]
      const si = kernel.swap!
      let swapped = 0
      for (const e of shmem.pte) {
        if (e >= -1) continue
        swapped++
        expect([SWP_ZRAM, SWP_ZRAM_HUGE, SWP_ZRAM_SAME]).toContain(si.where[swp_slot(e)])
      }
      // Most of the 4096 tmpfs pages sit at the inactive tail when the eater arrives.
      expect(swapped).toBeGreaterThan(3000)
      let stored = 0
      for (let s = 0; s < si.nr_slots; s++)
        if (
          si.where[s] === SWP_ZRAM ||
          si.where[s] === SWP_ZRAM_HUGE ||
          si.where[s] === SWP_ZRAM_SAME
        )
          stored++
      // zram's own count agrees with the slots: nothing was stored under a slot of no page.
      expect(kernel.zram!.orig_data_size).toBe(stored)
    })
  }
})

describe('shmem folio kept unwritten', () => {
  it('is found by its swap entry, and written to that slot by the next pass', () => {
    const k = smallKernel()
    const f = new Folios(k)
    // An unmapped, dirty swap-backed folio: a tmpfs page.
    const pfn = f.add('T', PG_swapbacked | PG_dirty)
    const pass = (may_writepage: boolean) =>
      runAs(k, 'kswapd', function* (t) {
        const sc = new_scan_control(GFP_KERNEL, 2, 32)
        sc.may_writepage = may_writepage
        yield* shrink_inactive_list(k, t, 1, k.pgdats[0], sc, LRU_INACTIVE_ANON)
      })
    // A boosted kswapd does not write (may_writepage false): the folio keeps its swap slot.
    pass(false)
    const slot = k.swap!.swapcache.indexOf(pfn)
    expect(slot).toBeGreaterThanOrEqual(0)
    expect(f.anon.pte[0]).toBe(swp_entry(slot))
    expect(k.vmstat.pswpout).toBe(0)
    pass(true)
    expect(k.vmstat.pswpout).toBe(1)
    expect(k.swap!.where[slot]).toBe(SWP_ZRAM)
    expect(k.swap!.swapcache[slot]).toBe(-1)
    expect(f.anon.pte[0]).toBe(swp_entry(slot))
    expect(k.zram!.orig_data_size).toBe(1)
  })
})
