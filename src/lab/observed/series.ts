import { isCharted, isGauge } from './counters'
import type { Snapshot } from './snapshot'

export interface ObservedSeries {
  t_s: number[]
  series: Record<string, number[]>
}

/** Seconds to the microsecond: epoch stamps carry float noise below that. */
export const roundUs = (s: number): number => Math.round(s * 1e6) / 1e6

/**
 * Samples at each snapshot after the first, shaped like the simulator's sampler: event counters
 * count from zero at the first snapshot (the run page turns them into per-second rates over each
 * interval), gauges are as read. Only the counters the simulator samples are kept.
 */
export function buildSeries(snaps: Snapshot[]): ObservedSeries {
  const [first, ...later] = snaps
  const t_s = later.map((s) => roundUs(s.stamp.s - first.stamp.s))
  const series: Record<string, number[]> = {}
  for (const [name, start] of first.values) {
    if (!isCharted(name)) continue
    const gauge = isGauge(name)
    series[name] = later.map((s) => s.values.get(name)! - (gauge ? 0 : start))
  }
  return { t_s, series }
}
