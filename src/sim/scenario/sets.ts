import { ScenarioError } from '../../shared/scenario/schema'
import * as schema_mod from '../../shared/scenario/schema'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { scenarioSchema } = schema_mod

type Obj = Record<string, unknown>

/** Segments that would reach an object's prototype instead of a scenario field. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype'])

/** Every leaf path of the fully defaulted schema shape for the given input (e.g. kernel.vm.swappiness). */
function leafPaths(o: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (o && typeof o === 'object' && !Array.isArray(o)) {
    for (const [key, val] of Object.entries(o as Obj)) leafPaths(val, [...prefix, key], out)
  } else out.push(prefix)
  return out
}

/** `a.c` matches `a.b.c`: the segments appear in order and the last one is the leaf. */
function matches(short: string[], full: string[]): boolean {
  if (short[short.length - 1] !== full[full.length - 1]) return false
  let i = 0
  for (const seg of full) if (seg === short[i]) i++
  return i === short.length
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}

/**
 * Applies `key=value` overrides to a scenario input. Keys are dotted paths
 * (`kernel.vm.swappiness=100`); a shorter unambiguous form works too (`swappiness=100`,
 * `vm.swappiness=100`, `kernel.swappiness=100`). Values are JSON or plain strings.
 */
export function applySets(input: unknown, sets: string[]): unknown {
  const sc = structuredClone(input) as Obj
  const parsed = scenarioSchema.safeParse(sc)
  const shape = parsed.success ? parsed.data : sc
  const leaves = leafPaths(shape)
  for (const s of sets) {
    const eq = s.indexOf('=')
    if (eq <= 0) throw new ScenarioError(`--set ${s}: expected key=value`)
    const key = s.slice(0, eq).trim()
    const value = parseValue(s.slice(eq + 1).trim())
    const short = key.split('.')
    const unsafe = short.find((seg) => FORBIDDEN_SEGMENTS.has(seg))
    if (unsafe !== undefined)
      throw new ScenarioError(`--set ${key}: '${unsafe}' is not a scenario field`)
    let path = short
    const exact = leaves.find((l) => l.join('.') === key)
    if (!exact) {
      const cands = leaves.filter((l) => matches(short, l))
      if (cands.length === 1) path = cands[0]
      else if (cands.length > 1)
        throw new ScenarioError(
          `--set ${key}: ambiguous (${cands.map((c) => c.join('.')).join(', ')})`
        )
    }
    let o: Obj = sc
    for (let i = 0; i < path.length - 1; i++) {
      const next = Object.hasOwn(o, path[i]) ? o[path[i]] : undefined
      if (next === undefined || next === null) o[path[i]] = {}
      else if (typeof next !== 'object' || Array.isArray(next))
        throw new ScenarioError(`--set ${key}: ${path.slice(0, i + 1).join('.')} is not an object`)
      o = o[path[i]] as Obj
    }
    o[path[path.length - 1]] = value
  }
  return sc
}
