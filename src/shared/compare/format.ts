/**
 * The compare view's rounding rules, shared by the screen and every export so they never disagree:
 * - values: integers when |x| ≥ 100 (thousands separated with ","), otherwise 3 significant digits;
 * - percentage changes: 2 decimals with an explicit sign ("+3.10%", "-52.00%");
 * - p-values: 3 significant digits, "<0.001" below that.
 * Minus signs are ASCII so the text survives CSV, Markdown and LaTeX unchanged.
 */
export function roundValue(x: number): number {
  if (!Number.isFinite(x)) return x
  if (Math.abs(x) >= 100) return Math.round(x)
  return Number(x.toPrecision(3))
}

export function formatValue(x: number): string {
  if (Number.isNaN(x)) return 'n/a'
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf'
  const r = roundValue(x)
  if (Math.abs(r) >= 100) return r.toLocaleString('en-US', { maximumFractionDigits: 0 })
  // toPrecision keeps trailing zeros ("1.50"); Number() drops them, as mmtests does not care either.
  return String(r === 0 ? 0 : r)
}

export function roundPct(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 100) / 100 : x
}

export function formatPct(x: number): string {
  if (!Number.isFinite(x)) return 'n/a'
  const r = roundPct(x)
  return `${r > 0 ? '+' : r < 0 ? '-' : ''}${Math.abs(r).toFixed(2)}%`
}

export function roundP(p: number): number {
  return Number.isFinite(p) ? Number(p.toPrecision(3)) : p
}

export function formatP(p: number): string {
  if (!Number.isFinite(p)) return 'n/a'
  return p < 0.001 ? '<0.001' : String(roundP(p))
}
