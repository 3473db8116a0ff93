import { describe, expect, it } from 'vitest'
import {
  appendSamples,
  buildCharts,
  delta,
  isMonotonic,
  isQuiet,
  psiPercent,
  rate,
  ratio,
  sum,
  toMiB
} from '../../../src/renderer/src/charts/series'

describe('rate', () => {
  it('divides the counter difference by the sample interval', () => {
    // t: 0.1 0.2 0.4   pgscan_kswapd: 10 30 70 → –, 200/s, 200/s
    const out = rate([0.1, 0.2, 0.4], [10, 30, 70])
    expect(out[0]).toBeNull()
    expect(out[1]).toBeCloseTo(200)
    expect(out[2]).toBeCloseTo(200)
  })

  it('has no rate where time does not advance or the counter goes backwards', () => {
    expect(rate([1, 1, 2, 3], [0, 5, 2, 4])).toEqual([null, null, null, 2])
  })

  it('returns an empty array for an empty series', () => {
    expect(rate([], [])).toEqual([])
  })
})

describe('helpers', () => {
  it('sums element-wise and keeps gaps', () => {
    expect(
      sum([
        [null, 1, 2],
        [null, 3, 4]
      ])
    ).toEqual([null, 4, 6])
    expect(sum([])).toEqual([])
  })

  it('turns a PSI total in µs into % of time stalled', () => {
    // 50 ms stalled over 100 ms = 50%
    const out = psiPercent([0.1, 0.2], [0, 50_000])
    expect(out[0]).toBeNull()
    expect(out[1]).toBeCloseTo(50)
  })

  it('shows a fully stalled interval as 100% even when rounding puts it above', () => {
    expect(psiPercent([0.1, 0.2], [0, 100_900])[1]).toBe(100)
  })

  it('converts 4 KiB pages to MiB', () => {
    expect(toMiB([256, 2788])).toEqual([1, 2788 / 256])
  })

  it('counts events per interval', () => {
    expect(delta([0, 0, 2, 3])).toEqual([null, 0, 2, 1])
  })

  it('detects counters and ratios', () => {
    expect(isMonotonic([0, 1, 1, 4])).toBe(true)
    expect(isMonotonic([3, 1])).toBe(false)
    expect(ratio([10, 10], [4, 0])).toEqual([2.5, null])
  })
})

describe('buildCharts', () => {
  const t_s = [0.1, 0.2, 0.3]
  const base = {
    nr_free_pages: [9000, 6000, 5000],
    pgscan_kswapd: [0, 100, 300],
    pgsteal_kswapd: [0, 50, 150],
    pgscan_direct: [0, 0, 10],
    pgsteal_direct: [0, 0, 5],
    allocstall_normal: [0, 0, 1],
    allocstall_movable: [0, 1, 3],
    kswapd_cpu_pct: [0, 10, 20],
    psi_some_total_us: [0, 1000, 3000],
    psi_full_total_us: [0, 0, 1000],
    zram_mem_used_pages: [0, 256, 512],
    nr_zspages: [0, 256, 512],
    zswap_pool_pages: [0, 0, 0],
    workingset_refault_anon: [0, 1, 2],
    workingset_refault_file: [0, 2, 4],
    oom_kill: [0, 0, 0]
  }

  it('draws the charts whose series exist, in reading order', () => {
    const charts = buildCharts({ t_s, series: base }, { min: 2788, low: 4731, high: 6674 })
    expect(charts.map((c) => c.id)).toEqual(['free', 'reclaim', 'cpu', 'psi', 'pool', 'refault'])
  })

  it('labels the watermarks in MiB with their pages', () => {
    const [free] = buildCharts({ t_s, series: base }, { min: 256, low: 512, high: 768 })
    expect(free.thresholds).toEqual([
      { name: 'min', value: 1, pages: 256 },
      { name: 'low', value: 2, pages: 512 },
      { name: 'high', value: 3, pages: 768 }
    ])
  })

  it('sums allocstall over zones as a rate on the second axis', () => {
    const reclaim = buildCharts({ t_s, series: base }, null).find((c) => c.id === 'reclaim')!
    const stall = reclaim.lines.find((l) => l.name === 'allocstall')!
    expect(stall.axis).toBe(1)
    expect(stall.data[0]).toBeNull()
    expect(stall.data[1]).toBeCloseTo(10)
    expect(stall.data[2]).toBeCloseTo(30)
  })

  it('leaves out an empty zswap pool and adds kcompressd, queue and launch charts when present', () => {
    const series = {
      ...base,
      kcompressd0_cpu_pct: [0, 5, 6],
      kcompressd_queue_depth: [0, 3, 1],
      app_launches: [0, 1, 1]
    }
    const charts = buildCharts({ t_s, series }, null)
    const ids = charts.map((c) => c.id)
    expect(ids).toEqual(['free', 'reclaim', 'cpu', 'queue', 'psi', 'pool', 'refault', 'events'])
    const cpu = charts.find((c) => c.id === 'cpu')!
    expect(cpu.lines.map((l) => l.name)).toEqual(['kswapd_cpu_pct', 'kcompressd0_cpu_pct'])
    expect(cpu.title).toContain('kcompressd')
    const pool = charts.find((c) => c.id === 'pool')!
    expect(pool.lines.map((l) => l.name)).toEqual(['zram_mem_used_pages', 'nr_zspages'])
    expect(pool.title).toBe('zram pool')
    const events = charts.find((c) => c.id === 'events')!
    expect(events.lines[0].data).toEqual([null, 1, 0])
  })

  it('tells a chart with nothing on it', () => {
    const charts = buildCharts({ t_s, series: { ...base, pgscan_direct: [0, 0, 0] } }, null)
    const quiet = buildCharts({ t_s, series: { kswapd_cpu_pct: [0, 0, 0] } }, null)
    expect(isQuiet(charts.find((c) => c.id === 'reclaim')!)).toBe(false)
    expect(isQuiet(quiet[0])).toBe(true)
  })

  it('draws nothing without series', () => {
    expect(buildCharts({ t_s: [], series: {} }, null)).toEqual([])
  })
})

describe('live samples', () => {
  it('appends new samples to a series, keeping every column in step with the times', () => {
    const have = { runId: 4, t_s: [0.1, 0.2], series: { a: [1, 2], b: [5, 6] } }
    const more = { t_s: [0.3], series: { a: [3], c: [9] } }
    const next = appendSamples(have, more)
    expect(next).toEqual({
      runId: 4,
      t_s: [0.1, 0.2, 0.3],
      series: { a: [1, 2, 3], b: [5, 6, NaN], c: [NaN, NaN, 9] }
    })
    expect(next).not.toBe(have)
    expect(have.t_s).toEqual([0.1, 0.2])
  })
})
