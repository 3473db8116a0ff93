import { describe, expect, it } from 'vitest'
import { Folios, runAs, smallKernel } from '../helpers'
import { shrink_inactive_list, shrink_active_list } from '../../../src/sim/mm/vmscan'
import { new_scan_control } from '../../../src/sim/mm/scan_control'
import { PGDAT_DIRTY } from '../../../src/sim/mm/mmzone'
import {
  LRU_ACTIVE_ANON,
  LRU_ACTIVE_FILE,
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  PG_active,
  PG_dirty,
  PG_mapped,
  PG_referenced,
  PG_reclaim,
  PG_swapbacked,
  PG_workingset,
  PG_swapcache,
  PG_writeback,
  PTE_young
} from '../../../src/sim/mm/types'
import { GFP_NOIO } from '../../../src/sim/mm/types'
import { swp_entry } from '../../../src/sim/mm/mapping'
import { nr_pcp_pages } from '../../../src/sim/mm/pcp'

const ANON = PG_swapbacked | PG_mapped | PG_dirty

describe('classic LRU behaviour (drawn tail → head)', () => {
  it('a referenced inactive folio is activated, an unreferenced one is reclaimed, a once-young one is kept', () => {
    const k = smallKernel()
    const f = new Folios(k)
    f.add('A1', ANON)
    f.add('A2', ANON | PTE_young)
    f.add('A3', ANON | PTE_young | PG_referenced)
    f.add('A4', ANON)
    // inactive_anon: A1 A2 A3* A4      A2 = young PTE, A3* = young PTE + PG_referenced
    expect(f.draw(LRU_INACTIVE_ANON)).toBe('inactive_anon: A1 A2 A3 A4')
    // Free pages: the zone's and those on the per-CPU lists (reclaim frees onto its CPU's list).
    const z = k.pgdats[0].zone
    const free0 = z.free + nr_pcp_pages(z)
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
    // shrink_inactive_list(4): A3 → active_anon; A2 kept (PG_referenced set); A1 A4 → zram
    expect(f.draw(LRU_INACTIVE_ANON)).toBe('inactive_anon: A2')
    expect(f.draw(LRU_ACTIVE_ANON)).toBe('active_anon: A3')
    // zram's pool pages and its handles' slab page come out of free memory.
    expect(z.free + nr_pcp_pages(z) - free0).toBe(
      2 - k.pgdats[0].nr_pool_pages - k.pgdats[0].nr_slab_pages
    )
    const v = k.vmstat
    expect([v.pgscan_kswapd, v.pgsteal_kswapd, v.pswpout, v.pgactivate]).toEqual([4, 2, 2, 1])
    expect(f.anon.pte[0]).toBeLessThanOrEqual(-2) // A1 now holds a swap entry
    expect(f.anon.pte[3]).toBeLessThanOrEqual(-2)
    expect(k.zram!.orig_data_size).toBe(2)
  })

  it('a dirty file folio is not written by direct reclaim; a clean one is dropped; kswapd writes with PGDAT_DIRTY', () => {
    const k = smallKernel()
    const f = new Folios(k)
    const d1 = f.add('D1', PG_dirty, true)
    f.add('C1', 0, true)
    // inactive_file: D1 C1    (D1 dirty)
    runAs(k, 'app', function* (t) {
      yield* shrink_inactive_list(
        k,
        t,
        2,
        k.pgdats[0],
        new_scan_control(2, 3, 32),
        LRU_INACTIVE_FILE
      )
    })
    // direct reclaim: D1 → active_file with PG_reclaim (nr_vmscan_immediate_reclaim), C1 freed
    expect(f.draw(LRU_INACTIVE_FILE)).toBe('inactive_file: ')
    expect(f.draw(LRU_ACTIVE_FILE)).toBe('active_file: D1')
    expect(k.vmstat.nr_vmscan_write).toBe(0)
    expect(k.vmstat.nr_vmscan_immediate_reclaim).toBe(1)
    expect(k.vmstat.pgsteal_direct).toBe(1)
    expect(k.pages.flags[d1] & (PG_writeback | PG_reclaim)).toBe(PG_reclaim)
    expect(f.file.shadow![1]).toBeGreaterThan(0)

    const k2 = smallKernel()
    const g = new Folios(k2)
    const d2 = g.add('D2', PG_dirty | PG_reclaim, true)
    runAs(k2, 'kswapd', function* (t) {
      // (kswapd0 clears the flags whenever the node is balanced: set them right before the scan)
      k2.pgdats[0].flags |= PGDAT_DIRTY
      yield* shrink_inactive_list(
        k2,
        t,
        1,
        k2.pgdats[0],
        new_scan_control(1, 2, 32),
        LRU_INACTIVE_FILE
      )
    })
    // kswapd on a PGDAT_DIRTY node: pageout() → under writeback, kept; completion rotates it to the tail
    expect(k2.vmstat.nr_vmscan_write).toBe(1)
    expect(k2.vmstat.pgrotated).toBe(1)
    expect(g.draw(LRU_INACTIVE_FILE)).toBe('inactive_file: D2')
    expect(k2.pages.flags[d2] & (PG_writeback | PG_dirty)).toBe(0)
  })

  it('shrink_active_list() deactivates and marks PG_workingset; a young exec file folio stays active', () => {
    const k = smallKernel()
    const f = new Folios(k)
    f.file.exec = true
    f.add('X1', PG_active | PG_mapped | PTE_young, true)
    f.add('F1', PG_active, true)
    // active_file: X1 F1     X1 = young PTE in a VM_EXEC mapping
    runAs(k, 'kswapd', function* (t) {
      yield* shrink_active_list(k, t, 2, k.pgdats[0], new_scan_control(1, 2, 32), LRU_ACTIVE_FILE)
    })
    expect(f.draw(LRU_ACTIVE_FILE)).toBe('active_file: X1')
    expect(f.draw(LRU_INACTIVE_FILE)).toBe('inactive_file: F1')
    expect(k.vmstat.pgrefill).toBe(2)
    expect(k.vmstat.pgdeactivate).toBe(1)
    const f1 = [...f.names.entries()].find(([, n]) => n === 'F1')![0]
    expect(k.pages.flags[f1] & PG_workingset).toBe(PG_workingset)
  })

  it('a GFP_NOIO reclaim (zsmalloc under zram) frees a clean swap-cache folio but cannot swap anon out', () => {
    const k = smallKernel()
    const f = new Folios(k)
    f.add('A1', ANON)
    const c = f.add('C1', PG_swapbacked | PG_swapcache)
    const slot = k.swap!.get_swap_page()
    k.swap!.swapcache[slot] = c
    f.anon.pte[1] = swp_entry(slot)
    f.anon.nr_resident--
    f.anon.nr_swap++
    // inactive_anon: A1 C1     A1 = dirty anon, not in the swap cache; C1 = clean swap-cache copy
    runAs(k, 'other', function* (t) {
      yield* shrink_inactive_list(
        k,
        t,
        2,
        k.pgdats[0],
        new_scan_control(GFP_NOIO, 2, 32),
        LRU_INACTIVE_ANON
      )
    })
    expect(f.draw(LRU_INACTIVE_ANON)).toBe('inactive_anon: A1')
    expect([k.vmstat.pgsteal_direct, k.vmstat.pswpout]).toEqual([1, 0])
  })
})
