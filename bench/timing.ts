import { performance } from 'node:perf_hooks'

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/** Median wall time of `repeat` calls in ms, with the last call's value. */
export function timed<T>(fn: () => T, repeat: number): { ms: number; value: T } {
  const samples: number[] = []
  let value!: T
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now()
    value = fn()
    samples.push(performance.now() - t0)
  }
  return { ms: median(samples), value }
}

export function time(fn: () => unknown, repeat: number): number {
  return timed(fn, repeat).ms
}
