import { COUNTER_NAME, isWellKnownCounter } from './counters'
import type { Issues } from './issues'
import { quote } from './recognise'
import type { Snapshot } from './snapshot'
import { parseTimestamp } from './timestamp'

/** Header names taken as the time column. */
export const TIME_COLUMNS = ['t_s', 't', 'ts', 'time', 'time_s', 'timestamp', 'epoch', 'date']

/** True when a CSV header row names a time column. */
export function hasTimeColumn(header: string): boolean {
  return splitRow(header).some((h) => TIME_COLUMNS.includes(h.toLowerCase()))
}

/** Fields of one row; spreadsheets quote every cell, /proc/vmstat values never hold commas. */
function splitRow(line: string): string[] {
  return line.split(',').map((f) => f.trim().replace(/^"(.*)"$/, '$1'))
}

/**
 * One row per snapshot: a time column and raw /proc/vmstat values (not per-interval differences),
 * one column per counter under its kernel name.
 */
export function parseVmstatCsv(lines: string[], issues: Issues): Snapshot[] {
  const at = lines.findIndex((l) => l.trim() !== '')
  const header = splitRow(lines[at])
  const headerLine = at + 1
  const timeCol = header.findIndex((h) => TIME_COLUMNS.includes(h.toLowerCase()))
  if (!checkHeader(header, timeCol, headerLine, issues)) return []
  const snaps: Snapshot[] = []
  for (let i = at + 1; i < lines.length; i++) {
    const n = i + 1
    if (!lines[i].trim()) continue
    const cells = splitRow(lines[i])
    if (cells.length !== header.length) {
      issues.at(n, `expected ${header.length} fields as in the header, got ${cells.length}`)
      continue
    }
    const stamp = parseTimestamp(cells[timeCol])
    if (!stamp) {
      issues.at(n, `${header[timeCol]} ${quote(cells[timeCol])} is not a time: expected seconds`)
      continue
    }
    const snap: Snapshot = {
      line: n,
      stamp: { ...stamp, text: cells[timeCol] },
      values: new Map(),
      lines: new Map()
    }
    cells.forEach((cell, c) => {
      if (c === timeCol) return
      const name = header[c]
      if (!/^\d+$/.test(cell) || !Number.isSafeInteger(Number(cell)))
        issues.at(n, `\`${name}\` is ${cell ? quote(cell) : 'empty'}, expected a whole number`)
      snap.values.set(name, Number(cell))
      snap.lines.set(name, n)
    })
    snaps.push(snap)
  }
  return snaps
}

function checkHeader(header: string[], timeCol: number, line: number, issues: Issues): boolean {
  const before = issues.count
  if (timeCol < 0) {
    issues.at(line, `the CSV header names no time column (${TIME_COLUMNS.join(', ')})`)
    return false
  }
  const names = header.filter((_, c) => c !== timeCol)
  if (!names.some(isWellKnownCounter)) {
    issues.at(
      line,
      'this is not a CSV of /proc/vmstat counters: no column is named like one ' +
        '(`nr_free_pages`, `pgfault`, `pgscan_kswapd`, ...)'
    )
    return false
  }
  const seen = new Set<string>()
  header.forEach((name, c) => {
    if (c === timeCol) return
    if (!COUNTER_NAME.test(name))
      issues.at(line, `column ${c + 1}, ${quote(name)}, is not a /proc/vmstat counter name`)
    else if (seen.has(name)) issues.at(line, `column \`${name}\` appears twice`)
    seen.add(name)
  })
  return issues.count === before
}
