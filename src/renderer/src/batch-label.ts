import { parseSeeds } from '../../shared/seeds'
import { parseSweepValues } from '../../shared/sweep'
import type { RunPlan } from './stores/run-plans'

function listed(names: string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

/**
 * What the run controls would start, in words: "Run baseline and v2 × 10 seeds", with "× 3 sweep
 * points" for a sweep; null while the controls cannot start anything.
 */
export function batchLabel(plan: RunPlan): string | null {
  const seeds = parseSeeds(plan.seeds)
  const points = plan.axes.reduce<number | null>((n, axis) => {
    const values = parseSweepValues(axis.values)
    return n === null || !axis.knob || typeof values === 'string' ? null : n * values.length
  }, 1)
  if (!plan.variants.length || typeof seeds === 'string' || points === null) return null
  const seedText = `${seeds.length} seed${seeds.length === 1 ? '' : 's'}`
  const sweepText = plan.axes.length ? ` × ${points} sweep point${points === 1 ? '' : 's'}` : ''
  return `Run ${listed(plan.variants)} × ${seedText}${sweepText}`
}
