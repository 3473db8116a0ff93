const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })

/** "3 min ago", "yesterday", or a date for anything older than a week. */
export function ago(iso: string, now: number = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000)
  const abs = Math.abs(seconds)
  if (abs < 45) return 'just now'
  if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute')
  if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour')
  if (abs < 7 * 86400) return relative.format(Math.round(seconds / 86400), 'day')
  return new Date(iso).toISOString().slice(0, 10)
}

export function integer(n: number): string {
  return n.toLocaleString('en-US')
}

/** 3 significant digits, as kernel developers read latencies and rates. */
export function sig3(n: number): string {
  if (!Number.isFinite(n)) return '–'
  if (n === 0) return '0'
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(n))))
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 })
}

export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–'
  if (seconds < 60) return `${Math.round(seconds)} s`
  const m = Math.floor(seconds / 60)
  const s = Math.round(seconds % 60)
  return m < 60
    ? `${m}m ${String(s).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`
}
