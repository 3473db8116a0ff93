import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseScenario, resolvePreset } from '../../src/sim'
import { decomp_cost } from '../../src/sim/mm/compress'
import { ZRAM_HUGE_READ_NS } from '../../src/sim/mm/zram'
import { CONTENT_PARTIAL } from '../../src/sim/mm/types'
import { quantile } from '../../src/shared/stats'

/*
 * The twin preset's decompression rates come from the pagebench zram boots kept beside this test
 * (docs/twin.md): per boot, reading an eater page (R = 1,300) back takes longer than reading a page
 * zram stores whole (R = 4,096) by the decompression, less a 4 KiB copy the model charges as its
 * whole-page read (ZRAM_HUGE_READ_NS).
 */
type Alg = 'lz4' | 'lzo-rle' | 'lzo' | 'zstd'
const ALGS: Alg[] = ['lz4', 'lzo-rle', 'lzo', 'zstd']

/** Per boot: `${alg} ${R} ${write|read}` → µs a page. */
const boots: Map<string, number>[] = []
let at = ''
const text = readFileSync(new URL('./twin-zram-bench.txt', import.meta.url), 'utf8')
for (const line of text.split('\n')) {
  if (line.startsWith('BOOT')) boots.push(new Map())
  const bench = /^BENCH alg=(\S+) rb=(\d+)/.exec(line)
  if (bench) at = `${bench[1]} ${bench[2]}`
  const m = /^PAGEBENCH what=zram_(write|read) pages=\d+ ns_per_page=(\d+)/.exec(line)
  if (m) boots[boots.length - 1].set(`${at} ${m[1]}`, Number(m[2]) / 1000)
}
const median = (xs: number[]): number => quantile(xs, 0.5)
const beyondWhole = (alg: Alg): number =>
  median(boots.map((b) => b.get(`${alg} 1300 read`)! - b.get(`${alg} 4096 read`)!))

describe('twin-eater-512m: decompression from the pagebench zram boots', () => {
  const sc = parseScenario(resolvePreset('twin-eater-512m'))
  const speed = sc.device.cpus[0].speed
  it('nine boots, every algorithm read back at R = 1,300 and 4,096', () => {
    expect(boots.length).toBe(9)
    for (const b of boots)
      for (const alg of ALGS)
        for (const r of [1300, 4096]) expect(b.has(`${alg} ${r} read`)).toBe(true)
  })
  it("in the guest lz4 decompresses an eater page faster than lzo-rle, against the native table's order", () => {
    expect(beyondWhole('lz4')).toBeLessThan(1.5)
    expect(beyondWhole('lzo-rle')).toBeGreaterThan(3)
    expect(decomp_cost('lz4', CONTENT_PARTIAL, 1296)).toBeGreaterThan(
      5 * decomp_cost('lzo-rle', CONTENT_PARTIAL, 1296)
    )
  })
  it('decomp_scale makes the model read an eater page that much longer than a whole page', () => {
    for (const alg of ALGS) {
      const model =
        (decomp_cost(alg, CONTENT_PARTIAL, 1296) * sc.costs.decomp_scale[alg] - ZRAM_HUGE_READ_NS) /
        speed /
        1000
      // the scales keep two digits
      expect([alg, Math.abs(model - beyondWhole(alg)) < 0.15]).toEqual([alg, true])
    }
  })
})
