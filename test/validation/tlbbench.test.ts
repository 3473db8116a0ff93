import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { resolvePreset } from '../../src/sim'
import { quantile } from '../../src/shared/stats'

/*
 * The twin preset's TLB flush costs come from the tlbbench boots kept beside this test
 * (docs/twin.md): reclaim's whole-TLB flush for the CPU it interrupts, and the sender's wait for a
 * remote flush, at the preset's CPU speed.
 */
const lines = readFileSync(new URL('./twin-tlbbench.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('TLBBENCH'))
  .map((l) =>
    Object.fromEntries(
      l
        .split(' ')
        .slice(1)
        .map((kv) => kv.split('='))
        .map(([k, v]) => [k, Number(v)])
    )
  )

const median = (xs: number[]): number => quantile(xs, 0.5)

describe('twin-eater-512m: TLB flush costs from the tlbbench boots', () => {
  const preset = resolvePreset('twin-eater-512m') as {
    device: { cpus: { speed: number }[] }
    costs: { tlb_flush_irq_ns: number; tlb_flush_ipi_ns: number }
  }
  const speed = preset.device.cpus[0].speed
  const full = lines.filter((l) => l.zap_pages === 64)
  const one = lines.filter((l) => l.zap_pages === 1)

  it('holds 12 measurements of each kind', () => {
    expect([full.length, one.length]).toEqual([12, 12])
  })
  it('a whole-TLB flush costs the interrupted CPU about three one-page flushes', () => {
    const ratio =
      median(full.map((l) => l.lost_us_per_zap)) / median(one.map((l) => l.lost_us_per_zap))
    expect(ratio).toBeGreaterThan(2.5)
    expect(ratio).toBeLessThan(4)
  })
  it('tlb_flush_irq_ns is the whole-TLB median at the CPU speed', () => {
    const us = median(full.map((l) => l.lost_us_per_zap))
    expect(us).toBeCloseTo(48.87, 2)
    expect(Math.abs(preset.costs.tlb_flush_irq_ns - us * 1000 * speed)).toBeLessThan(10)
  })
  it('tlb_flush_ipi_ns is the sender’s wait per one-page flush at the CPU speed', () => {
    const us = median(one.map((l) => l.zap_us - l.noflush_us))
    expect(us).toBeCloseTo(38.22, 1)
    expect(Math.abs(preset.costs.tlb_flush_ipi_ns - us * 1000 * speed)).toBeLessThan(10)
  })
})
