import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseObserved, type ObservedInput } from '../../../src/lab/observed'
import { LabError } from '../../../src/shared/errors'

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/observed/${name}`, import.meta.url), 'utf8')

// Six snapshots of 192 counters: timestamps on lines 1, 194, 387, 580, 773 and 966 (grep -n
// '^[0-9]'); pgfault on lines 97, 290, 483, 676, 869 and 1062 (grep -n '^pgfault ').
const log = fixture('vmstat-snapshots.log')
const csv = fixture('vmstat-snapshots.csv')

/** The log with 1-based line `n` replaced (or removed, given null). */
function edit(text: string, changes: Record<number, string | null>): string {
  return text
    .split('\n')
    .flatMap((line, i) => {
      const change = changes[i + 1]
      return change === undefined ? [line] : change === null ? [] : [change]
    })
    .join('\n')
}

function failure(input: ObservedInput): LabError {
  try {
    parseObserved(input)
  } catch (err) {
    expect(err).toBeInstanceOf(LabError)
    expect((err as LabError).code).toBe('invalid')
    return err as LabError
  }
  throw new Error('expected the import to fail')
}

const issues = (input: ObservedInput): Array<[string, string]> =>
  failure(input).issues.map((i) => [i.path, i.message])

describe('rejected /proc/vmstat snapshot logs', () => {
  it('names the line and the text of a malformed counter', () => {
    const err = failure({ text: edit(log, { 97: 'pgfault twelve' }), fileName: 'vmstat.log' })
    expect(err.issues).toEqual([
      {
        path: 'line 97',
        message: 'expected `name value` (a /proc/vmstat counter), got `pgfault twelve`'
      }
    ])
    expect(err.message).toBe(
      'Cannot import vmstat.log: line 97: expected `name value` (a /proc/vmstat counter), ' +
        'got `pgfault twelve`'
    )
  })

  it('reports the first five problems and counts the rest', () => {
    const bad: Record<number, string> = {}
    for (const n of [97, 290, 483, 676, 869, 1062]) bad[n] = 'pgfault -1'
    const err = failure({ text: edit(log, bad) })
    expect(err.issues.map((i) => i.path)).toEqual([
      'line 97',
      'line 290',
      'line 483',
      'line 676',
      'line 869'
    ])
    expect(err.message).toMatch(/\(and 1 more problem\)$/)
  })

  it('needs two snapshots', () => {
    const one = log.split('\n').slice(0, 193).join('\n')
    expect(issues({ text: one })).toEqual([['line 1', expect.stringMatching(/^found 1 snapshot/)]])
  })

  it('refuses timestamps that go backwards or stand still', () => {
    expect(issues({ text: edit(log, { 580: '1795662576.0' }) })).toEqual([
      [
        'line 580',
        'timestamp `1795662576.0` goes back before the one at line 387 ' +
          '(`1795662577.769328082`): readings must be in time order, at least a moment apart'
      ]
    ])
    expect(issues({ text: edit(log, { 194: '1795662575.704905012' }) })).toEqual([
      ['line 194', expect.stringMatching(/is the same as the one at line 1 /)]
    ])
  })

  it('names the counter that went backwards and where', () => {
    expect(issues({ text: edit(log, { 676: 'pgfault 5' }) })).toEqual([
      [
        'line 676',
        '`pgfault` went backwards from 105498568 (line 483) to 5: event counters only grow, so ' +
          'the counters were reset (did the device reboot?)'
      ]
    ])
  })

  it('lets gauges fall: workingset_nodes is one despite its name', () => {
    const fell = edit(log, { 221: 'workingset_nodes 1', 2: 'nr_free_pages 9999999' })
    expect(parseObserved({ text: fell }).result.vmstat.workingset_nodes).toBe(31061)
  })

  it('finds a snapshot missing counters the others have', () => {
    // pgscan_kswapd of the third snapshot removed: the snapshot starts at line 387.
    expect(issues({ text: edit(log, { 492: null }) })).toEqual([
      [
        'line 387',
        'the snapshot starting here lacks 1 counter that other snapshots have: `pgscan_kswapd`'
      ]
    ])
  })

  it('says when the last snapshot was cut off', () => {
    const cut = log.split('\n').slice(0, 1000).join('\n')
    expect(issues({ text: cut })).toEqual([
      ['line 966', expect.stringMatching(/lacks 158 counters .*, 154 more \(was the capture cut/)]
    ])
  })

  it('finds a timestamp with no counters after it', () => {
    const text = `${log.trimEnd()}\n1795662581.9\n`
    expect(issues({ text })).toEqual([
      ['line 1159', 'timestamp with no /proc/vmstat counters after it']
    ])
  })

  it('finds a dump without its timestamp line', () => {
    expect(issues({ text: edit(log, { 194: null }) })).toEqual([
      [
        'line 194',
        '`nr_free_pages` appears again in the snapshot that starts at line 1 (first at line 2): ' +
          'is the timestamp line missing before this dump?'
      ]
    ])
  })

  it('finds counters before the first timestamp', () => {
    expect(issues({ text: edit(log, { 1: null }) })).toEqual([
      ['line 1', expect.stringMatching(/^counters before the first timestamp line/)]
    ])
  })

  it('refuses empty input', () => {
    expect(issues({ text: '' })).toEqual([['line 1', expect.stringMatching(/^the file is empty/)]])
    expect(issues({ text: '\n  \n' })).toEqual([['line 1', expect.stringMatching(/empty/)]])
  })

  it('refuses files that are plainly not /proc/vmstat', () => {
    const meminfo = 'MemTotal:       24684276 kB\nMemFree:        23504012 kB\n'
    expect(issues({ text: meminfo })).toEqual([
      ['line 1', 'this is not /proc/vmstat output: it looks like /proc/meminfo']
    ])
    expect(issues({ text: fixture('pressure-memory.txt') })).toEqual([
      ['line 1', expect.stringMatching(/looks like \/proc\/pressure\/memory/)]
    ])
    expect(issues({ text: 'pgfault,nr_free_pages\n1,2\n' })).toEqual([
      ['line 1', expect.stringMatching(/a CSV, but its header names no time column/)]
    ])
  })

  it('refuses mixing clocks', () => {
    expect(issues({ text: edit(log, { 194: '2026-11-26T03:04:56' }) })).toEqual([
      ['line 194', expect.stringMatching(/on another clock \(local\) than the one at line 1/)]
    ])
  })
})

describe('rejected CSV', () => {
  // Rows on lines 2-7; pgfault is column 20.
  const row = (n: number): string[] => csv.split('\n')[n - 1].split(',')

  it('names the row and column of a bad value', () => {
    const cells = row(4)
    cells[19] = 'twelve'
    expect(issues({ text: edit(csv, { 4: cells.join(',') }) })).toEqual([
      ['line 4', '`pgfault` is `twelve`, expected a whole number']
    ])
  })

  it('counts fields', () => {
    expect(issues({ text: edit(csv, { 3: row(3).slice(0, 5).join(',') }) })).toEqual([
      ['line 3', 'expected 29 fields as in the header, got 5']
    ])
  })

  it('applies the same checks across rows', () => {
    const cells = row(5)
    cells[19] = '5'
    expect(issues({ text: edit(csv, { 5: cells.join(',') }) })).toEqual([
      ['line 5', expect.stringMatching(/^`pgfault` went backwards from 105498568 \(line 4\) to 5/)]
    ])
  })
})

describe('rejected /proc/pressure/memory', () => {
  const pair = (t: string, some: number, full = 0): string =>
    `${t}\nsome avg10=0.00 avg60=0.00 avg300=0.00 total=${some}\n` +
    `full avg10=0.00 avg60=0.00 avg300=0.00 total=${full}\n`

  it('names a malformed line', () => {
    const pressure = 'some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=x\n'
    expect(issues({ text: log, pressure })).toEqual([
      [
        'pressure line 2',
        'expected `some avg10=0.00 avg60=0.00 avg300=0.00 total=0` or a timestamp, got ' +
          '`full avg10=x`'
      ]
    ])
  })

  it('finds totals that go backwards', () => {
    const pressure = pair('10', 500) + pair('11', 400)
    expect(issues({ text: log, pressure })).toEqual([
      ['pressure line 5', expect.stringMatching(/^`some` total went backwards from 500 to 400 µs/)]
    ])
  })

  it('finds times that go backwards and readings without a timestamp', () => {
    expect(issues({ text: log, pressure: pair('11', 0) + pair('10', 0) })).toEqual([
      ['pressure line 4', expect.stringMatching(/goes back before the one at line 1/)]
    ])
    const untimed = pair('', 0).trimStart() + pair('', 0).trimStart()
    expect(issues({ text: log, pressure: untimed })).toEqual([
      ['pressure line 3', 'several readings need a timestamp line before each']
    ])
  })

  it('finds a reading lacking its full line', () => {
    const pressure = pair('10', 0) + '11\nsome avg10=0.00 avg60=0.00 avg300=0.00 total=0\n'
    expect(issues({ text: log, pressure })).toEqual([
      ['pressure line 4', 'the reading starting here has no `full` line']
    ])
  })

  it('refuses a file that is not pressure, and reports it after the vmstat problems', () => {
    expect(issues({ text: edit(log, { 97: 'pgfault twelve' }), pressure: log })).toEqual([
      ['line 97', expect.any(String)],
      ['pressure line 1', expect.stringMatching(/not \/proc\/pressure\/memory .* \/proc\/vmstat$/)]
    ])
  })
})
