/** "0,60,100" or a range with a step "0:200:50" → numbers; text values stay text. */
export function parseSweepValues(text: string): Array<number | string | boolean> | string {
  const trimmed = text.trim()
  if (!trimmed) return 'give values like 0,60,100 or 0:200:50'
  const range = /^(-?[\d.]+)\s*:\s*(-?[\d.]+)\s*:\s*([\d.]+)$/.exec(trimmed)
  if (range) {
    const [from, to, step] = range.slice(1).map(Number)
    if (!(step > 0)) return 'the step must be positive'
    if (to < from) return 'the range must go up'
    const count = Math.floor((to - from) / step + 1e-9) + 1
    if (count > 100) return `${count} values: at most 100`
    return Array.from({ length: count }, (_, i) => Number((from + i * step).toPrecision(12)))
  }
  return trimmed.split(',').map((part) => {
    const v = part.trim()
    if (v === 'true' || v === 'false') return v === 'true'
    return v !== '' && Number.isFinite(Number(v)) ? Number(v) : v
  })
}
