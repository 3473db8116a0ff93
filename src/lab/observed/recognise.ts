/** Telling a /proc/vmstat capture from other files people pick by mistake. */

const PRESSURE_LINE = /^(some|full)\s+avg10=/

export function isPressureLine(line: string): boolean {
  return PRESSURE_LINE.test(line.trim())
}

/** What the file seems to be instead, as a hint after "this is not /proc/vmstat output". */
export function whatItIs(text: string): string {
  if (text.includes('\0')) return 'it is a binary file'
  if (/^MemTotal:/m.test(text)) return 'it looks like /proc/meminfo'
  if (/^(some|full)\s+avg10=/m.test(text))
    return 'it looks like /proc/pressure/memory: give that as the pressure file'
  if (/^Node \d+, zone/m.test(text)) return 'it looks like /proc/zoneinfo'
  if (/^\s*[[{]/.test(text)) return 'it looks like JSON'
  const first = text.trimStart().split('\n', 1)[0]
  if (first.includes(','))
    return 'it looks like a CSV, but its header names no time column (`t_s`, `time`, `timestamp`)'
  return 'no line is a counter such as `nr_free_pages 1454987` or `pgfault 104977527`'
}

/** A line quoted in an error, cut short so one bad line cannot swamp the message. */
export function quote(line: string): string {
  const t = line.trim()
  return `\`${t.length > 60 ? `${t.slice(0, 57)}...` : t}\``
}
