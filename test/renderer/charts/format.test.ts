import { describe, expect, it } from 'vitest'
import {
  byName,
  duration,
  integer,
  mibWithPages,
  perSecond,
  sig3,
  simTime,
  wallTime
} from '../../../src/renderer/src/charts/format'

describe('sig3', () => {
  it.each([
    [0, '0'],
    [0.012345, '0.0123'],
    [1.005, '1'],
    [45.67, '45.7'],
    [360.45, '360'],
    [999.6, '1,000'],
    [12345.6, '12,346'],
    [-2.345, '-2.35']
  ])('%d → %s', (x, s) => expect(sig3(x)).toBe(s))

  it('shows a dash for non-numbers', () => {
    expect(sig3(Number.NaN)).toBe('–')
  })
})

describe('kernel units', () => {
  it('writes counters with thousands separators', () => {
    expect(integer(2063033)).toBe('2,063,033')
  })

  it('writes rates per second', () => {
    expect(perSecond(10117.85)).toBe('10,118/s')
    expect(perSecond(15.9)).toBe('15.9/s')
  })

  it('writes latencies in µs, ms or s with 3 significant digits', () => {
    expect(duration(163.84)).toBe('164 µs')
    expect(duration(3407.87)).toBe('3.41 ms')
    expect(duration(67898.62)).toBe('67.9 ms')
    expect(duration(1_711_910)).toBe('1.71 s')
  })

  it('writes memory in MiB with pages', () => {
    expect(mibWithPages(2788 / 256)).toBe('10.9 MiB (2,788 pages)')
  })

  it('writes simulated and wall time', () => {
    expect(simTime(12.345)).toBe('12.3 s')
    expect(simTime(0.25)).toBe('250 ms')
    expect(wallTime(4169)).toBe('4.17 s')
    expect(wallTime(125_000)).toBe('2 min 5 s')
    expect(wallTime(null)).toBe('–')
  })

  it('formats derived metrics by the unit in their name', () => {
    expect(byName('pgscan_per_s', 126395.6)).toBe('126,396/s')
    expect(byName('kswapd_cpu_pct', 8.82)).toBe('8.82%')
    expect(byName('alloc_slowpath_p99_us', 360.45)).toBe('360 µs')
    expect(byName('launch_latency_p50_ms', 46.14)).toBe('46.1 ms')
    expect(byName('zram_compr_mb', 228.93)).toBe('229 MiB')
    expect(byName('zram_ratio', 2.5)).toBe('2.5×')
    expect(byName('allocstall', 318)).toBe('318')
  })
})
