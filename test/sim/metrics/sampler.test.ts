import { describe, expect, it } from 'vitest'
import { applySets, resolvePreset, runSimulationSync, type SampleBatch } from '../../../src/sim'

function collect(scenario: unknown): {
  result: ReturnType<typeof runSimulationSync>
  series: Record<string, number[]>
} {
  const series: Record<string, number[]> = {}
  const result = runSimulationSync(
    scenario,
    {
      samples: (b: SampleBatch) => {
        for (const [name, values] of Object.entries(b.series)) (series[name] ??= []).push(...values)
      }
    },
    { seed: 1 }
  )
  return { result, series }
}

describe('sampled series', () => {
  it('count app launches and lmkd kills cumulatively, ending at the run totals', () => {
    const { result, series } = collect(
      applySets(resolvePreset('phone-8g-appswitch'), ['duration_s=40'])
    )
    const launches = series.app_launches
    expect(launches.at(-1)).toBe(result.derived.app_launches)
    expect(result.derived.app_launches).toBeGreaterThan(0)
    expect(launches.every((v, i) => i === 0 || v >= launches[i - 1])).toBe(true)
    expect(series.lmkd_kills.at(-1)).toBe(result.derived.lmkd_kills)
  })

  it('track zram stored pages beside the pool, so the compression ratio can be drawn over time', () => {
    const { result, series } = collect(
      applySets(resolvePreset('twin-eater-512m'), ['workload.hold=true'])
    )
    const orig = series.zram_orig_pages.at(-1)!
    const used = series.zram_mem_used_pages.at(-1)!
    expect(orig).toBeGreaterThan(0)
    // The same pages and pool as zram's mm_stat at the end of the run.
    expect(orig * 4096).toBe(result.zram!.orig_data_size)
    expect(used * 4096).toBe(result.zram!.mem_used_total)
    expect(orig / used).toBeGreaterThan(2.5)
    expect(series.zswap_stored_pages.every((v) => v === 0)).toBe(true)
  })
})
