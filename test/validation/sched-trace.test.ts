import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { TWIN_CONFIGS, TWIN_SEEDS } from './twin'
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
}

const counts = (s: string): Record<string, number> =>
  Object.fromEntries(s.split(',').map((kv) => [kv.split(':')[0], Number(kv.split(':')[1])]))

const traceBoots: TraceBoot[] = readFileSync(
  new URL('./twin-hog2-sched.txt', import.meta.url),
  'utf8'
)
  .split('\n')
  .filter((l) => l.startsWith('st_'))
  .map((l) => {
    const f = Object.fromEntries(
      l
        .split(' ')
        .slice(1)
        .map((kv) => kv.split('='))
    )
    return {
      name: l.split(' ')[0],
      corun: Number(f.corun),
      shared: Number(f.shared),
      lb: counts(f.migrations_lb),
      wake: counts(f.migrations_wake),
      eater_D: Number(f.eater_D),
      eater_D_by_kswapd: Number(f.eater_D_woken_by_kswapd),
      eater_D_median_ms: Number(f.eater_D_median_ms)
    }
  })
const hog2 = traceBoots.filter((b) => b.name.startsWith('st_hog2'))
const ref = traceBoots.filter((b) => b.name.startsWith('st_ref'))

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
