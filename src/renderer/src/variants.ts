/** One colour per variant everywhere (tables, legends, lines, badges). */
const VARIANT_COLORS: Record<string, string> = {
  baseline: '#8a8f98',
  v1: '#3b7ddd',
  proto: '#d64545',
  v2: '#2e9e5b',
  zram_async: '#8e5bd6',
  unofficial: '#e07b24',
  observed: '#1f9e9e'
}

const CUSTOM_PALETTE = ['#0f9fb5', '#b5a00f', '#c2418f', '#5f7d1e', '#7a5230', '#4a5fc1']

export function variantColor(name: string): string {
  if (VARIANT_COLORS[name]) return VARIANT_COLORS[name]
  let hash = 0
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0
  return CUSTOM_PALETTE[hash % CUSTOM_PALETTE.length]
}

/** A lighter or darker shade of a colour, for several groups of one variant (sweep points). */
export function shade(hex: string, step: number): string {
  if (step === 0) return hex
  const target = step % 2 ? 255 : 0
  const k = Math.min(0.6, 0.22 * Math.ceil(step / 2))
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
  return `#${channels
    .map((c) => Math.round(c + (target - c) * k))
    .map((c) => c.toString(16).padStart(2, '0'))
    .join('')}`
}

/** Colours of compare groups: the variant's colour, shaded when a variant has several groups. */
export function groupColors(groups: Array<{ variant: string; source: string }>): string[] {
  const seen = new Map<string, number>()
  return groups.map((g) => {
    const name = g.source === 'observed' ? 'observed' : g.variant
    const n = seen.get(name) ?? 0
    seen.set(name, n + 1)
    return shade(variantColor(name), n)
  })
}
