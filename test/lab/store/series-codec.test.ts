import { describe, expect, it } from 'vitest'
import { appendBatch, decodeSeries, encodeSeries } from '../../../src/lab/store/series-codec'

describe('series codec', () => {
  it('round-trips counters, gauges, fractions and negative values exactly', () => {
    const n = 1200
    const t_s = Array.from({ length: n }, (_, i) => (i + 1) * 0.1)
    const columns = {
      t_s,
      series: {
        pgscan_kswapd: t_s.map((_, i) => i * 3_000_000_000), // past 2^31: stored as Float64
        allocstall_movable: t_s.map((_, i) => Math.floor(i / 7)),
        nr_free_pages: t_s.map((_, i) => 4993 + ((i * 37) % 2100) - 1000),
        kswapd_cpu_pct: t_s.map((_, i) => Math.round(Math.sin(i) * 10000) / 100),
        empty_then_big: t_s.map((_, i) => (i === n - 1 ? Number.MAX_SAFE_INTEGER : 0))
      }
    }
    const decoded = decodeSeries(encodeSeries(columns))
    expect(decoded).toEqual(columns)
  })

  it('keeps a 120 s run of 40 series sampled every 100 ms well under 500 KB', () => {
    const n = 1200
    const t_s = Array.from({ length: n }, (_, i) => (i + 1) * 0.1)
    const series: Record<string, number[]> = {}
    for (let s = 0; s < 40; s++) {
      let acc = 0
      series[`counter_${s}`] = t_s.map((_, i) => (acc += (i * 7919 * (s + 1)) % 50_000))
    }
    const size = encodeSeries({ t_s, series }).length
    expect(size).toBeLessThan(500 * 1024)
    expect(size).toBeGreaterThan(1000)
  })

  it('refuses columns of different lengths, naming the series', () => {
    expect(() => encodeSeries({ t_s: [0.1, 0.2], series: { pswpout: [1] } })).toThrow(
      'series pswpout has 1 samples, expected 2'
    )
  })

  it('appends batches in order', () => {
    const into = { t_s: [] as number[], series: {} as Record<string, number[]> }
    appendBatch(into, { t_s: [0.1, 0.2], series: { pswpout: [1, 2] } })
    appendBatch(into, { t_s: [0.3], series: { pswpout: [5] } })
    expect(into).toEqual({ t_s: [0.1, 0.2, 0.3], series: { pswpout: [1, 2, 5] } })
  })
})
