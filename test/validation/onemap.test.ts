import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { applySets, resolvePreset, runSimulationSync } from '../../src/sim'
import { mean, welchT } from '../../src/shared/stats'
import {
  MIN_CHANGE,
  TWIN_CONFIGS,
  TWIN_METRICS,
  TWIN_SEEDS,
  modelRuns,
  type TwinBoot
} from './twin'

/*
 * The eater's mmap() per MiB and reclaim's rmap lock (docs/twin.md, "The eater's mappings"): boots
 * of the twin guest with the eater as always (`_d`) and with one mapping for everything (`_o`,
 * eater.c ONE_MAP, the init's onemap=1), in interleaved rounds on one host, December 7; beside the
 * model's twin-eater-512m with workload.one_mapping. Each merge of a new MiB into the eater's VMA
 * takes its anon_vma's lock as a writer; a reclaimer switched out inside rmap_walk_anon() holds it
 * as a reader, and while the writer waits every rmap walk of the eater's memory fails its trylock.
 */
const BOOTS: TwinBoot[] = JSON.parse(
  readFileSync(new URL('./twin-onemap.json', import.meta.url), 'utf8')
) as TwinBoot[]
const scanPerSteal = TWIN_METRICS.find((m) => m.key === 'pgscan_anon_per_pgsteal_anon')!

const real = (config: string): number[] =>
  BOOTS.filter((b) => b.config === config).map(scanPerSteal.real)

function model(config: string, oneMapping: boolean, seeds = TWIN_SEEDS): number[] {
  const c = TWIN_CONFIGS.find((x) => x.id === config)!
  const sets = oneMapping ? [...c.sets, 'workload.one_mapping=true'] : c.sets
  const sc = applySets(resolvePreset('twin-eater-512m'), sets)
  return seeds.map((seed) => scanPerSteal.model(runSimulationSync(sc, {}, { seed })))
}
const oneMapping = (config: string): number[] => model(config, true)

/** One mapping's change against the eater as always: -1, 0 or 1 (Welch at 5% and MIN_CHANGE). */
function realDirection(config: string): number {
  const w = welchT(real(`${config}_d`), real(`${config}_o`))
  const base = mean(real(`${config}_d`))
  if (!(w.p < 0.05) || Math.abs(w.diff.estimate) < MIN_CHANGE * base) return 0
  return Math.sign(w.diff.estimate)
}
function modelDirection(config: string, seeds = TWIN_SEEDS): number {
  const base = mean(model(config, false, seeds))
  const rel = mean(model(config, true, seeds)) / base - 1
  return Math.abs(rel) <= MIN_CHANGE ? 0 : Math.sign(rel)
}

describe('twin: the eater mapping everything at once instead of one mmap() per MiB', () => {
  it('scans fewer pages per page stolen on one vCPU, alone or beside a CPU hog', () => {
    expect(mean(real('smp1_d'))).toBeCloseTo(3.37, 2)
    expect(mean(real('smp1_o'))).toBeCloseTo(2.87, 2)
    for (const config of ['smp1', 'smp1hog1'])
      expect([config, 'real', realDirection(config)]).toEqual([config, 'real', -1])
    // The model's four seeds beside a hog: 3.14 a page per MiB mapping, 2.96 with one.
    expect(modelDirection('smp1hog1')).toBe(-1)
  })
  // Alone, whether the model's kswapd is still sweeping when the eater exits decides the figure:
  // per MiB mapping 3.09–3.40 where it sweeps at priority 1 and 2.48–2.70 where it is asleep, one
  // mapping 2.94–2.99 and 2.68 (priority 2, never asleep); over seeds 1–12 2.84 against 2.85.
  it.fails('the model scans fewer on one vCPU alone too — NOT reproduced', () => {
    expect(modelDirection('smp1')).toBe(-1)
  })
  it('changes nothing at the reference, where no reclaimer is switched out inside the lock', () => {
    expect(realDirection('ref')).toBe(0)
    expect(oneMapping('ref')).toEqual(modelRuns('ref').map(scanPerSteal.model))
  })
  // With two vCPUs and two hogs the lock explains little in the guest (2.91 → 2.82, −3%, no
  // direction); the model's eater waits for it in some seeds only. Whether kswapd is still
  // sweeping when the eater exits (and then scans ~48k pages it must keep) differs from seed to
  // seed (2.5–3.3 a page), so the model's twelve seeds get the boots' test: Welch at 5% (its
  // change about −4.5%, not significant).
  it('makes no clear difference beside two CPU hogs on two vCPUs', () => {
    expect(realDirection('hog2')).toBe(0)
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    const perMiB = model('hog2', false, seeds)
    const w = welchT(perMiB, model('hog2', true, seeds))
    expect(w.p).toBeGreaterThan(0.05)
    expect(Math.abs(w.diff.estimate) / mean(perMiB)).toBeLessThan(0.08)
  })
})

/*
 * What is left of the rise with one mapping happens while the eater exits: eater.c dumps
 * /proc/vmstat after its passes, and the init reads it again once the eater is gone
 * (test/validation/twin-exit-probe.json, series pk, December 7).
 */
const PROBE: TwinBoot[] = JSON.parse(
  readFileSync(new URL('./twin-exit-probe.json', import.meta.url), 'utf8')
) as TwinBoot[]
const probe = (config: string): TwinBoot[] => PROBE.filter((b) => b.config === config)
const toPeak = (b: TwinBoot): number =>
  Number(b.pgscan_anon_to_peak) / Number(b.pgsteal_anon_to_peak)

describe('twin: the scans after the eater’s passes, while it exits', () => {
  it('with one mapping, one vCPU scans per page stolen as the reference does until the eater exits', () => {
    const ref = mean(probe('ref').map(toPeak))
    expect(Math.abs(mean(probe('smp1o').map(toPeak)) / ref - 1)).toBeLessThan(MIN_CHANGE)
    // one mmap() per MiB: the lock's share comes before the exit
    expect(mean(probe('smp1d').map(toPeak)) / ref - 1).toBeGreaterThan(0.08)
  })
  it('the boots that end near 3.0 scanned 20–50k pages after the peak and stole almost none', () => {
    for (const b of [...probe('smp1o'), ...probe('smp1d')]) {
      const after = Number(b.pgscan_anon) - Number(b.pgscan_anon_to_peak)
      const stolen = Number(b.pgsteal_anon) - Number(b.pgsteal_anon_to_peak)
      if (after > 0) expect(stolen).toBeLessThan(0.02 * after + 100)
    }
    const late = probe('smp1o').filter((b) => scanPerSteal.real(b) > 2.9)
    expect(late.length).toBeGreaterThanOrEqual(2)
    for (const b of late)
      expect(Number(b.pgscan_anon) - Number(b.pgscan_anon_to_peak)).toBeGreaterThan(20_000)
    for (const b of probe('ref'))
      expect(Number(b.pgscan_anon) - Number(b.pgscan_anon_to_peak)).toBeLessThan(5_000)
  })
})
