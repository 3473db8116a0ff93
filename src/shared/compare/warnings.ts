/**
 * The warnings the compared runs carry (a posted prototype's bugs, knobs the model ignores, an
 * import's gaps), gathered so the compare view and every export say them beside the numbers.
 */
import type { CompareGroup } from './groups'

export interface WarningSource {
  group: string
  /** Seeds of the group's runs that carry the warning (an observed run's index in its group). */
  seeds: number[]
  /** Whether every run of the group carries it. */
  all: boolean
  runs: number
  observed: boolean
}

export interface CompareWarning {
  text: string
  from: WarningSource[]
}

function runKey(group: CompareGroup, i: number): number {
  return group.source === 'observed' ? i + 1 : group.runs[i].seed
}

/** Each group's distinct warnings with the runs that carry them, in order of first appearance. */
export function groupWarnings(group: CompareGroup): Array<{ text: string; source: WarningSource }> {
  const seen = new Map<string, number[]>()
  group.runs.forEach((run, i) => {
    const list = Array.isArray(run.result.warnings) ? run.result.warnings : []
    for (const w of new Set(list.filter((x): x is string => typeof x === 'string')))
      seen.set(w, [...(seen.get(w) ?? []), runKey(group, i)])
  })
  return [...seen].map(([text, seeds]) => ({
    text,
    source: {
      group: group.label,
      seeds,
      all: seeds.length === group.runs.length,
      runs: group.runs.length,
      observed: group.source === 'observed'
    }
  }))
}

/** Every distinct warning of the groups, with the groups (and seeds) that carry it. */
export function compareWarnings(groups: CompareGroup[]): CompareWarning[] {
  const byText = new Map<string, WarningSource[]>()
  for (const g of groups)
    for (const { text, source } of groupWarnings(g))
      byText.set(text, [...(byText.get(text) ?? []), source])
  return [...byText].map(([text, from]) => ({ text, from }))
}

/** "proto (all 5 runs)", "v2 (seeds 2, 4)", "phone (observed) (1 of 2 runs)". */
export function sourceText(s: WarningSource): string {
  if (s.all) return `${s.group} (${s.runs === 1 ? 'its run' : `all ${s.runs} runs`})`
  if (s.observed) return `${s.group} (${s.seeds.length} of ${s.runs} runs)`
  return `${s.group} (${s.seeds.length === 1 ? 'seed' : 'seeds'} ${s.seeds.join(', ')})`
}

/** One line per warning: where it comes from, then what it says. */
export function warningLine(w: CompareWarning): string {
  return `${w.from.map(sourceText).join('; ')}: ${w.text}`
}

/** A group's warnings, a line each, led by the seeds that carry it when not all runs do. */
export function groupWarningLines(group: CompareGroup): string[] {
  return groupWarnings(group).map(({ text, source }) => {
    if (source.all) return text
    const runs = source.observed
      ? `${source.seeds.length} of ${source.runs} runs`
      : `${source.seeds.length === 1 ? 'seed' : 'seeds'} ${source.seeds.join(', ')}`
    return `${runs}: ${text}`
  })
}
