import { describe, expect, it } from 'vitest'
import { applySets, resolvePreset, runSimulationSync } from '../../src/sim'
import { TWIN_SEEDS, evidenceLines, modelRuns } from './twin'

/*
 * Fallbacks between Movable and Unmovable pageblocks in two twin boots traced with trace=1
 * (test/validation/twin-boost-evidence.txt, FALLBACKS lines; docs/twin.md, "Watermark boosts").
 */
const fallbacks = (boot: string) => {
  const line = evidenceLines('twin-boost-evidence.txt', 'FALLBACKS').find((l) => boot in l.f)!
  return Object.fromEntries(Object.entries(line.f).map(([k, v]) => [k, Number(v)]))
}

describe('twin: Unmovable allocations after boot (page tables, slab)', () => {
  // The guest's eater claims an order-10 chunk with its first page table; the model's page tables
  // use the boot's pool first and fall back when memory runs out (0.71 s): a claim, a steal, a claim.
  it('at the reference they fall back into Movable pageblocks a few times a run, mostly claiming a block', () => {
    const guest = fallbacks('xf_ref_1')
    expect([guest.unmovable_fallbacks, guest.unmovable_claims]).toEqual([3, 3])
    for (const r of modelRuns('ref')) {
      expect(r.derived.unmovable_fallbacks).toBeGreaterThanOrEqual(1)
      expect(r.derived.unmovable_fallbacks).toBeLessThanOrEqual(5)
      expect(r.derived.unmovable_steals).toBeLessThan(r.derived.unmovable_fallbacks / 2)
      // The claims of partly free blocks boost, as the Movable side's claims do.
      expect(r.derived.watermark_boosts).toBeGreaterThan(0)
    }
  })
  // At one vCPU the guest's eater stole 49 frames in one burst, a refill of its per-CPU Unmovable
  // list. The model refills such a list too, but its page tables and handles never use up the
  // order-10 chunk its first fallback claims (1 fallback a run): the guest's Unmovable memory
  // (other slab caches, claims taken back by Movable refills) runs out three times.
  it.fails('at one vCPU they steal frames in bursts — NOT reproduced', () => {
    expect(fallbacks('xf_smp1_1').unmovable_fallbacks).toBe(52)
    for (const r of modelRuns('smp1')) expect(r.derived.unmovable_steals).toBeGreaterThan(10)
  })
})

/*
 * Eight pairs of reference boots, one of each pair with vm.watermark_boost_factor=0
 * (twin-boost-evidence.txt, WBF lines). wbf15000_6 ran on a busy host and is left out.
 */
describe('twin: the eater without watermark boosts', () => {
  const boots = evidenceLines('twin-boost-evidence.txt', 'WBF')
    .filter((l) => !('wbf15000_6' in l.f))
    .map((l) => Object.fromEntries(Object.entries(l.f).map(([k, v]) => [k, Number(v)])))
  const boosted = boots.filter((b) => b.watermark_boost_factor === 15000)
  const flat = boots.filter((b) => b.watermark_boost_factor === 0)
  /** Direct reclaim swept the young inactive list: scanned over twice what it reclaimed. */
  const swept = (scanned: number, reclaimed: number) => scanned > 2 * reclaimed
  const flatRuns = () =>
    TWIN_SEEDS.map((seed) =>
      runSimulationSync(
        applySets(resolvePreset('twin-eater-512m'), ['kernel.vm.watermark_boost_factor=0']),
        {},
        { seed }
      )
    )

  it('is throttled still: the boosts are not what throttles it', () => {
    const mean = (bs: Record<string, number>[]) =>
      bs.reduce((s, b) => s + b.pgscan_direct_throttle, 0) / bs.length
    expect([boosted.length, flat.length]).toEqual([7, 8])
    // Throttled in 7 of 8 boots without boosts (0–11 times, mean 4.9), 7 of 7 with (1–3, mean 2).
    expect(flat.filter((b) => b.pgscan_direct_throttle > 0)).toHaveLength(7)
    expect(mean(flat)).toBeGreaterThan(mean(boosted))
    // The model's eater: 0–2 times a run without boosts, in two of four seeds.
    const runs = flatRuns()
    for (const r of runs) expect(r.derived.watermark_boosts).toBe(0)
    expect(runs.filter((r) => r.vmstat.pgscan_direct_throttle > 0).length).toBeGreaterThanOrEqual(2)
  })

  // The guest's eater sweeps in 3 of 8 boots without boosts and 2 of 7 with them; the model's in 3
  // of 4 seeds without and none with: in the model the boosts decide it, in the guest they do not.
  it.fails('sweeps as often with boosts as without them — NOT reproduced', () => {
    const sweeps = (bs: Record<string, number>[]) =>
      bs.filter((b) => swept(b.pgscan_direct, b.pgsteal_direct)).length
    expect([sweeps(flat), sweeps(boosted)]).toEqual([3, 2])
    const model = (rs: ReturnType<typeof flatRuns>) =>
      rs.filter((r) => swept(r.vmstat.pgscan_direct, r.vmstat.pgsteal_direct)).length
    expect(Math.abs(model(flatRuns()) - model(modelRuns('ref')))).toBeLessThanOrEqual(1)
  })
})
