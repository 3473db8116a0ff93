import { describe, expect, it } from 'vitest'
import {
  Compressor,
  comp_cost,
  comp_len,
  decomp_cost,
  huge_class_size
} from '../../../src/sim/mm/compress'
import { COMP_MEASURED, COMP_REF_SCALE } from '../../../src/sim/mm/comp_tables'
import { ZsPool, zs_class } from '../../../src/sim/mm/zsmalloc'
import { Rng } from '../../../src/sim/des/prng'
import { applySets, resolvePreset, runSimulationSync } from '../../../src/sim'
import {
  CONTENT_INCOMPRESSIBLE,
  CONTENT_PARTIAL,
  CONTENT_SAME,
  CONTENT_TYPICAL,
  CONTENT_ZERO
} from '../../../src/sim/mm/types'

/* The measured tables (docs/compression.md): the kernel's compressors on real page contents. */
describe('compressed sizes and times from the measured tables', () => {
  it('an eater page compresses to its random bytes plus a little, per algorithm', () => {
    const rng = new Rng(1, 'test')
    // R = 1,296 (the twin's eater): measured at 1,300 bytes of R in the table's grid
    expect(comp_len('lz4', CONTENT_PARTIAL, 1300, rng)).toBe(1328)
    expect(comp_len('lzo-rle', CONTENT_PARTIAL, 1300, rng)).toBe(1365)
    // between measured points: linear (lz4 at R = 1,800 lies between 1,568 and 2,082)
    const mid = comp_len('lz4', CONTENT_PARTIAL, 1792, rng)
    expect(mid).toBe(Math.round(1568 + ((1792 - 1536) / 512) * (2082 - 1568)))
    expect(comp_len('lz4', CONTENT_INCOMPRESSIBLE, 0, rng)).toBe(4096)
  })
  it('typical pages: zstd smaller than lz4, lzo-rle about lzo; each the measured mean', () => {
    const mean = (alg: 'lz4' | 'lzo' | 'lzo-rle' | 'zstd') => {
      const rng = new Rng(7, 'test')
      let s = 0
      for (let i = 0; i < 20000; i++) s += comp_len(alg, CONTENT_TYPICAL, 0, rng)
      return s / 20000
    }
    const lz4 = mean('lz4')
    const zstd = mean('zstd')
    expect(lz4).toBeGreaterThan(1330)
    expect(lz4).toBeLessThan(1470) // measured 1,401 (lengths above a page count as a page)
    expect(zstd / lz4).toBeLessThan(0.7) // measured 896 / 1,401
    expect(Math.abs(mean('lzo-rle') - mean('lzo'))).toBeLessThan(60)
  })
  it('on typical pages lz4, lzo and lzo-rle cost about the same; lzo-rle is cheaper on eater pages', () => {
    const lz4 = comp_cost('lz4', CONTENT_TYPICAL)
    for (const alg of ['lzo', 'lzo-rle'] as const)
      expect(Math.abs(comp_cost(alg, CONTENT_TYPICAL) / lz4 - 1)).toBeLessThan(0.1)
    expect(comp_cost('zstd', CONTENT_TYPICAL) / lz4).toBeGreaterThan(3)
    expect(comp_cost('lzo-rle', CONTENT_PARTIAL, 1300)).toBeLessThan(
      comp_cost('lz4', CONTENT_PARTIAL, 1300)
    )
    // anchored: lz4 on a typical page is lzbench's 452 MB/s on the reference core
    expect(Math.round(lz4)).toBe(9062)
    expect(decomp_cost('lz4', CONTENT_TYPICAL)).toBeCloseTo(1407 * COMP_REF_SCALE, 6)
  })
  it('a Compressor gives what the functions give, with the scales applied', () => {
    const contents = [CONTENT_ZERO, CONTENT_SAME, CONTENT_TYPICAL, CONTENT_INCOMPRESSIBLE]
    for (const alg of ['lz4', 'lzo', 'lzo-rle', 'zstd'] as const) {
      const c = new Compressor(alg, 1.52, 0.17)
      const a = new Rng(3, 'test')
      const b = new Rng(3, 'test')
      const cases: [number, number][] = [
        ...contents.map((x): [number, number] => [x, 0]),
        ...[0, 1, 1296, 1300, 1792.7, 4095, 4096, 5000, -3].map((r): [number, number] => [
          CONTENT_PARTIAL,
          r
        ])
      ]
      for (const [content, r] of cases) {
        expect([alg, content, r, c.compress_ns(content, r)]).toEqual([
          alg,
          content,
          r,
          comp_cost(alg, content, r) * 1.52
        ])
        expect(c.decompress_ns(content, r)).toBe(decomp_cost(alg, content, r) * 0.17)
        expect(c.len(content, r, a)).toBe(comp_len(alg, content, r, b))
      }
      // typical pages draw from the rng, the same draws
      for (let i = 0; i < 100; i++)
        expect(c.len(CONTENT_TYPICAL, 0, a)).toBe(comp_len(alg, CONTENT_TYPICAL, 0, b))
    }
  })
  it('same-filled pages compress as a page of zeros (zswap compresses them; zram never asks)', () => {
    expect(comp_len('zstd', CONTENT_SAME, 0, new Rng(1, 'test'))).toBe(
      COMP_MEASURED.zstd.partial_len[0]
    )
  })
})

describe('zsmalloc size classes (mm/zsmalloc.c, 6.12, 8-page chains)', () => {
  it('huge_class_size is 3,625: from it on a page is stored whole', () => {
    expect(huge_class_size).toBe(3625)
    expect(zs_class(3625)).toBe(zs_class(4096))
    expect(zs_class(3624)).not.toBe(zs_class(4096))
  })
  it('a pool packs objects into whole zspages: 1,328-byte objects take 21,867 pages for 65,600', () => {
    // 1,328 + 8 (handle) → class 1,344; one page wastes least (64 bytes): 3 objects per page.
    const pool = new ZsPool()
    const c = pool.malloc(1328)
    for (let i = 1; i < 65600; i++) pool.malloc(1328)
    expect(pool.pages).toBe(21867)
    for (let i = 0; i < 65600; i++) pool.free(c)
    expect(pool.pages).toBe(0)
  })
  it('frees and allocations interleaved: a zspage goes when its last object does', () => {
    // 1,328-byte objects: 3 per one-page zspage; 3,000-byte ones: 4 per 3-page zspage (3,008 B).
    const pool = new ZsPool()
    const pages: number[] = []
    const small = pool.malloc(1328)
    const big = pool.malloc(3000)
    pages.push(pool.pages) // 1 + 3
    for (let i = 0; i < 3; i++) pool.malloc(1328)
    pages.push(pool.pages) // 4 small: 2 zspages
    pool.free(small)
    pages.push(pool.pages) // 3 small: 1
    pool.malloc(1328)
    pool.free(big)
    pages.push(pool.pages) // 4 small, no big: 2 + 0
    for (let i = 0; i < 4; i++) pool.malloc(3000)
    pool.malloc(3000)
    pages.push(pool.pages) // 5 big: 2 zspages of 3 pages
    pool.free(big)
    pages.push(pool.pages) // 4 big: 1
    expect(pages).toEqual([4, 5, 4, 2, 8, 5])
  })
})

/*
 * The twin guest decompresses at its own rates (docs/twin.md; the boots and the derivation of
 * costs.decomp_scale are in test/validation/zram-bench.test.ts): lz4 about 1 µs an eater page
 * where the native table's rate at the guest's speed would take 23 µs.
 */
describe('decompression in the twin guest (costs.decomp_scale)', () => {
  it("the eater's 16,384 swap-ins cost it ~0.3 s less CPU than at the native table's lz4 rate", () => {
    const eaterCpu = (sets: string[]): number => {
      const r = runSimulationSync(
        applySets(resolvePreset('twin-eater-512m'), sets),
        {},
        { seed: 1 }
      )
      expect(r.vmstat.pswpin).toBe(16384)
      return r.threads.find((t) => t.name === 'memory_eater')!.cpu_ms / 1000
    }
    const native = eaterCpu(['costs.decomp_scale.lz4=1'])
    const guest = eaterCpu([])
    // 16,384 × (3,310 − 563) reference ns at speed 0.142 = 0.32 s
    expect(native - guest).toBeGreaterThan(0.25)
    expect(native - guest).toBeLessThan(0.4)
  })
})
