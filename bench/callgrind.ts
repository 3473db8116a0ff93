/**
 * Self instructions per function from a callgrind output written with `--dump-instr=yes`, code
 * that V8 compiled named from its perf map (`node --perf-basic-prof`: one "start size name" line
 * per code object, /tmp/perf-PID.map). Used by bench/instructions.ts.
 */
import { readFileSync } from 'node:fs'

interface CodeRange {
  start: number
  end: number
  name: string
}

function readPerfMap(file: string): CodeRange[] {
  const ranges: CodeRange[] = []
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]+) (.*)$/.exec(line)
    if (!m) continue
    const start = parseInt(m[1], 16)
    ranges.push({ start, end: start + parseInt(m[2], 16), name: m[3] })
  }
  return ranges.sort((a, b) => a.start - b.start)
}

/** The range holding address a (the last that starts at or below it), or null. */
function find(ranges: CodeRange[], a: number): CodeRange | null {
  let lo = 0
  let hi = ranges.length - 1
  let hit = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (ranges[mid].start <= a) {
      hit = mid
      lo = mid + 1
    } else hi = mid - 1
  }
  return hit >= 0 && a < ranges[hit].end ? ranges[hit] : null
}

/**
 * Instructions per function name. Callgrind's format: `fn=`/`cfn=` lines name functions (an id in
 * parentheses, its name the first time), cost lines start with an address (absolute, or relative
 * to the previous one: +n, -n, *), and the line after `calls=` is the callee's inclusive cost,
 * which is not the caller's own.
 */
export function selfByFunction(callgrindOut: string, perfMap: string): Map<string, number> {
  const ranges = readPerfMap(perfMap)
  const names = new Map<string, string>()
  const cost = new Map<string, number>()
  const name = (field: string): string => {
    const m = /^\((\d+)\)(?: (.*))?$/.exec(field.trim())
    if (!m) return field.trim()
    if (m[2] !== undefined) names.set(m[1], m[2])
    return names.get(m[1]) ?? '?'
  }
  let fn = '?'
  let addr = 0
  let calleeCost = false
  for (const line of readFileSync(callgrindOut, 'utf8').split('\n')) {
    if (line.startsWith('fn=')) fn = name(line.slice(3))
    else if (line.startsWith('cfn=')) name(line.slice(4))
    else if (line.startsWith('calls=')) calleeCost = true
    else if (/^(0x|[+\-*])/.test(line)) {
      const [pos, , ir] = line.split(' ')
      if (pos.startsWith('0x')) addr = parseInt(pos, 16)
      else if (pos !== '*') addr += Number(pos)
      if (calleeCost) {
        calleeCost = false
        continue
      }
      if (ir === undefined) continue
      const key = find(ranges, addr)?.name ?? fn
      cost.set(key, (cost.get(key) ?? 0) + Number(ir))
    }
  }
  return cost
}
