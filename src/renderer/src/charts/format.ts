/** Number formatting in kernel units: integers with separators, 3 significant digits elsewhere. */

export const PAGE_SIZE = 4096
const MIB = 1048576

/** 3 significant digits, without exponent notation or trailing zeros ("0.0123", "45.6", "1,230"). */
export function sig3(x: number): string {
  if (!Number.isFinite(x)) return '–'
  if (x === 0) return '0'
  const abs = Math.abs(x)
  if (abs >= 1000) return Math.round(x).toLocaleString('en-US')
  const digits = Math.max(0, 2 - Math.floor(Math.log10(abs)))
  const rounded = Number(x.toFixed(digits))
  if (Math.abs(rounded) >= 1000) return Math.round(rounded).toLocaleString('en-US')
  return String(rounded)
}

/** A counter: an integer with thousands separators. */
export function integer(x: number): string {
  return Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–'
}

/** A per-second rate: integer above 100, 3 significant digits below. */
export function perSecond(x: number): string {
  if (!Number.isFinite(x)) return '–'
  return Math.abs(x) >= 100 ? `${integer(x)}/s` : `${sig3(x)}/s`
}

export function pagesToMiB(pages: number): number {
  return (pages * PAGE_SIZE) / MIB
}

export function mibToPages(mib: number): number {
  return Math.round((mib * MIB) / PAGE_SIZE)
}

/** "22.4 MiB (5,731 pages)" */
export function mibWithPages(mib: number): string {
  return `${sig3(mib)} MiB (${integer(mibToPages(mib))} pages)`
}

/** A latency in µs shown in µs, ms or s, with 3 significant digits. */
export function duration(us: number): string {
  if (!Number.isFinite(us)) return '–'
  const abs = Math.abs(us)
  if (abs < 1000) return `${sig3(us)} µs`
  if (abs < 1e6) return `${sig3(us / 1000)} ms`
  return `${sig3(us / 1e6)} s`
}

/** A duration given in ms ("1,765 ms", "12.3 ms", "0.42 ms"). */
export function ms(x: number): string {
  return `${sig3(x)} ms`
}

export function pct(x: number): string {
  return `${sig3(x)}%`
}

/** Simulated time: "12.3 s", "850 ms". */
export function simTime(s: number): string {
  if (!Number.isFinite(s)) return '–'
  return Math.abs(s) < 1 && s !== 0 ? `${sig3(s * 1000)} ms` : `${sig3(s)} s`
}

/** Wall time of a run: "4.17 s", "2 min 5 s". */
export function wallTime(msTotal: number | null): string {
  if (msTotal === null || !Number.isFinite(msTotal)) return '–'
  if (msTotal < 60_000) return `${sig3(msTotal / 1000)} s`
  const s = Math.round(msTotal / 1000)
  return `${Math.floor(s / 60)} min ${s % 60} s`
}

/** A derived metric formatted by the unit its name ends with (`_per_s`, `_pct`, `_us`, `_ms`, `_mb`…). */
export function byName(name: string, v: number): string {
  if (name.endsWith('_per_s')) return perSecond(v)
  if (name.endsWith('_pct')) return pct(v)
  if (name.endsWith('_us')) return duration(v)
  if (name.endsWith('_ms')) return duration(v * 1000)
  if (name.endsWith('_s')) return `${sig3(v)} s`
  if (name.endsWith('_mb')) return `${sig3(v)} MiB`
  if (name.endsWith('_ratio') || name === 'zram_ratio') return `${sig3(v)}×`
  return Number.isInteger(v) ? integer(v) : sig3(v)
}
