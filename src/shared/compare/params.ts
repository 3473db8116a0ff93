import type { CompareGroup } from './groups'

export interface ParameterRow {
  path: string
  /** One per group, as text ("" where a group's scenario lacks the path). */
  values: string[]
}

/** Leaf paths of a scenario object ("kernel.vm.swappiness" → 60); arrays count as one value. */
export function flatten(value: unknown, prefix = '', out: Record<string, string> = {}) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out)
  } else if (prefix) {
    out[prefix] =
      value === null ? 'default' : typeof value === 'string' ? value : JSON.stringify(value)
  }
  return out
}

/**
 * The "differences only" table: parameters whose value is not the same in every group, with the
 * variant and the simulator version always compared (observed runs have neither).
 */
export function parameterDiff(groups: readonly CompareGroup[]): ParameterRow[] {
  const flat = groups.map((g) => {
    const run = g.runs[0]
    const base =
      g.source === 'observed'
        ? { source: 'observed' }
        : { ...flatten(run?.scenario), simulator_version: run?.simulatorVersion ?? '' }
    return { variant: g.source === 'observed' ? 'observed' : g.variant, ...base } as Record<
      string,
      string
    >
  })
  const paths = [...new Set(flat.flatMap((f) => Object.keys(f)))]
  return paths
    .map((path) => ({ path, values: flat.map((f) => f[path] ?? '') }))
    .filter((row) => new Set(row.values).size > 1)
}
