/**
 * Log-bucketed latency histogram (8 buckets per power of two of nanoseconds), with percentiles.
 */
const SUB = 8
const NB = 64 * SUB

export interface HistogramSummary {
  count: number
  mean_us: number
  p50_us: number
  p90_us: number
  p99_us: number
  p999_us: number
  max_us: number
}

export class Histogram {
  counts = new Float64Array(NB)
  count = 0
  sum = 0
  max = 0

  private bucket(ns: number): number {
    if (ns < 1) return 0
    const e = Math.floor(Math.log2(ns))
    const frac = ns / 2 ** e - 1
    return Math.min(NB - 1, e * SUB + Math.floor(frac * SUB))
  }

  private upper(b: number): number {
    const e = Math.floor(b / SUB)
    return 2 ** e * (1 + ((b % SUB) + 1) / SUB)
  }

  add(ns: number): void {
    this.counts[this.bucket(ns)]++
    this.count++
    this.sum += ns
    if (ns > this.max) this.max = ns
  }

  quantile(q: number): number {
    if (this.count === 0) return 0
    const target = q * this.count
    let acc = 0
    for (let b = 0; b < NB; b++) {
      acc += this.counts[b]
      if (acc >= target) return Math.min(this.upper(b), this.max)
    }
    return this.max
  }

  summary(): HistogramSummary {
    const us = (x: number): number => Math.round(x / 10) / 100
    return {
      count: this.count,
      mean_us: this.count ? us(this.sum / this.count) : 0,
      p50_us: us(this.quantile(0.5)),
      p90_us: us(this.quantile(0.9)),
      p99_us: us(this.quantile(0.99)),
      p999_us: us(this.quantile(0.999)),
      max_us: us(this.max)
    }
  }
}
