import { describe, expect, it } from 'vitest'
import { applySets, presets, resolvePreset, runSimulationSync } from '../../src/sim'
import type { SampleBatch } from '../../src/sim'
import type { Kernel } from '../../src/sim/kernel'
import { checkInvariants } from '../../src/sim/invariants'

/** Each preset, shortened, in checked mode: conservation, monotonic counters, pgsteal ≤ pgscan. */
const SHORT: Record<string, string[]> = {
  'phone-8g-appswitch': [
    'duration_s=14',
    'sample_interval_ms=500',
    'workload.apps=12',
    'workload.prelaunch_apps=12',
    'device.mem_mb_per_node=3072'
  ],
  'memory-eater': [
    'duration_s=3',
    'sample_interval_ms=250',
    'workload.eat_mb=3072',
    'device.mem_mb_per_node=2048',
    'device.swap.zram.disksize_mb=1024'
  ],
  'server-zswap-build': [
    'duration_s=6',
    'sample_interval_ms=500',
    'device.mem_mb_per_node=512',
    'workload.jobs=8'
  ],
  'single-cpu': [
    'duration_s=8',
    'sample_interval_ms=250',
    'device.mem_mb_per_node=512',
    'workload.eat_mb=800',
    'workload.rate_mb_s=200'
  ],
  'twin-eater-512m': ['sample_interval_ms=200']
}

describe('invariants on every preset', () => {
  it('covers every preset', () => {
    expect(Object.keys(SHORT).sort()).toEqual(presets.map((p) => p.name).sort())
  })
  for (const p of presets) {
    it(`${p.name}: pages conserved, counters monotonic, pgsteal ≤ pgscan, free ≥ 0`, () => {
      const sc = applySets(resolvePreset(p.name), [...SHORT[p.name], 'check_invariants=true'])
      const batches: SampleBatch[] = []
      const r = runSimulationSync(sc, { samples: (b) => batches.push(b) }, { seed: 3 })
      const free = batches.flatMap((b) => b.series.nr_free_pages)
      expect(free.length).toBeGreaterThan(5)
      expect(Math.min(...free)).toBeGreaterThanOrEqual(0)
      for (const c of ['pgscan_kswapd', 'pgsteal_kswapd', 'pswpout', 'allocstall_movable']) {
        const s = batches.flatMap((b) => b.series[c])
        for (let i = 1; i < s.length; i++) expect(s[i]).toBeGreaterThanOrEqual(s[i - 1])
      }
      const v = r.vmstat
      expect(v.pgsteal_kswapd).toBeLessThanOrEqual(v.pgscan_kswapd)
      expect(v.pgsteal_direct).toBeLessThanOrEqual(v.pgscan_direct)
      // The preset must exercise reclaim, or the checks above prove little.
      expect(v.pgscan_kswapd + v.pgscan_direct).toBeGreaterThan(1000)
    })
  }
  for (const name of ['phone-8g-appswitch', 'memory-eater']) {
    it(`${name} with MGLRU: pages conserved, generation sizes match their lists`, () => {
      const sc = applySets(resolvePreset(name), [
        ...SHORT[name],
        'kernel.lru_gen.enabled=true',
        'check_invariants=true'
      ])
      let k: Kernel | undefined
      const r = runSimulationSync(sc, {}, { seed: 3, inspect: (x) => (k = x) })
      checkInvariants(k!, undefined, true)
      const g = k!.pgdats[0].lruvec.lrugen!
      expect(g.nr_aging).toBeGreaterThan(0)
      expect(r.vmstat.pgsteal_kswapd + r.vmstat.pgsteal_direct).toBeGreaterThan(1000)
    })
  }
})
