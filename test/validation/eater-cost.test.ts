import { describe, expect, it } from 'vitest'
import { applySets, resolvePreset, runSimulationSync } from '../../src/sim'
import { mean, pairedT, quantile } from '../../src/shared/stats'
import { CONTENT_PARTIAL } from '../../src/sim/mm/types'
import { Compressor } from '../../src/sim/mm/compress'
import { parseScenario } from '../../src/shared/scenario/schema'
import { TWIN_CONFIGS, TWIN_SEEDS, evidenceLines, modelRuns } from './twin'

/*
 * Where the eater's CPU time goes when it shares its vCPU, where the model's eater spends 0.7-0.9 s
 * less than the guest's (docs/twin.md): inside direct reclaim or outside it (twin-direct-time.txt,
 * traced boots), whether a fault below the low watermark costs more (twin-slowpath.txt), and what
 * a swap-in costs against a reclaim (twin-swapin.txt).
 */
const oneCpu = evidenceLines('twin-direct-time.txt', 'dr_')
  .filter(({ f }) => f.config === 'smp1' || f.config === 'smp1hog1')
  .map(({ f }) => ({
    run: Number(f.eater_run_s),
    direct: Number(f.eater_direct_run_s),
    calls: Number(f.direct_calls),
    reclaimed: Number(f.direct_reclaimed),
    /** Per 64 MiB the eater allocated: its running time outside direct reclaim, µs a page. */
    perPage: f.nondirect_us_per_page.split(',').map(Number)
  }))

/** The model's eater at one vCPU: its CPU time, and the part with PF_MEMALLOC set (in direct reclaim). */
function modelEater(seed: number) {
  const c = TWIN_CONFIGS.find((x) => x.id === 'smp1')!
  let direct = 0
  const r = runSimulationSync(
    applySets(resolvePreset('twin-eater-512m'), c.sets),
    {},
    {
      seed,
      inspect: (k) => {
        if (k.sched.onBurst) return
        k.sched.onBurst = (_core, t, start, end) => {
          if (t.name === 'memory_eater' && t.pf_memalloc) direct += end - start
        }
      }
    }
  )
  return {
    cpu: r.derived.eater_cpu_s,
    direct: direct / 1e9,
    calls: r.vmstat.allocstall_movable,
    reclaimed: r.vmstat.pgsteal_direct
  }
}
let eaterRuns: ReturnType<typeof modelEater>[] | null = null
/** modelEater() over TWIN_SEEDS, run once for the tests that read it. */
const modelSmp1 = () => (eaterRuns ??= TWIN_SEEDS.map(modelEater))

describe('twin: where the eater’s CPU time goes at one vCPU', () => {
  it('the model’s eater reclaims directly about as often and as much as the traced guest’s', () => {
    expect(oneCpu.length).toBe(3)
    const model = modelSmp1()
    for (const b of oneCpu) {
      // guest 531–539 stalls, 30.1–30.6k pages; the model 563–572 and 32.2–32.7k (5–8% more)
      expect(Math.abs(b.calls / mean(model.map((m) => m.calls)) - 1)).toBeLessThan(0.08)
      expect(Math.abs(b.reclaimed / mean(model.map((m) => m.reclaimed)) - 1)).toBeLessThan(0.08)
    }
  })

  it('the guest’s eater spends a smaller share of its CPU in direct reclaim: the missing time is outside it', () => {
    // guest 32-37%, the model 43-45%: if the model's direct reclaim cost the guest's, the guest
    // would spend more outside it than the model's whole shortfall
    const model = modelSmp1()
    for (const m of model) expect(m.direct / m.cpu).toBeGreaterThan(0.42)
    for (const b of oneCpu) {
      expect(b.direct / b.run).toBeGreaterThan(0.3)
      expect(b.direct / b.run).toBeLessThan(0.38)
    }
  })

  it('faults into frames reclaim has freed cost the guest less than its first touch of fresh frames', () => {
    // 256-448 MiB: fresh frames before any reclaim; 512-640 MiB: frames kswapd and the eater
    // freed. The host backs guest memory on its first touch, and on this host that first touch
    // grew dearer as more was touched (9-10 µs a page in the first 64 MiB of the smp1 boots,
    // 20-42 µs by 256-448 MiB). The model charges every fault the first 256 MiB's cost.
    expect(oneCpu.length).toBe(3)
    for (const { perPage: w } of oneCpu) {
      expect(w.length).toBe(10)
      const fresh = mean(w.slice(4, 7))
      const recycled = mean(w.slice(8, 10))
      expect(recycled).toBeLessThan(0.8 * fresh)
    }
  })

  it('the model does not under-charge the eater’s swap-ins', () => {
    // The guest: a swap-in from zram costs 0.38-0.81 of a reclaim of the same page (median of nine
    // rounds in three boots), so about 0.57 × 24.0 µs at host A's speed, where the preset's speed
    // comes from (a reclaim of an eater page in 24.0 µs is 3,401 reference ns).
    const rounds = evidenceLines('twin-swapin.txt', 'si_').map(({ f }) => ({
      pageout: Number(f.pageout_ns),
      swapin: Number(f.swapin_ns)
    }))
    expect(rounds.length).toBe(9)
    const ratio = quantile(
      rounds.map((r) => r.swapin / r.pageout),
      0.5
    )
    expect(ratio).toBeGreaterThan(0.45)
    expect(ratio).toBeLessThan(0.7)
    const sc = parseScenario(resolvePreset('twin-eater-512m'))
    const lz4 = new Compressor('lz4', sc.costs.comp_scale.lz4, sc.costs.decomp_scale.lz4)
    const swapin_ns = sc.costs.fault_swapin_ns + lz4.decompress_ns(CONTENT_PARTIAL, 1296)
    const speed = sc.device.cpus[0].speed
    // the model's swap-in of an eater page, in guest µs, is dearer than the guest's
    expect(swapin_ns / speed / 1000).toBeGreaterThan(ratio * 24.0)
  })

  it('a fault below the low watermark costs no significantly more than above it', () => {
    const pairs = evidenceLines('twin-slowpath.txt', 'sp_').map(({ f }) => ({
      above: Number(f.above_ns),
      below: Number(f.below_ns)
    }))
    expect(pairs.length).toBe(15)
    const t = pairedT(
      pairs.map((p) => p.above),
      pairs.map((p) => p.below)
    )
    expect(t.p).toBeGreaterThan(0.05)
    // at most 4.1 µs a fault on a host that runs the guest twice as slowly as host A or more:
    // under 2 µs there, 0.3 s over the eater's 164k faults even if every one took the slow path
    expect(t.diff.hi).toBeLessThan(4100)
  })

  // Without the host's first touch (-mem-prealloc) the guest's eater at one vCPU still spends 55%
  // of its reference CPU (this host without prealloc 52%, host A 59%); the model's spends 44%.
  // The first touch is not what the model misses at one vCPU.
  it.fails(
    'under -mem-prealloc the eater at one vCPU keeps the guest’s share of its reference CPU',
    () => {
      const boots = evidenceLines('twin-prealloc.txt', 'pa_').map(({ f }) => ({
        config: f.config,
        cpu: Number(f.eater_cpu_s)
      }))
      const guest = (c: string) => mean(boots.filter((b) => b.config === c).map((b) => b.cpu))
      const ratio = guest('smp1') / guest('ref')
      expect(ratio).toBeGreaterThan(0.5)
      const model = (c: string) => mean(modelRuns(c).map((r) => r.derived.eater_cpu_s))
      expect(model('smp1') / model('ref')).toBeGreaterThan(ratio - 0.05)
    }
  )
})
