import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseObserved } from '../../../src/lab/observed'
import { parseTimestamp } from '../../../src/lab/observed/timestamp'
import { LabError } from '../../../src/shared/errors'

// Expected seconds checked with GNU date, e.g. `date -u -d '2026-11-26T03:04:55+01:00' +%s`.
describe('timestamp lines', () => {
  it.each([
    ['1795662575.704905012', 1795662575.704905],
    ['1795662575', 1795662575],
    ['--- 1795662575.5 ---', 1795662575.5],
    ['# 1795662575', 1795662575],
    ['1795662575704905012', 1795662575.704905], // date +%s%N, the dot forgotten
    ['1795662575704', 1795662575.704],
    ['2026-11-26T03:04:55Z', 1795662295],
    ['2026-11-26T03:04:55+01:00', 1795658695],
    ['2026-11-26T03:09:35,704905012+00:00', 1795662575.704905],
    ['2026-11-26 03:09:35.704905012+00:00', 1795662575.704905],
    ['Thu Nov 26 03:09:35 UTC 2026', 1795662575],
    ['Thu Nov  6 03:09:35 UTC 2026', 1795662575 - 20 * 86400],
    ['Thu Nov 26 03:09:35 PM UTC 2026', 1795662575 + 12 * 3600],
    ['Thu Nov 26 12:09:35 AM UTC 2026', 1795662575 - 3 * 3600],
    ['Thu 26 Nov 2026 03:09:35 UTC', 1795662575],
    ['Thu, 26 Nov 2026 03:09:35 +0000', 1795662575],
    ['=== Thu Nov 26 03:09:35 UTC 2026 ===', 1795662575]
  ])('reads %s', (line, seconds) => {
    const stamp = parseTimestamp(line)
    expect(stamp?.clock).toBe('absolute')
    expect(stamp!.s).toBeCloseTo(seconds, 5)
  })

  it('keeps wall-clock times of other zones apart from absolute ones', () => {
    expect(parseTimestamp('Thu Nov 26 04:09:35 CET 2026')).toEqual({
      s: 1795662575 + 3600,
      clock: 'local CET'
    })
    expect(parseTimestamp('2026-11-26T03:09:35')).toEqual({ s: 1795662575, clock: 'local' })
  })

  it.each(['pgfault 12', 'hello world', '2026-13-01T00:00:00Z', 'Thu Nov 26', '---', '12 34'])(
    'does not take %s for a time',
    (line) => expect(parseTimestamp(line)).toBeNull()
  )
})

describe('snapshot logs stamped by plain date', () => {
  const log = readFileSync(
    new URL('../../fixtures/observed/vmstat-snapshots.log', import.meta.url),
    'utf8'
  )
  let k = 0
  const restamp = (stamp: (i: number) => string): string =>
    log.replace(/^\d+\.\d+$/gm, () => stamp(k++))

  it('reads a capture at one-second resolution', () => {
    k = 0
    const text = restamp((i) => `Thu Nov 26 03:09:${String(35 + i).padStart(2, '0')} UTC 2026`)
    const run = parseObserved({ text })
    expect(run.durationS).toBe(5)
    expect(run.series.t_s).toEqual([1, 2, 3, 4, 5])
    expect(run.result.vmstat.pgfault).toBe(66294)
  })

  it('tells a `date -R` stamp, comma and all, from a CSV header', () => {
    k = 0
    const text = restamp((i) => `Thu, 26 Nov 2026 03:09:${String(35 + i).padStart(2, '0')} +0000`)
    expect(parseObserved({ text }).series.t_s).toEqual([1, 2, 3, 4, 5])
  })

  it('refuses a capture across a daylight-saving change', () => {
    k = 0
    const text = restamp((i) =>
      i < 3 ? `Sun Oct 25 02:59:5${i} CEST 2026` : `Sun Oct 25 02:00:0${i} CET 2026`
    )
    try {
      parseObserved({ text })
      expect.unreachable()
    } catch (err) {
      expect((err as LabError).issues[0]).toEqual({
        path: 'line 580',
        message: expect.stringMatching(
          /another clock \(local CET\) than the one at line 1 \(local CEST\)/
        )
      })
    }
  })
})
