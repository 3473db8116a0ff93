/**
 * Trace workload format (bring your own workload): timed events per process.
 * JSON: an array of objects; CSV: a header line then rows. Fields:
 *   t_ms (≥ 0), pid (int ≥ 0), op (alloc | touch | free | exit | cpu), region (int ≥ 0, default 0),
 *   offset_pages (int ≥ 0, default 0), pages (int ≥ 1; alloc/touch/free), ms (≥ 0; cpu).
 * alloc writes (faults in) pages of an anonymous region; touch reads them; free unmaps them.
 */
export const TRACE_OPS = ['alloc', 'touch', 'free', 'exit', 'cpu'] as const
export type TraceOp = (typeof TRACE_OPS)[number]

export interface TraceEvent {
  t_ms: number
  pid: number
  op: TraceOp
  region: number
  offset_pages: number
  pages: number
  ms: number
  line: number
}

export class TraceParseError extends Error {}

const MAX_PAGES = 1 << 24

function lineOf(text: string, pos: number): number {
  let line = 1
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

function num(
  v: unknown,
  field: string,
  line: number,
  opts: { int?: boolean; min?: number; def?: number }
): number {
  if (v === undefined || v === '' || v === null) {
    if (opts.def !== undefined) return opts.def
    throw new TraceParseError(`line ${line}: ${field} is required`)
  }
  const n = typeof v === 'number' ? v : Number(v)
  if (!Number.isFinite(n))
    throw new TraceParseError(`line ${line}: ${field} must be a number, got ${JSON.stringify(v)}`)
  if (opts.int && !Number.isInteger(n))
    throw new TraceParseError(`line ${line}: ${field} must be an integer`)
  if (opts.min !== undefined && n < opts.min)
    throw new TraceParseError(`line ${line}: ${field} must be ≥ ${opts.min}`)
  return n
}

function toEvent(o: Record<string, unknown>, line: number): TraceEvent {
  const op = String(o.op ?? '')
  if (!(TRACE_OPS as readonly string[]).includes(op))
    throw new TraceParseError(
      `line ${line}: op must be one of ${TRACE_OPS.join(', ')}, got ${JSON.stringify(o.op)}`
    )
  const needPages = op === 'alloc' || op === 'touch' || op === 'free'
  const e: TraceEvent = {
    t_ms: num(o.t_ms, 't_ms', line, { min: 0 }),
    pid: num(o.pid, 'pid', line, { int: true, min: 0 }),
    op: op as TraceOp,
    region: num(o.region, 'region', line, { int: true, min: 0, def: 0 }),
    offset_pages: num(o.offset_pages, 'offset_pages', line, { int: true, min: 0, def: 0 }),
    pages: needPages ? num(o.pages, 'pages', line, { int: true, min: 1 }) : 0,
    ms: op === 'cpu' ? num(o.ms, 'ms', line, { min: 0 }) : 0,
    line
  }
  if (e.offset_pages + e.pages > MAX_PAGES)
    throw new TraceParseError(`line ${line}: region larger than 64 GiB`)
  return e
}

/** Start offsets of the top-level elements of a JSON array text. */
function elementStarts(text: string): number[] {
  const starts: number[] = []
  let depth = 0
  let inStr = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inStr) {
      if (c === '\\') i++
      else if (c === '"') inStr = false
      continue
    }
    if (c === '"') inStr = true
    else if (c === '[' || c === '{') {
      if (depth === 1) starts.push(i)
      depth++
    } else if (c === ']' || c === '}') depth--
  }
  return starts
}

function parseJson(text: string): TraceEvent[] {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err)
    const m = /position (\d+)/.exec(msg)
    const lm = /line (\d+)/.exec(msg)
    const line = m ? lineOf(text, Number(m[1])) : lm ? Number(lm[1]) : lineOf(text, text.length)
    throw new TraceParseError(`line ${line}: invalid JSON (${msg})`)
  }
  if (!Array.isArray(data))
    throw new TraceParseError('line 1: a JSON trace must be an array of events')
  const starts = elementStarts(text)
  return data.map((o, i) => {
    const line = lineOf(text, starts[i] ?? 0)
    if (!o || typeof o !== 'object' || Array.isArray(o))
      throw new TraceParseError(`line ${line}: an event must be an object`)
    return toEvent(o as Record<string, unknown>, line)
  })
}

function parseCsv(text: string): TraceEvent[] {
  const lines = text.split(/\r?\n/)
  const header = lines[0].split(',').map((s) => s.trim())
  for (const h of header)
    if (!['t_ms', 'pid', 'op', 'region', 'offset_pages', 'pages', 'ms'].includes(h))
      throw new TraceParseError(`line 1: unknown column ${JSON.stringify(h)}`)
  for (const req of ['t_ms', 'pid', 'op'])
    if (!header.includes(req)) throw new TraceParseError(`line 1: missing column ${req}`)
  const out: TraceEvent[] = []
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i].trim()
    if (!raw || raw.startsWith('#')) continue
    const cells = raw.split(',').map((s) => s.trim())
    if (cells.length > header.length)
      throw new TraceParseError(
        `line ${i + 1}: ${cells.length} fields, header has ${header.length}`
      )
    const o: Record<string, unknown> = {}
    header.forEach((h, j) => (o[h] = cells[j]))
    out.push(toEvent(o, i + 1))
  }
  return out
}

/** Parses and validates a trace; errors name the line. Events are returned sorted by time (stable). */
export function parseTrace(text: string, format: 'json' | 'csv'): TraceEvent[] {
  if (!text.trim()) throw new TraceParseError('line 1: the trace is empty')
  const ev = format === 'json' ? parseJson(text) : parseCsv(text)
  return ev
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.t_ms - b.e.t_ms || a.i - b.i)
    .map((x) => x.e)
}
