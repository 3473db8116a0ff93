/**
 * Real measurements from a device, turned into a run the notebook can show beside simulated ones.
 *
 * Accepted input
 *
 * 1. /proc/vmstat snapshots, each after a timestamp line:
 *      while sleep 1; do date +%s.%N; cat /proc/vmstat; done > vmstat.log
 *    A timestamp line is epoch seconds, maybe fractional (`date +%s.%N`; 13-, 16- and 19-digit
 *    integers are taken as ms, µs and ns), ISO-8601 (`date -Is`, `date --iso-8601=ns`,
 *    `date --rfc-3339=ns`), or plain `date` (`Thu Nov 26 03:04:55 UTC 2026`, also with AM/PM, in
 *    day-month order, or as `date -R`). It may be wrapped in markers: `--- <time> ---`, `# <time>`.
 *    Times in a named zone other than UTC are compared as wall-clock times, so a capture must not
 *    cross a daylight-saving change; epoch seconds avoid the question. Blank lines, lines of
 *    markers only and other `#` lines are ignored.
 * 2. A CSV of the same: a header naming a time column (t_s, t, ts, time, time_s, timestamp, epoch,
 *    date) and /proc/vmstat counters by their kernel names, then one row of raw values per
 *    snapshot. Told apart from 1 by its first non-empty line: commas and a time column.
 * 3. Optionally /proc/pressure/memory: one `some`/`full` pair (the state at the end), or pairs each
 *    after a timestamp line. Taken in the same loop as the snapshots, PSI also gets a time series:
 *      while sleep 1; do t=$(date +%s.%N); { echo $t; cat /proc/vmstat; } >> vmstat.log
 *        { echo $t; cat /proc/pressure/memory; } >> pressure.log; done
 *
 * Anything malformed is rejected whole, with the line numbers of the first few problems.
 */
import type { ObservedResult } from '../../shared/result'
import { isGauge } from './counters'
import { deriveObserved } from './derive'
import { Issues } from './issues'
import { parsePressure } from './pressure'
import { observedPsi } from './psi'
import { buildSeries, roundUs } from './series'
import { checkSnapshots, type Snapshot } from './snapshot'
import { hasTimeColumn, parseVmstatCsv } from './vmstat-csv'
import { parseSnapshotLog } from './vmstat-snapshots'

export interface ObservedRun {
  durationS: number
  snapshots: number
  /** vmstat: event counters are the last snapshot minus the first; gauges (`nr_*` …) the last value. */
  result: ObservedResult
  series: { t_s: number[]; series: Record<string, number[]> }
}

export interface ObservedInput {
  /** The snapshot log or CSV. */
  text: string
  /** Named in error messages. */
  fileName?: string
  /** /proc/pressure/memory readings, if any were taken. */
  pressure?: string
}

/** Parses a capture into an observed run; throws LabError('invalid') and imports nothing on error. */
export function parseObserved(input: ObservedInput): ObservedRun {
  const issues = new Issues()
  const what = input.fileName ?? 'the measurements'
  const text = input.text.replace(/^\uFEFF/, '')
  if (!text.trim()) {
    issues.at(1, 'the file is empty: expected /proc/vmstat snapshots or a CSV of them')
    issues.throwIfAny(what)
  }
  const snaps = readSnapshots(text, issues)
  const pressure = input.pressure?.trim() ? parsePressure(input.pressure, issues) : null
  issues.throwIfAny(what)
  return assemble(snaps, observedPsi(pressure, snaps))
}

function readSnapshots(text: string, issues: Issues): Snapshot[] {
  const lines = text.split('\n')
  const first = lines.find((l) => l.trim() !== '')!
  const csv = first.includes(',') && hasTimeColumn(first)
  const before = issues.count
  const snaps = csv ? parseVmstatCsv(lines, issues) : parseSnapshotLog(text, lines, issues)
  if (issues.count === before) checkSnapshots(snaps, issues)
  return snaps
}

function assemble(snaps: Snapshot[], psi: ReturnType<typeof observedPsi>): ObservedRun {
  const first = snaps[0]
  const last = snaps[snaps.length - 1]
  const durationS = roundUs(last.stamp.s - first.stamp.s)
  const vmstat: Record<string, number> = {}
  for (const [name, start] of first.values) {
    const end = last.values.get(name)!
    vmstat[name] = isGauge(name) ? end : end - start
  }
  const series = buildSeries(snaps)
  Object.assign(series.series, psi.series)
  return {
    durationS,
    snapshots: snaps.length,
    result: {
      vmstat,
      psi: psi.psi,
      derived: deriveObserved(vmstat, durationS),
      histograms: {},
      zram: null,
      zswap: null,
      threads: [],
      warnings: psi.warnings,
      duration_s: durationS,
      observed: true
    },
    series
  }
}
