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
