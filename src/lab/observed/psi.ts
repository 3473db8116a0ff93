import type { PsiLine } from '../../shared/result'
import type { PressureReading } from './pressure'
import { roundUs } from './series'
import type { Snapshot } from './snapshot'

export interface ObservedPsi {
  psi: { some: PsiLine; full: PsiLine }
  /** psi_{some,full}_total_us at each snapshot after the first, when the readings line up. */
  series: Record<string, number[]>
  warnings: string[]
}

type Complete = PressureReading & { some: PsiLine; full: PsiLine }

const ZERO: PsiLine = { avg10: 0, avg60: 0, avg300: 0, total_us: 0 }

/**
 * avg10/60/300 from the last reading of the window, total_us stalled over it. Readings taken with
 * the snapshots (within a tenth of the shortest snapshot interval of each) make the window the
 * snapshots' and give a time series; other readings keep their own window.
 */
export function observedPsi(readings: PressureReading[] | null, snaps: Snapshot[]): ObservedPsi {
  if (!readings?.length)
    return {
      psi: { some: ZERO, full: ZERO },
      series: {},
      warnings: ['No /proc/pressure/memory readings were given: PSI is shown as zero.']
    }
  const all = readings as Complete[]
  const last = all[all.length - 1]
  if (all.length === 1)
    return {
      psi: { some: last.some, full: last.full },
      series: {},
      warnings: [
        'One /proc/pressure/memory reading: its total= is the stall time since boot, not over ' +
          'the capture.'
      ]
    }
  const matched = align(all, snaps)
  const window = matched ?? all
  const [a, b] = [window[0], window[window.length - 1]]
  const psi = {
    some: { ...b.some, total_us: b.some.total_us - a.some.total_us },
    full: { ...b.full, total_us: b.full.total_us - a.full.total_us }
  }
  if (!matched) {
    const span = roundUs(b.stamp!.s - a.stamp!.s)
    return {
      psi,
      series: {},
      warnings: [
        'The /proc/pressure/memory readings were not taken with the vmstat snapshots, so PSI has ' +
          `no time series; its totals are over the pressure capture's own ${span} s.`
      ]
    }
  }
  const later = matched.slice(1)
  const series = {
    psi_some_total_us: later.map((r) => r.some.total_us - a.some.total_us),
    psi_full_total_us: later.map((r) => r.full.total_us - a.full.total_us)
  }
  return { psi, series, warnings: [] }
}

/** For each snapshot, the reading taken with it; null unless every snapshot has one. */
function align(readings: Complete[], snaps: Snapshot[]): Complete[] | null {
  let shortest = Infinity
  for (let i = 1; i < snaps.length; i++)
    shortest = Math.min(shortest, snaps[i].stamp.s - snaps[i - 1].stamp.s)
  const tolerance = shortest / 10
  const out: Complete[] = []
  for (const snap of snaps) {
    const near = readings.find(
      (r) => r.stamp?.clock === snap.stamp.clock && Math.abs(r.stamp.s - snap.stamp.s) <= tolerance
    )
    if (!near) return null
    out.push(near)
  }
  return out
}
