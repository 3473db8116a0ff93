import { describe, expect, it } from 'vitest'
import { runAs, smallKernel } from '../helpers'
import {
  consider_reclaim_throttle,
  reclaim_throttle,
  wake_throttle_isolated,
  VMSCAN_THROTTLE_ISOLATED
} from '../../../src/sim/mm/throttle'
import { sleep } from '../../../src/sim/cpu/thread'
import { Histogram } from '../../../src/sim/metrics/histogram'

/* mm/vmscan.c: reclaim_throttle() and who it applies to. */
describe('reclaim throttles', () => {
  it('ISOLATED: a user task sleeps until too_many_isolated() clears, at most HZ/50', () => {
    const k = smallKernel()
    const pg = k.pgdats[0]
    let woke = 0
    runAs(k, 'app', function* (t) {
      yield* reclaim_throttle(k, t, pg, VMSCAN_THROTTLE_ISOLATED)
      woke = k.env.now
    })
    expect(woke).toBe(20_000_000)
    const k2 = smallKernel()
    k2.sched.spawn('waker', 'other', 0, function* () {
      yield sleep(3_000_000)
      wake_throttle_isolated(k2.pgdats[0])
    })
    runAs(k2, 'app', function* (t) {
      yield* reclaim_throttle(k2, t, k2.pgdats[0], VMSCAN_THROTTLE_ISOLATED)
      woke = k2.env.now
    })
    expect(woke).toBe(3_000_000)
  })
  it('kernel threads other than kswapd are never throttled', () => {
    const k = smallKernel()
    let done = -1
    runAs(k, 'kworker', function* (t) {
      yield* reclaim_throttle(k, t, k.pgdats[0], VMSCAN_THROTTLE_ISOLATED)
      done = k.env.now
    })
    expect(done).toBe(0)
  })
  it('NOPROGRESS: nothing reclaimed at priority 1 throttles a jiffy only while writeback is pending', () => {
    const k = smallKernel()
    const pg = k.pgdats[0]
    let after = -1
    // zram writes are synchronous: nothing pending, skip_throttle_noprogress() skips
    runAs(k, 'app', function* (t) {
      yield* consider_reclaim_throttle(k, t, pg, 0, 512, 1)
      after = k.env.now
    })
    expect(after).toBe(0)
    const k2 = smallKernel()
    k2.writeback_pending = 1 << 20
    runAs(k2, 'app', function* (t) {
      yield* consider_reclaim_throttle(k2, t, k2.pgdats[0], 0, 512, 1)
      after = k2.env.now
    })
    expect(after).toBe(4_000_000)
  })
})

describe('latency histogram (HdrHistogram, 3 significant digits)', () => {
  it('percentiles follow the values, not power-of-two bucket edges', () => {
    const h = new Histogram()
    for (let i = 1; i <= 10_000; i++) h.add(i * 36_000) // 36 µs … 360 ms, evenly
    const p99 = h.quantile(0.99)
    expect(Math.abs(p99 / (9900 * 36_000) - 1)).toBeLessThan(0.001)
    const p50 = h.summary().p50_us
    expect(Math.abs(p50 / (5000 * 36) - 1)).toBeLessThan(0.001)
  })
})
