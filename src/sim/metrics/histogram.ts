import { build, type Histogram as HdrHistogram } from 'hdr-histogram-js'

import type { HistogramSummary } from '../../shared/result'
export type { HistogramSummary }

/**
 * A latency histogram over integer nanoseconds: HdrHistogram (hdr-histogram-js, its plain
 * JavaScript implementation) with 3 significant digits, so a percentile is within 0.1% of the
 * recorded value it stands for, from 1 ns to any length (auto-resize).
 */
export class Histogram {
  private h: HdrHistogram = build({
    bitBucketSize: 32,
    autoResize: true,
    lowestDiscernibleValue: 1,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false
  })
  count = 0
  sum = 0
  max = 0
  private cached: HistogramSummary | null = null

  add(ns: number): void {
    this.cached = null
    const v = Math.max(1, Math.round(ns))
    this.h.recordValue(v)
    this.count++
    this.sum += v
    if (v > this.max) this.max = v
  }

  /** The value at quantile q (0..1), ns: HdrHistogram's getValueAtPercentile(). */
  quantile(q: number): number {
    if (this.count === 0) return 0
    return Math.min(this.h.getValueAtPercentile(q * 100), this.max)
  }

  summary(): HistogramSummary {
    if (this.cached) return this.cached
    const us = (x: number): number => Math.round(x / 10) / 100
    return (this.cached = {
      count: this.count,
      mean_us: this.count ? us(this.sum / this.count) : 0,
      p50_us: us(this.quantile(0.5)),
      p90_us: us(this.quantile(0.9)),
      p99_us: us(this.quantile(0.99)),
      p999_us: us(this.quantile(0.999)),
      max_us: us(this.max)
    })
  }
}
