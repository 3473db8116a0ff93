import { describe, expect, it } from 'vitest'
import {
  get_scan_count,
  SCAN_ANON,
  SCAN_EQUAL,
  SCAN_FILE,
  SCAN_FRACT
} from '../../../src/sim/mm/scan_count'
import { new_scan_control } from '../../../src/sim/mm/scan_control'
import { Pgdat } from '../../../src/sim/mm/mmzone'
import type { Kernel } from '../../../src/sim/kernel'

function setup(swapFree = 1000) {
  const k = { swap: { nr_free: swapFree } } as unknown as Kernel
  const pgdat = new Pgdat(0, 1 << 20, 0)
  // inactive_anon, active_anon, inactive_file, active_file
  pgdat.lruvec.nr.set([409600, 204800, 409600, 204800])
  const sc = new_scan_control(1, 2, 32)
  return { k, pgdat, sc }
}

describe('get_scan_count()', () => {
  it.each([
    [0, 0, 200],
    [60, 60, 140],
    [100, 100, 100],
    [200, 200, 0]
  ])('swappiness %i with no recorded cost: fraction anon:file = %i:%i', (sw, ap, fp) => {
    const { k, pgdat, sc } = setup()
    const nr = [0, 0, 0, 0]
    const out = { fraction: [0, 0], denominator: 0 }
    expect(get_scan_count(k, pgdat, sc, sw, nr, out)).toBe(SCAN_FRACT)
    expect(out.fraction).toEqual([ap, fp])
    // lru_size >> DEF_PRIORITY = 100 (inactive) and 50 (active), split by the fractions.
    expect(nr).toEqual([
      Math.floor((100 * ap) / 200),
      Math.floor((50 * ap) / 200),
      Math.floor((100 * fp) / 200),
      Math.floor((50 * fp) / 200)
    ])
  })
  it.each([
    [0, 0, 342],
    [60, 143, 239],
    [100, 239, 171],
    [200, 479, 0]
  ])('swappiness %i with anon_cost 100, file_cost 300: ap %i, fp %i', (sw, ap, fp) => {
    const { k, pgdat, sc } = setup()
    sc.anon_cost = 100
    sc.file_cost = 300
    const out = { fraction: [0, 0], denominator: 0 }
    get_scan_count(k, pgdat, sc, sw, [0, 0, 0, 0], out)
    expect(out.fraction).toEqual([ap, fp])
  })
  it('no free swap → SCAN_FILE; priority 0 → SCAN_EQUAL unless swappiness is 0', () => {
    const a = setup(0)
    const nr = [0, 0, 0, 0]
    expect(get_scan_count(a.k, a.pgdat, a.sc, 60, nr)).toBe(SCAN_FILE)
    expect(nr).toEqual([0, 0, 100, 50])
    const b = setup()
    b.sc.priority = 0
    expect(get_scan_count(b.k, b.pgdat, b.sc, 60, nr)).toBe(SCAN_EQUAL)
    expect(nr).toEqual([409600, 204800, 409600, 204800])
    expect(get_scan_count(b.k, b.pgdat, b.sc, 0, nr)).toBe(SCAN_FRACT)
    expect(nr[0]).toBe(0)
  })
  it('file_is_tiny → SCAN_ANON, cache_trim_mode → SCAN_FILE', () => {
    const a = setup()
    a.sc.file_is_tiny = true
    expect(get_scan_count(a.k, a.pgdat, a.sc, 60, [0, 0, 0, 0])).toBe(SCAN_ANON)
    const b = setup()
    b.sc.cache_trim_mode = true
    expect(get_scan_count(b.k, b.pgdat, b.sc, 200, [0, 0, 0, 0])).toBe(SCAN_FILE)
  })
})
