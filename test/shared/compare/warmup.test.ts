import { describe, expect, it } from 'vitest'
import { appendBatch, type SeriesColumns } from '../../../src/lab/store/series-codec'
import { afterWarmup } from '../../../src/shared/compare/warmup'
import { applySets, resolvePreset, runSimulationSync } from '../../../src/sim'

describe('summaries after a warm-up', () => {
  it('differences counters over the window and divides rates by its length', () => {
    const series = {
      t_s: [0, 1, 2, 3, 4],
      series: {
        pgscan_kswapd: [0, 100, 300, 600, 1000],
        pgsteal_kswapd: [0, 50, 150, 300, 500],
        pgscan_direct: [0, 0, 100, 100, 100],
        pgsteal_anon: [0, 10, 20, 30, 40],
        allocstall_normal: [0, 0, 3, 3, 3],
        allocstall_movable: [0, 1, 1, 2, 5],
        kswapd_cpu_pct: [0, 100, 50, 10, 30]
      }
    }
    const result = {
      derived: { zram_ratio: 2.5, alloc_slowpath_p99_us: 300, pgsteal_anon_per_s: 10 },
      psi: { some: { avg10: 1.5, total_us: 9 } }
    }
    const cut = afterWarmup(result, series, 2)!
    expect(cut.vmstat).toMatchObject({ pgscan_kswapd: 700, pgsteal_kswapd: 350, pgscan_direct: 0 })
    expect(cut.derived).toEqual({
      allocstall: 4,
      allocstall_per_s: 2,
      pgsteal_anon_per_s: 10,
      pgscan_per_s: 350,
      kswapd_velocity_per_s: 350,
      kswapd_efficiency_pct: 50,
      direct_scan_share_pct: 0,
      // Shares of the intervals (2,3] and (3,4]: (10 + 30) / 2.
      kswapd_cpu_pct: 20,
      zram_ratio: 2.5
    })
    // An end-of-run value stays; a latency percentile is not in the series, so it is left out.
    expect(cut.psi?.some?.avg10).toBe(1.5)
    expect(cut.psi?.some?.total_us).toBeUndefined()
    expect(afterWarmup(result, series, 4)).toBeNull()
  })

  it('with no warm-up gives the whole run counters of a real run', () => {
    const scenario = applySets(resolvePreset('single-cpu'), ['duration_s=3'])
    const series: SeriesColumns = { t_s: [], series: {} }
    const result = runSimulationSync(scenario, { samples: (b) => appendBatch(series, b) })
    expect(series.t_s.at(-1)).toBe(3)
    const cut = afterWarmup(result, series, 0)!
    for (const name of ['pgscan_kswapd', 'pgsteal_kswapd', 'pswpout', 'allocstall_movable'])
      expect(cut.vmstat![name], name).toBe(result.vmstat[name])
    expect(cut.derived!.allocstall).toBe(result.derived.allocstall)
    expect(cut.derived!.pgsteal_anon_per_s).toBeCloseTo(result.derived.pgsteal_anon_per_s, 1)
  })
})
