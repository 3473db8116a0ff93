/** One colour per variant everywhere (tables, legends, lines, badges). */
const VARIANT_COLORS: Record<string, string> = {
  baseline: '#8a8f98',
  v1: '#3b7ddd',
  proto: '#d64545',
  v2: '#2e9e5b',
  zram_async: '#8e5bd6',
  unofficial: '#e07b24'
}

const CUSTOM_PALETTE = ['#0f9fb5', '#b5a00f', '#c2418f', '#5f7d1e', '#7a5230', '#4a5fc1']

export function variantColor(name: string): string {
  if (VARIANT_COLORS[name]) return VARIANT_COLORS[name]
  let hash = 0
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0
  return CUSTOM_PALETTE[hash % CUSTOM_PALETTE.length]
}
