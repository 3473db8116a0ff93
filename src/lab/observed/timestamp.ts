/** Timestamp lines of a capture: epoch seconds, ISO-8601, or what plain `date` prints. */

export interface Stamp {
  /** Seconds; only differences between stamps of one clock mean anything. */
  s: number
  /** `absolute` when the zone is known (epoch, UTC, an offset), else `local` plus the zone name. */
  clock: string
}

// Separators people put around the time: `--- 1732590295.1 ---`, `# 2026-11-26T03:04:55Z`.
const LEAD = /^[-=#*>]+\s*/
const TRAIL = /\s*[-=#*<]+$/

export function parseTimestamp(line: string): Stamp | null {
  const text = line.trim().replace(LEAD, '').replace(TRAIL, '')
  return epoch(text) ?? iso(text) ?? dateOutput(text)
}

/** A line of separator characters only: it starts no snapshot by itself. */
export function isBareMarker(line: string): boolean {
  return /^[-=#*<>]+$/.test(line.trim())
}

/**
 * Seconds, maybe fractional (`date +%s.%N`). An integer of 12 or more digits is epoch milliseconds,
 * microseconds or nanoseconds (`date +%s%N`, without the dot): as seconds it would be after 5000 AD.
 */
function epoch(text: string): Stamp | null {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text)
  if (!m) return null
  if (m[2] !== undefined) return { s: Number(text), clock: 'absolute' }
  const digits = m[1]
  const scale = digits.length >= 18 ? 9 : digits.length >= 15 ? 6 : digits.length >= 12 ? 3 : 0
  const cut = digits.length - scale
  return { s: Number(`${digits.slice(0, cut)}.${digits.slice(cut) || '0'}`), clock: 'absolute' }
}

// date -Is, date --iso-8601=ns (comma before the fraction), date --rfc-3339=ns (space before time).
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i

function iso(text: string): Stamp | null {
  const m = ISO.exec(text)
  if (!m) return null
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map((x) => Number(x ?? 0))
  const s = civil(y, mo, d, h, mi, sec, m[7])
  if (s === null) return null
  if (!m[8]) return { s, clock: 'local' }
  return { s: s - offsetSeconds(m[8]), clock: 'absolute' }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const WEEKDAY = /^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?$/i

/**
 * Plain `date` in the C locale (`Thu Nov 26 03:04:55 UTC 2026`), en_US (`… 03:04:55 AM UTC 2026`),
 * en_GB (`Thu 26 Nov 2026 03:04:55 UTC`) and `date -R` (`Thu, 26 Nov 2026 03:04:55 +0000`): the
 * fields are told apart by their shape, so their order does not matter.
 */
function dateOutput(text: string): Stamp | null {
  let month = -1
  let day = -1
  let year = -1
  let time: RegExpExecArray | null = null
  let half = ''
  let zone = ''
  for (const tok of text.split(/\s+/)) {
    const mon = MONTHS.indexOf(tok.slice(0, 3).toLowerCase())
    const clock = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?$/.exec(tok)
    if (WEEKDAY.test(tok)) continue
    if (mon >= 0 && /^[a-z]+\.?$/i.test(tok) && month < 0) month = mon + 1
    else if (clock && !time) time = clock
    else if (/^\d{4}$/.test(tok) && year < 0) year = Number(tok)
    else if (/^\d{1,2},?$/.test(tok) && day < 0) day = parseInt(tok, 10)
    else if (/^(am|pm)$/i.test(tok) && !half) half = tok.toLowerCase()
    else if (/^([a-z]{1,5}|[+-]\d{4})$/i.test(tok) && !zone) zone = tok
    else return null
  }
  if (month < 0 || day < 0 || year < 0 || !time) return null
  let hour = Number(time[1])
  if (half) hour = (hour % 12) + (half === 'pm' ? 12 : 0)
  const s = civil(year, month, day, hour, Number(time[2]), Number(time[3] ?? 0), time[4])
  if (s === null) return null
  if (/^[+-]\d{4}$/.test(zone)) return { s: s - offsetSeconds(zone), clock: 'absolute' }
  if (/^(utc|gmt|z)$/i.test(zone)) return { s, clock: 'absolute' }
  return { s, clock: zone ? `local ${zone}` : 'local' }
}

/** Seconds of a calendar time read as UTC; null when a field is out of range. */
function civil(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  sec: number,
  frac?: string
): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return null
  return Date.UTC(y, mo - 1, d, h, mi, sec) / 1000 + (frac ? Number(`0.${frac}`) : 0)
}

function offsetSeconds(offset: string): number {
  if (/^z$/i.test(offset)) return 0
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(offset)!
  const sign = m[1] === '-' ? -1 : 1
  return sign * (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60)
}

/** Readings must share one clock and move forward in time, or their differences mean nothing. */
export function checkTimeOrder(
  items: Array<{ line: number; stamp: Stamp & { text: string } }>,
  report: (line: number, message: string) => void
): void {
  const clock = items[0]?.stamp.clock
  for (let i = 1; i < items.length; i++) {
    const [prev, cur] = [items[i - 1], items[i]]
    if (cur.stamp.clock !== clock) {
      report(
        cur.line,
        `timestamp \`${cur.stamp.text}\` is on another clock (${cur.stamp.clock}) than the one ` +
          `at line ${items[0].line} (${clock}); use one format throughout, ideally \`date +%s.%N\``
      )
    } else if (cur.stamp.s <= prev.stamp.s) {
      const how = cur.stamp.s === prev.stamp.s ? 'is the same as' : 'goes back before'
      report(
        cur.line,
        `timestamp \`${cur.stamp.text}\` ${how} the one at line ${prev.line} ` +
          `(\`${prev.stamp.text}\`): readings must be in time order, at least a moment apart`
      )
    }
  }
}
