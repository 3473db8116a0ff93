import type { RunDetail, RunSource } from '../dto'
import type { StoredResult } from '../result'

/** A finished run as the compare view needs it. */
export interface CompareRun {
  id: number
  variant: string
  seed: number
  source: RunSource
  label: string
  sweepPoint: Record<string, number | string | boolean>
  simulatorVersion: string
  scenario: unknown
  result: StoredResult
  /** The experiment a run comes from ("#3"), when it is not the compared one's. */
  origin?: string
}

export function compareRunOf(r: RunDetail, origin?: string): CompareRun {
  return {
    ...(origin ? { origin } : {}),
    id: r.id,
    variant: r.variant,
    seed: r.seed,
    source: r.source,
    label: r.label,
    sweepPoint: r.sweepPoint,
    simulatorVersion: r.simulatorVersion,
    scenario: r.scenario,
    result: (r.result ?? {}) as StoredResult
  }
}

/** Runs aggregated together: one variant (at one sweep point), or one observed label. */
export interface CompareGroup {
  key: string
  label: string
  variant: string
  source: RunSource
  sweepPoint: Record<string, number | string | boolean>
  runs: CompareRun[]
}

export function sweepLabel(point: Record<string, number | string | boolean>): string {
  return Object.entries(point)
    .map(([k, v]) => `${k.split('.').pop()}=${String(v)}`)
    .join(' ')
}

export function groupKey(
  run: Pick<CompareRun, 'variant' | 'source' | 'label' | 'sweepPoint' | 'origin'>
) {
  const from = run.origin ? `${run.origin} ` : ''
  if (run.source === 'observed') return `observed:${from}${run.label}`
  const sweep = sweepLabel(run.sweepPoint)
  return `${from}${sweep ? `${run.variant} ${sweep}` : run.variant}`
}

/**
 * Groups runs in the order their groups first appear. Within a simulated group a seed counts once
 * (the latest run of it), so a repeated batch does not double-weight a seed.
 */
export function groupRuns(runs: readonly CompareRun[]): CompareGroup[] {
  const groups = new Map<string, CompareGroup>()
  for (const run of runs) {
    const key = groupKey(run)
    let g = groups.get(key)
    if (!g) {
      g = {
        key,
        label:
          run.source === 'observed'
            ? run.result.kernel
              ? `${run.origin ? `${run.origin} ` : ''}real ${run.label}`
              : `${run.origin ? `${run.origin} ` : ''}${run.label} (observed)`
            : key,
        variant: run.variant,
        source: run.source,
        sweepPoint: run.sweepPoint,
        runs: []
      }
      groups.set(key, g)
    }
    const same = run.source === 'simulated' ? g.runs.findIndex((r) => r.seed === run.seed) : -1
    if (same < 0) g.runs.push(run)
    else if (g.runs[same].id < run.id) g.runs[same] = run
  }
  for (const g of groups.values()) g.runs.sort((a, b) => a.seed - b.seed || a.id - b.id)
  // Beside runs of a real kernel, a model's group says it is one: "real 6.12+v2", "simulated v2".
  const real = runs.some((r) => r.source === 'observed' && r.result.kernel)
  if (real)
    for (const g of groups.values()) if (g.source === 'simulated') g.label = `simulated ${g.key}`
  return [...groups.values()]
}

/** The baseline group: the chosen one if shown, else `baseline`, else the first. */
export function pickBaseline(keys: readonly string[], chosen: string | null): string {
  if (chosen && keys.includes(chosen)) return chosen
  return keys.includes('baseline') ? 'baseline' : (keys[0] ?? '')
}

/** Seeds both groups ran: the pairs of a paired comparison (simulated groups only). */
export function commonSeeds(a: CompareGroup, b: CompareGroup): number[] {
  if (a.source !== 'simulated' || b.source !== 'simulated') return []
  const seeds = new Set(b.runs.map((r) => r.seed))
  return a.runs.map((r) => r.seed).filter((s) => seeds.has(s))
}
