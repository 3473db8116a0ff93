import type { PsiLine } from '../../shared/result'
import type { Issues } from './issues'
import { quote } from './recognise'
import { hasVmstatLines } from './vmstat-snapshots'
import { checkTimeOrder, isBareMarker, parseTimestamp, type Stamp } from './timestamp'

/** One read of /proc/pressure/memory: its `some` and `full` lines. */
export interface PressureReading {
  line: number
  /** Null for a lone reading without a timestamp (the state at the end of the capture). */
  stamp: (Stamp & { text: string }) | null
  some?: PsiLine
  full?: PsiLine
  lines: { some?: number; full?: number }
}

const NUM = '(\\d+(?:\\.\\d+)?)'
const PSI_LINE = new RegExp(
  `^(some|full)\\s+avg10=${NUM}\\s+avg60=${NUM}\\s+avg300=${NUM}\\s+total=(\\d+)$`
)
const EXAMPLE = '`some avg10=0.00 avg60=0.00 avg300=0.00 total=0`'

/**
 * /proc/pressure/memory (or a cgroup's memory.pressure): one `some` + `full` pair, or a series of
 * pairs each after a timestamp line. total= is microseconds stalled since boot.
 */
export function parsePressure(text: string, issues: Issues): PressureReading[] {
  const lines = text.split('\n')
  if (!lines.some((l) => PSI_LINE.test(l.trim()))) {
    const hint = hasVmstatLines(lines) ? ': it looks like /proc/vmstat' : ''
    issues.pressureAt(1, `this is not /proc/pressure/memory output (lines like ${EXAMPLE})${hint}`)
    return []
  }
  const before = issues.count
  const readings: PressureReading[] = []
  let cur: PressureReading | null = null
  let untimed = false
  lines.forEach((raw, i) => {
    const n = i + 1
    const line = raw.trim()
    if (!line || isBareMarker(line)) return
    const stamp = parseTimestamp(line)
    if (stamp) {
      cur = { line: n, stamp: { ...stamp, text: line }, lines: {} }
      readings.push(cur)
      return
    }
    if (line.startsWith('#')) return
    const m = PSI_LINE.exec(line)
    if (!m) {
      issues.pressureAt(n, `expected ${EXAMPLE} or a timestamp, got ${quote(line)}`)
      return
    }
    const kind = m[1] as 'some' | 'full'
    if (!cur || cur[kind]) {
      if (cur?.stamp) {
        const at = `the timestamp at line ${cur.line}`
        issues.pressureAt(n, `a second \`${kind}\` line after ${at}: is a timestamp line missing?`)
        return
      }
      if (readings.length) {
        if (!untimed) issues.pressureAt(n, 'several readings need a timestamp line before each')
        untimed = true
        return
      }
      cur = { line: n, stamp: null, lines: {} }
      readings.push(cur)
    }
    const [avg10, avg60, avg300, total] = m.slice(2).map(Number)
    cur[kind] = { avg10, avg60, avg300, total_us: total }
    cur.lines[kind] = n
  })
  if (issues.count === before) checkReadings(readings, issues)
  return readings
}

function checkReadings(readings: PressureReading[], issues: Issues): void {
  const report = (line: number, message: string): void => issues.pressureAt(line, message)
  if (readings.length > 1 && !readings[0].stamp)
    report(readings[0].line, 'a reading before the first timestamp line')
  for (const r of readings) {
    const lacking = (['some', 'full'] as const).filter((k) => !r[k]).map((k) => `\`${k}\``)
    if (lacking.length)
      report(r.line, `the reading starting here has no ${lacking.join(' or ')} line`)
  }
  const timed = readings.filter((r) => r.stamp !== null) as Array<
    PressureReading & { stamp: Stamp & { text: string } }
  >
  checkTimeOrder(timed, report)
  for (let i = 1; i < readings.length; i++) {
    for (const kind of ['some', 'full'] as const) {
      const [a, b] = [readings[i - 1][kind], readings[i][kind]]
      if (!a || !b || b.total_us >= a.total_us) continue
      report(
        readings[i].lines[kind]!,
        `\`${kind}\` total went backwards from ${a.total_us} to ${b.total_us} µs ` +
          `(line ${readings[i - 1].lines[kind]}): the stall counters were reset (did the device reboot?)`
      )
    }
  }
}
