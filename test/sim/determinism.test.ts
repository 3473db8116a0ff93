import { describe, expect, it } from 'vitest'
import { applySets, resolvePreset, runSimulationSync } from '../../src/sim'

const sets = [
  'duration_s=10',
  'workload.apps=10',
  'workload.prelaunch_apps=10',
  'device.mem_mb_per_node=2560',
  'workload.switch_interval_s=1'
]

describe('determinism', () => {
  const sc = applySets(resolvePreset('phone-8g-appswitch'), sets)
  it('the same seed gives identical JSON; a different seed differs', () => {
    const a = JSON.stringify(runSimulationSync(sc, {}, { seed: 7 }))
    const b = JSON.stringify(runSimulationSync(sc, {}, { seed: 7 }))
    const c = JSON.stringify(runSimulationSync(sc, {}, { seed: 8 }))
    expect(a).toBe(b)
    expect(c).not.toBe(a)
    expect(JSON.parse(a).vmstat.pgscan_kswapd).toBeGreaterThan(0)
  })
  it('sample batches are identical too (columnar)', () => {
    const cols = (seed: number): string => {
      const out: unknown[] = []
      runSimulationSync(sc, { samples: (b) => out.push(b) }, { seed })
      return JSON.stringify(out)
    }
    expect(cols(5)).toBe(cols(5))
  })
  it('does not depend on earlier runs in the same process (including an OOM exit)', () => {
    const oom = {
      device: {
        mem_mb_per_node: 256,
        cpus: [{ class: 'big', count: 2, speed: 1 }],
        swap: { type: 'zram', zram: { disksize_mb: 128 } }
      },
      workload: { type: 'memory_eater', eat_mb: 600, rate_mb_s: 0, content: { zero_pct: 5 } },
      duration_s: 4
    }
    const run = (variant: string): string =>
      JSON.stringify(runSimulationSync(oom, {}, { seed: 3, variant }))
    const first = run('v2')
    expect(JSON.parse(first).derived.oom_kills).toBeGreaterThan(0)
    runSimulationSync(sc, {}, { seed: 7 })
    const afterOther = run('v2')
    const again = run('v2')
    expect(afterOther).toBe(first)
    expect(again).toBe(first)
    expect(run('baseline')).not.toBe(first)
  })
})
