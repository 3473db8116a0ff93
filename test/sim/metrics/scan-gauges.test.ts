import { describe, expect, it } from 'vitest'
import { scan_gauges } from '../../../src/sim/metrics/sampler'
import { Rng } from '../../../src/sim/des/prng'
import { PG_dirty, PG_swapbacked, PG_writeback } from '../../../src/sim/mm/types'
import type { Kernel } from '../../../src/sim/kernel'

/** The gauges one frame at a time: writeback folios, and dirty ones that are file (not swap-backed). */
function naive(flags: Uint16Array, nr: number) {
  let nr_dirty = 0
  let nr_writeback = 0
  for (let i = 0; i < nr; i++) {
    if (flags[i] & PG_writeback) nr_writeback++
    if (flags[i] & PG_dirty && !(flags[i] & PG_swapbacked)) nr_dirty++
  }
  return { nr_dirty, nr_writeback }
}

describe('scan_gauges: nr_dirty and nr_writeback from the page flags', () => {
  const kernel = (flags: Uint16Array, nr: number) => ({ pages: { flags, nr } }) as unknown as Kernel
  const random = (n: number, seed: number) => {
    const rng = new Rng(seed, 'flags')
    return Uint16Array.from({ length: n }, () => rng.u32() & 0xffff)
  }
  it('counts both frames of each word, an odd last frame, and not the list heads after nr', () => {
    for (const nr of [0, 1, 2, 7, 1000, 1001]) {
      const flags = random(nr + 5, nr)
      expect(scan_gauges(kernel(flags, nr))).toEqual(naive(flags, nr))
    }
    // Only the high lane of a word set: a dirty file frame at index 1, writeback at index 3.
    const flags = new Uint16Array(4)
    flags[1] = PG_dirty
    flags[3] = PG_writeback | PG_dirty | PG_swapbacked
    expect(scan_gauges(kernel(flags, 4))).toEqual({ nr_dirty: 1, nr_writeback: 1 })
  })
  it('flags that do not start on a 4-byte boundary are counted one by one', () => {
    const all = random(2002, 9)
    const flags = all.subarray(1, 2002)
    expect(flags.byteOffset % 4).toBe(2)
    expect(scan_gauges(kernel(flags, 1999))).toEqual(naive(flags, 1999))
  })
})
