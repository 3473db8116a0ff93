import { describe, expect, it } from 'vitest'
import { TWIN_CONFIGS, TWIN_SEEDS, boots, evidenceLines } from './twin'
import { mean } from '../../src/shared/stats'
import { applySets, resolvePreset, runSimulationSync } from '../../src/sim'
import type { Thread } from '../../src/sim/cpu/thread'

/*
 * The guest's scheduler beside two CPU hogs (twin-hog2-sched.txt, scripts/twin/sched_trace.ts):
 * where kswapd and the eater run, and who moves them.
 */
interface TraceBoot {
  name: string
  corun: number
  shared: number
  lb: Record<string, number>
  wake: Record<string, number>
  eater_D: number
  eater_D_by_kswapd: number
  eater_D_median_ms: number
  turns: Record<string, number>
  double_turns: Record<string, number>
  kthread_before_double: number
  kthread_before_any: number
}

const counts = (s: string): Record<string, number> =>
  Object.fromEntries(s.split(',').map((kv) => [kv.split(':')[0], Number(kv.split(':')[1])]))

const traceBoots: TraceBoot[] = evidenceLines('twin-hog2-sched.txt', 'st_').map(({ name, f }) => ({
  name,
  corun: Number(f.corun),
  shared: Number(f.shared),
  lb: counts(f.migrations_lb),
  wake: counts(f.migrations_wake),
  eater_D: Number(f.eater_D),
  eater_D_by_kswapd: Number(f.eater_D_woken_by_kswapd),
  eater_D_median_ms: Number(f.eater_D_median_ms),
  turns: counts(f.turns),
  double_turns: counts(f.double_turns),
  kthread_before_double: Number(f.kthread_before_double),
  kthread_before_any: Number(f.kthread_before_any)
}))
const hog2 = traceBoots.filter((b) => b.name.startsWith('st_hog2'))
/** The boot beside a busy host (its wall time 65 s against 20–27 s). */
const BUSY_HOST = 'st_hog2_1'
const doubleShare = (b: TraceBoot, task: string) => b.double_turns[task] / b.turns[task]

/**
 * The model's turns on each CPU from its accounting (Scheduler.onBurst): per thread, how many
 * turns it took between turns of another of kswapd, the eater and the hogs, and how many of them
 * lasted two ticks.
 */
function modelTurns(seed: number): { turns: number; double: number } {
  const c = TWIN_CONFIGS.find((x) => x.id === 'hog2')!
  const sc = applySets(resolvePreset('twin-eater-512m'), c.sets)
  const main = (t: Thread) => /^(kswapd|memory_eater|hog)/.test(t.name)
  const last: { t: Thread | null; start: number; end: number }[] = []
  let turns = 0
  let double = 0
  runSimulationSync(
    sc,
    {},
    {
      seed,
      inspect: (k) => {
        if (k.sched.onBurst) return
        k.sched.onBurst = (core, t, start, end) => {
          const l = (last[core.id] ??= { t: null, start: 0, end: 0 })
          if (l.t === t && start - l.end < 1000) {
            l.end = end
            return
          }
          if (l.t && main(l.t) && main(t) && l.t !== t) {
            turns++
            if (Math.abs(l.end - l.start - 8e6) < 0.6e6) double++
          }
          Object.assign(l, { t, start, end })
        }
      }
    }
  )
  return { turns, double }
}
const ref = traceBoots.filter((b) => b.name.startsWith('st_ref'))
const hogsOnly = traceBoots.filter((b) => b.name.startsWith('st_hog4only'))

/**
 * A hog2 run of the model: the share of kswapd's running time during which the eater ran too
 * (the trace's corun), and the eater's CPU time at its peak.
 */
function modelCorun(seed: number): { corun: number; eater_cpu_s: number } {
  const c = TWIN_CONFIGS.find((x) => x.id === 'hog2')!
  const sc = applySets(resolvePreset('twin-eater-512m'), c.sets)
  const spans: Record<string, [number, number][]> = { kswapd: [], eater: [] }
  const r = runSimulationSync(
    sc,
    {},
    {
      seed,
      inspect: (k) => {
        if (k.sched.onBurst) return
        k.sched.onBurst = (_core, t, start, end) => {
          const who = t.name.startsWith('kswapd')
            ? 'kswapd'
            : t.name === 'memory_eater'
              ? 'eater'
              : ''
          if (!who) return
          const last = spans[who].at(-1)
          if (last && last[1] === start) last[1] = end
          else spans[who].push([start, end])
        }
      }
    }
  )
  const [k, e] = [spans.kswapd, spans.eater]
  let both = 0
  for (let i = 0, j = 0; i < k.length && j < e.length;) {
    both += Math.max(0, Math.min(k[i][1], e[j][1]) - Math.max(k[i][0], e[j][0]))
    if (k[i][1] < e[j][1]) i++
    else j++
  }
  const kswapd = k.reduce((a, [s, t]) => a + t - s, 0)
  return { corun: both / kswapd, eater_cpu_s: r.derived.eater_cpu_s }
}
const CORUN_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8]
let corunRuns: ReturnType<typeof modelCorun>[] | null = null
/** modelCorun() over CORUN_SEEDS, run once for the tests that read it. */
const corunSeeds = () => (corunRuns ??= CORUN_SEEDS.map(modelCorun))

describe('twin: the scheduler beside two CPU hogs (trace=2 boots)', () => {
  it('the load balancer moves the eater and the hogs between the vCPUs; kswapd mostly stays', () => {
    expect([hog2.length, ref.length]).toEqual([6, 2])
    for (const b of hog2) {
      expect(b.lb.eater).toBeGreaterThanOrEqual(9)
      expect(b.lb.hog).toBeGreaterThanOrEqual(15)
      expect(b.lb.kswapd0 + b.wake.kswapd0).toBeLessThanOrEqual(2)
      expect(b.wake.eater + b.wake.hog).toBe(0)
    }
    for (const b of ref) expect(b.lb.eater + b.lb.kswapd0).toBeLessThanOrEqual(1)
  })
  it('kswapd and the eater mostly run on separate vCPUs, each beside a hog, in turns as chance has them', () => {
    expect(hog2.filter((b) => b.shared < 0.06).length).toBe(5)
    for (const b of hog2) {
      expect(b.shared).toBeLessThan(0.4)
      expect(b.corun).toBeGreaterThan(0.3)
      expect(b.corun).toBeLessThan(0.6)
      // every one ended by kswapd within a tick or so: a writer of the anon_vma lock waiting for
      // kswapd, switched out by its hog inside an rmap walk, would sleep so
      expect(b.eater_D).toBeGreaterThanOrEqual(11)
      expect(b.eater_D_by_kswapd).toBe(b.eater_D)
      expect(b.eater_D_median_ms).toBeLessThan(4)
    }
    // without hogs each has a vCPU of its own: the eater runs during nearly all of kswapd's time
    for (const b of ref) expect(b.corun).toBeGreaterThan(0.9)
  })
  // A task past its deadline switches out at the next tick (4 ms), and two CPU-bound tasks take
  // turns tick by tick; a turn of two ticks shifts one vCPU's turns against the other's. On a quiet
  // host 2.2–3.5% of the hogs' turns last two ticks, 1.6–3.0% of the eater's, kswapd's fewer; the
  // boot beside a busy host gives every task about 20%, as if the host had held the vCPU for a tick.
  // No other thread ran on the vCPU before them more often than before any turn, and four hogs
  // alone, in user mode throughout, take double turns too (0.6% and 1.5%): the emulation's part.
  it('some turns last two ticks, more of them with a busy host, some with hogs alone', () => {
    for (const b of hog2.filter((x) => x.name !== BUSY_HOST)) {
      expect(doubleShare(b, 'hog')).toBeGreaterThan(0.02)
      expect(doubleShare(b, 'hog')).toBeLessThan(0.04)
      expect(doubleShare(b, 'eater')).toBeGreaterThan(0.015)
      expect(doubleShare(b, 'eater')).toBeLessThan(doubleShare(b, 'hog'))
      expect(doubleShare(b, 'kswapd0')).toBeLessThan(doubleShare(b, 'eater'))
    }
    const busy = hog2.find((x) => x.name === BUSY_HOST)!
    for (const task of ['hog', 'eater', 'kswapd0'])
      expect(doubleShare(busy, task)).toBeGreaterThan(0.15)
    for (const b of hog2) expect(b.kthread_before_double).toBeLessThanOrEqual(b.kthread_before_any)
    expect(hogsOnly.length).toBe(2)
    for (const b of hogsOnly) {
      expect(b.turns.hog).toBeGreaterThan(6000)
      expect(doubleShare(b, 'hog')).toBeGreaterThan(0.005)
      expect(doubleShare(b, 'hog')).toBeLessThan(0.02)
    }
  })
  // The model has both: the guest kernel's CONFIG_PREEMPT_VOLUNTARY (kernel.preempt) and the
  // emulation's lost ticks at the rate the hogs alone show (device.lost_tick_pct 1.04).
  it('the model’s tasks take a double turn now and then, as the guest’s do', () => {
    for (const seed of TWIN_SEEDS) {
      const { turns, double } = modelTurns(seed)
      expect(turns).toBeGreaterThan(1000)
      expect(double / turns).toBeGreaterThan(0.01)
      expect(double / turns).toBeLessThan(0.05)
    }
  })
  // Host A's boots: seven apart, six beside (below).
  it('the model’s kswapd and eater run apart in some seeds and beside in others, and apart co-run as the guest’s do', () => {
    const runs = corunSeeds()
    const apart = runs.filter((r) => r.corun > 0.3)
    const beside = runs.filter((r) => r.corun < 0.05)
    expect(apart.length).toBeGreaterThanOrEqual(3)
    expect(beside.length).toBeGreaterThanOrEqual(3)
    // the guest's apart boots: 0.42-0.54 (0.3-0.6 above)
    for (const r of apart) expect(r.corun).toBeLessThan(0.6)
  })
  // Host A's hog2 boots fall in two groups by kswapd's CPU time: six at 1.63-1.92 s (beside the
  // eater, no flushes: as the DEBUG_TLBFLUSH boots with 8-11 flushes) and seven at 2.22-2.90 s
  // (apart, sending flushes). The model's seeds of each regime spend about 0.8 s less eater CPU
  // than the boots of the same regime, as at one vCPU (docs/twin.md): the gap is not the mix of
  // regimes.
  it.fails(
    'in each regime the model’s eater spends the CPU time of host A’s boots of that regime',
    () => {
      const hostA = boots('hog2').map((b) => ({
        kswapd_cpu_s: Number(b.kswapd_cpu_s),
        eater_cpu_s: Number(b.eater_cpu_s)
      }))
      const runs = corunSeeds()
      for (const [model, real] of [
        [runs.filter((r) => r.corun < 0.05), hostA.filter((b) => b.kswapd_cpu_s < 2)],
        [runs.filter((r) => r.corun > 0.3), hostA.filter((b) => b.kswapd_cpu_s > 2)]
      ] as const) {
        expect(real.length).toBeGreaterThanOrEqual(6)
        const eater = mean(model.map((r) => r.eater_cpu_s))
        expect(eater).toBeGreaterThan(Math.min(...real.map((b) => b.eater_cpu_s)))
      }
    }
  )
  it('the model’s balancer moves the eater and the hogs too; kswapd mostly stays', () => {
    const c = TWIN_CONFIGS.find((x) => x.id === 'hog2')!
    const sc = applySets(resolvePreset('twin-eater-512m'), c.sets)
    for (const seed of TWIN_SEEDS) {
      let threads: Thread[] = []
      runSimulationSync(sc, {}, { seed, inspect: (k) => (threads = k.sched.threads) })
      const moves = (name: string) =>
        threads.filter((t) => t.name.startsWith(name)).reduce((a, t) => a + t.nr_migrations, 0)
      expect(moves('memory_eater')).toBeGreaterThanOrEqual(2)
      expect(moves('hog')).toBeGreaterThanOrEqual(8)
      expect(moves('kswapd')).toBeLessThanOrEqual(2)
    }
  })
})
