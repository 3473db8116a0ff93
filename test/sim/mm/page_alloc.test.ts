import { describe, expect, it } from 'vitest'
import { Folios, smallKernel } from '../helpers'
import { __alloc_pages } from '../../../src/sim/mm/page_alloc'
import { GFP_NOIO, PG_dirty, PG_mapped, PG_swapbacked } from '../../../src/sim/mm/types'
import { sleep } from '../../../src/sim/cpu/thread'

describe('__alloc_pages_slowpath()', () => {
  it('a GFP_NOIO allocation that reclaims nothing takes pages freed meanwhile at its next retry', () => {
    const k = smallKernel()
    const z = k.pgdats[0].zone
    // No watermark boost: kswapd's zram writes take slab pages for their handles, whose fallback
    // would boost the watermarks and throttle this reclaimer (throttle_direct_reclaim()).
    z.watermark_boost_factor = 0
    const f = new Folios(k)
    // Only dirty anon on the LRU: IO-less reclaim cannot free any of it.
    for (let i = 0; i < 256; i++) f.add(`A${i}`, PG_swapbacked | PG_mapped | PG_dirty)
    // Hold the zone under its min watermark; a "reclaimer" gives the pages back after 1 ms.
    const held: number[] = []
    while (z.free >= z.min_wmark_pages()) held.push(z.alloc_page())
    k.sched.spawn('freer', 'other', 0, function* () {
      yield sleep(1e6)
      for (const pfn of held) z.free_page(pfn)
    })
    let got = -1
    let done_ns = 0
    k.sched.spawn('noio', 'other', 0, function* (t) {
      got = yield* __alloc_pages(k, t, 0, 1, GFP_NOIO)
      done_ns = k.env.now
    })
    k.env.run(10e9)
    expect(got).toBe(1)
    // mm/page_alloc.c retries get_page_from_freelist() at the top of every retry loop: the pages
    // freed at 1 ms are taken at the pass that follows (2 passes: kswapd's zram stores take the
    // zone under half its min watermark, and its first handle slab page refills a per-CPU list of
    // 12, so this reclaimer waits in throttle_direct_reclaim() from the end of its first pass),
    // not after MAX_RECLAIM_RETRIES (16) passes and the OOM path (18, at 2 ms).
    expect(k.vmstat.allocstall_normal).toBe(2)
    expect(done_ns).toBeGreaterThanOrEqual(1e6)
    expect(done_ns).toBeLessThan(1.4e6)
  })
})
