import { isGauge } from './counters'
import type { Issues } from './issues'
import { checkTimeOrder, type Stamp } from './timestamp'

/** One reading of /proc/vmstat, from the snapshot log or a CSV row. */
export interface Snapshot {
  /** 1-based line of its timestamp (or CSV row). */
  line: number
  stamp: Stamp & { text: string }
  values: Map<string, number>
  /** Where each value was read, to point at it in errors. */
  lines: Map<string, number>
}

/** How many counter names to list before saying "and N more". */
const NAMES_LISTED = 4

/**
 * What must hold across snapshots before differences between them mean anything. Run on snapshots
 * that parsed cleanly: a bad line would also show up here as a missing counter.
 */
export function checkSnapshots(snaps: Snapshot[], issues: Issues): void {
  if (snaps.length < 2) {
    issues.at(
      snaps[0]?.line ?? 1,
      `found ${snaps.length} snapshot${snaps.length === 1 ? '' : 's'}: need at least 2, each ` +
        'a timestamp line followed by /proc/vmstat, to see what changed between them'
    )
    return
  }
  checkTimeOrder(snaps, (line, message) => issues.at(line, message))
  checkComplete(snaps, issues)
  checkMonotonic(snaps, issues)
}

function checkComplete(snaps: Snapshot[], issues: Issues): void {
  const all = new Set<string>()
  for (const s of snaps) for (const name of s.values.keys()) all.add(name)
  snaps.forEach((s, i) => {
    if (!s.values.size) {
      issues.at(s.line, 'timestamp with no /proc/vmstat counters after it')
      return
    }
    const missing = [...all].filter((name) => !s.values.has(name))
    if (!missing.length) return
    const listed = missing.slice(0, NAMES_LISTED).map((n) => `\`${n}\``)
    if (missing.length > NAMES_LISTED) listed.push(`${missing.length - NAMES_LISTED} more`)
    const cut = i === snaps.length - 1 ? ' (was the capture cut off? drop this last snapshot)' : ''
    issues.at(
      s.line,
      `the snapshot starting here lacks ${missing.length} counter${missing.length === 1 ? '' : 's'} ` +
        `that other snapshots have: ${listed.join(', ')}${cut}`
    )
  })
}

function checkMonotonic(snaps: Snapshot[], issues: Issues): void {
  for (let i = 1; i < snaps.length; i++) {
    const [prev, cur] = [snaps[i - 1], snaps[i]]
    for (const [name, value] of cur.values) {
      const before = prev.values.get(name)
      if (before === undefined || value >= before || isGauge(name)) continue
      issues.at(
        cur.lines.get(name) ?? cur.line,
        `\`${name}\` went backwards from ${before} (line ${prev.lines.get(name)}) to ${value}: ` +
          'event counters only grow, so the counters were reset (did the device reboot?)'
      )
    }
  }
}
