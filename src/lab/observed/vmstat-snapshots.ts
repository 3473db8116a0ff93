import { isWellKnownCounter } from './counters'
import type { Issues } from './issues'
import { isPressureLine, quote, whatItIs } from './recognise'
import type { Snapshot } from './snapshot'
import { isBareMarker, parseTimestamp } from './timestamp'

const COUNTER_LINE = /^(\S+)\s+(\S+)$/
/** A well-formed counter line, as /proc/vmstat prints it. */
const GOOD_LINE = /^([a-z][a-z0-9_]*)[ \t]+(\d+)$/

/** True when some line is a /proc/vmstat counter the simulator also knows, e.g. `pgfault 12`. */
export function hasVmstatLines(lines: string[]): boolean {
  return lines.some((line) => {
    const m = COUNTER_LINE.exec(line.trim())
    return m !== null && isWellKnownCounter(m[1]) && /^\d+$/.test(m[2])
  })
}

/** The snapshot log: timestamp lines, each followed by the `name value` lines of /proc/vmstat. */
export function parseSnapshotLog(text: string, lines: string[], issues: Issues): Snapshot[] {
  if (!hasVmstatLines(lines)) {
    issues.at(1, `this is not /proc/vmstat output: ${whatItIs(text)}`)
    return []
  }
  const snaps: Snapshot[] = []
  let cur: Snapshot | null = null
  let orphans = false
  let repeated = false
  lines.forEach((raw, i) => {
    const n = i + 1
    const line = raw.trim()
    // Counter lines first: they are nearly all of the file, and no timestamp looks like one.
    const m = GOOD_LINE.exec(line)
    if (!m) {
      if (!line || isBareMarker(line)) return
      const stamp = parseTimestamp(line)
      if (stamp) {
        cur = { line: n, stamp: { ...stamp, text: line }, values: new Map(), lines: new Map() }
        snaps.push(cur)
        repeated = false
      } else if (!line.startsWith('#')) issues.at(n, badLine(line))
      return
    }
    const [name, value] = [m[1], Number(m[2])]
    if (!cur) {
      if (!orphans)
        issues.at(
          n,
          'counters before the first timestamp line: start every snapshot with one, ' +
            'e.g. `while sleep 1; do date +%s.%N; cat /proc/vmstat; done`'
        )
      orphans = true
    } else if (!Number.isSafeInteger(value)) {
      issues.at(n, `\`${name}\` is ${m[2]}, too large to hold exactly (more than 2^53)`)
    } else if (cur.values.has(name)) {
      // Two dumps without a timestamp between them: one report, not one per counter.
      if (!repeated)
        issues.at(
          n,
          `\`${name}\` appears again in the snapshot that starts at line ${cur.line} ` +
            `(first at line ${cur.lines.get(name)}): is the timestamp line missing before this dump?`
        )
      repeated = true
    } else {
      cur.values.set(name, value)
      cur.lines.set(name, n)
    }
  })
  return snaps
}

function badLine(line: string): string {
  if (/^\d+\.%?N$/.test(line))
    return `${quote(line)}: this \`date\` has no %N; stamp with \`date +%s\` instead`
  if (isPressureLine(line))
    return 'this is a /proc/pressure/memory line: give pressure readings as the separate pressure file'
  if (/^[-=*>]/.test(line))
    return (
      `${quote(line)} is not a timestamp: expected epoch seconds (\`date +%s.%N\`), ` +
      'an ISO-8601 time or the output of plain `date`'
    )
  return `expected \`name value\` (a /proc/vmstat counter), got ${quote(line)}`
}
