/** Values and axis ticks in kernel units. */
import { integer, mibToPages, perSecond, pct, sig3 } from './format'
import type { Unit } from './series'

/** A value in its kernel unit, as the tooltip and axis show it. */
export function formatValue(v: number, unit: Unit): string {
  switch (unit) {
    case 'mib':
      return `${sig3(v)} MiB (${integer(mibToPages(v))} pages)`
    case 'per_s':
      return perSecond(v)
    case 'pct':
      return pct(v)
    case 'events':
      return integer(v)
    case 'ratio':
      return `${sig3(v)}×`
    default:
      return sig3(v)
  }
}

export function axisLabel(v: number, unit: Unit): string {
  switch (unit) {
    case 'mib':
      return `${sig3(v)} MiB`
    case 'per_s':
      return Math.abs(v) >= 1000 ? `${sig3(v / 1000)}k/s` : `${sig3(v)}/s`
    case 'pct':
      return `${sig3(v)}%`
    case 'ratio':
      return `${sig3(v)}×`
    default:
      return sig3(v)
  }
}
