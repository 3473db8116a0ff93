import { describe, expect, it } from 'vitest'
import { Folios, smallKernel } from '../helpers'
import { shrink_inactive_list } from '../../../src/sim/mm/vmscan'
import { new_scan_control } from '../../../src/sim/mm/scan_control'
import {
  LRU_INACTIVE_ANON,
  PG_mapped,
  PG_referenced,
  PG_swapbacked,
  PTE_young
} from '../../../src/sim/mm/types'
import { sleep, type Thread } from '../../../src/sim/cpu/thread'

/*
 * folio_check_references() when folio_referenced() returns -1: the anon_vma's down_read_trylock()
 * failed because a writer holds the lock or waits for it (mm/rmap.c, mm/vmscan.c, Linux 6.12).
 */
function reclaim(writerWaiting: boolean, exiting = false) {
  const k = smallKernel()
  const f = new Folios(k)
  const pfns = [
    f.add('old', PG_swapbacked | PG_mapped),
    f.add('seen', PG_swapbacked | PG_mapped | PG_referenced),
    f.add('young', PG_swapbacked | PG_mapped | PTE_young)
  ]
  const sem = f.anon.anon_vma!
  if (exiting) {
    f.anon.mm_exiting = true
    k.nr_exiting_mm = 1
  }
  let reclaimer: Thread | null = null
  k.sched.spawn('kswapd', 'kswapd', 0, function* (t) {
    reclaimer = t
    yield sleep(1000)
    if (writerWaiting) {
      sem.writer = t
      k.anon_vma_writers++
    }
    yield* shrink_inactive_list(k, t, 3, k.pgdats[0], new_scan_control(1, 2, 32), LRU_INACTIVE_ANON)
  })
  k.env.run(1e9)
  return { k, pfns, reclaimer: reclaimer as unknown as Thread }
}

/** Every folio scanned and kept: none reclaimed, PG_referenced cleared, the young bit left. */
function expectAllKept({ k, pfns }: ReturnType<typeof reclaim>): void {
  expect(k.vmstat.pgscan_kswapd).toBe(3)
  expect(k.vmstat.pgsteal_kswapd).toBe(0)
  const flags = pfns.map((pfn) => k.pages.flags[pfn])
  expect(flags.map((fl) => (fl & PG_referenced) !== 0)).toEqual([false, false, false])
  expect(flags.map((fl) => (fl & PTE_young) !== 0)).toEqual([false, false, true])
}

describe('rmap lock contention in reclaim', () => {
  it('a waiting writer makes every mapped anon folio rotate, young bits kept, PG_referenced cleared', () => {
    const run = reclaim(true)
    expectAllKept(run)
    expect(run.k.vmstat.pgactivate).toBe(0)
  })
  // folio_referenced_one(): "Skip the non-shared swapbacked folio mapped solely by the exiting or
  // OOM-reaped process" — the same -1, found after the walk took the lock.
  it('folios of an exiting mm are kept the same way, though the lock is free', () => {
    expectAllKept(reclaim(false, true))
  })
  it('without one the same folios are reclaimed, kept once (young) or activated as usual', () => {
    const { k, pfns } = reclaim(false)
    // old: reclaimed; seen (PG_referenced, not young): reclaimed (anon); young: kept once.
    expect(k.vmstat.pgsteal_kswapd).toBe(2)
    expect(k.pages.flags[pfns[2]] & PG_referenced).toBe(PG_referenced)
  })
  it('the pass’s burst carries the lock it walks and the share of its work inside it', () => {
    const k = smallKernel()
    const f = new Folios(k)
    for (let i = 0; i < 4; i++) f.add(`A${i}`, PG_swapbacked | PG_mapped)
    const seen: Array<[unknown, number, number, number]> = []
    k.sched.onBurst = (_c, t) => {
      if (t.read_sem) seen.push([t.read_sem, t.read_sem_units, t.read_sem_share, t.burst])
    }
    let reclaimer: Thread | null = null
    k.sched.spawn('kswapd', 'kswapd', 0, function* (t) {
      reclaimer = t
      yield* shrink_inactive_list(
        k,
        t,
        4,
        k.pgdats[0],
        new_scan_control(1, 2, 32),
        LRU_INACTIVE_ANON
      )
    })
    k.env.run(1e9)
    expect(k.vmstat.pgsteal_kswapd).toBe(4)
    const [sem, units, share, burst] = seen[0]
    expect(sem).toBe(f.anon.anon_vma)
    expect(units).toBe(4)
    // Per folio: folio_referenced()'s lookup (half the walk), add_to_swap() and try_to_unmap()'s
    // lookup, over the whole pass's work (isolation, the walks' PTE work, compression, the free).
    const c = k.costs
    const inside = c.folio_referenced_ns / 2 + c.add_to_swap_ns + c.try_to_unmap_ns / 2
    expect(share).toBeCloseTo((4 * inside) / burst, 12)
    expect(share).toBeLessThan(0.5)
    expect((reclaimer as unknown as Thread).read_sem).toBeNull()
  })
})
