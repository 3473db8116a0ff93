import { describe, expect, it } from 'vitest'
import { applySets, resolvePreset, runSimulationSync } from '../../src/sim'
import type { SampleBatch } from '../../src/sim'
import { runCommand } from '../../src/cli/commands/run'
import type { CliIO } from '../../src/cli/io'

const EATER = [
  'duration_s=3',
  'sample_interval_ms=250',
  'workload.eat_mb=3072',
  'device.mem_mb_per_node=2048',
  'device.swap.zram.disksize_mb=1024',
  'check_invariants=true'
]
const VARIANTS = ['v1', 'proto', 'v2', 'zram_async', 'unofficial', 'custom']

describe('variants in whole runs (checked mode)', () => {
  for (const v of VARIANTS) {
    it(`${v}: invariants hold, variant series and metrics are produced`, () => {
      const batches: SampleBatch[] = []
      const r = runSimulationSync(
        applySets(resolvePreset('memory-eater'), EATER),
        { samples: (b) => batches.push(b) },
        { seed: 2, variant: v }
      )
      expect(r.variant).toBe(v)
      expect(r.derived.kcompressd_queued).toBeGreaterThan(0)
      const depth = batches.flatMap((b) => b.series.kcompressd_queue_depth)
      expect(depth.length).toBe(batches.reduce((a, b) => a + b.t_s.length, 0))
      expect(batches[0].series.kcompressd0_cpu_pct).toBeDefined()
      if (v !== 'proto') expect(r.derived.kcompressd0_cpu_pct).toBeGreaterThan(0)
    })
  }

  it('zswap (server) with v2 and unofficial: invariants hold, zswpout counted by kcompressd', () => {
    for (const v of ['v2', 'unofficial']) {
      const sc = applySets(resolvePreset('server-zswap-build'), [
        'duration_s=6',
        'sample_interval_ms=500',
        'device.mem_mb_per_node=512',
        'workload.jobs=8',
        'check_invariants=true'
      ])
      const r = runSimulationSync(sc, {}, { seed: 3, variant: v })
      expect(r.vmstat.zswpout).toBeGreaterThan(0)
    }
  })

  it('same seed → identical result; baseline ignores knobs (with a warning)', () => {
    const sc = applySets(resolvePreset('twin-eater-512m'), ['duration_s=3'])
    const a = runSimulationSync(sc, {}, { seed: 4, variant: 'v2' })
    const b = runSimulationSync(sc, {}, { seed: 4, variant: 'v2' })
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
    const base = runSimulationSync(sc, {}, { seed: 4 })
    const knobbed = runSimulationSync(applySets(sc, ['variant.queue_size=3']), {}, { seed: 4 })
    expect(knobbed.vmstat).toEqual(base.vmstat)
    expect(knobbed.warnings.join()).toMatch(/ignored by baseline/)
  })

  it('the CLI table shows the variant metrics', async () => {
    const out: string[] = []
    const io: CliIO = { stdout: (s) => out.push(s), stderr: () => {}, writeFile: () => {} }
    const args = ['--preset', 'twin-eater-512m', '--set', 'duration_s=3', '--variant', 'v2']
    expect(await runCommand([...args, '--seeds', '1-2', '--format', 'table'], io)).toBe(0)
    const t = out.join('')
    for (const m of [
      'kcompressd_queue_depth_mean',
      'kcompressd_queue_depth_max',
      'kcompressd_queue_full',
      'kcompressd0_cpu_pct',
      'kcompressd_folios_kept',
      'kcompressd_rescanned_done',
      'kcompressd_stuck_locked',
      'kcompressd_fault_waits'
    ])
      expect(t).toMatch(new RegExp(`^${m} `, 'm'))
  })
})
