import { createHash } from 'node:crypto'
import { z } from 'zod'
import { applySets, scenarioSchema, VARIANTS } from '../../sim'
import { LabError, type FieldIssue } from '../../shared/errors'
import { issuesText, zodIssues } from '../../shared/zod-issues'
import type { NewRun } from '../store/repositories/runs'

export interface SweepAxis {
  knob: string
  values: Array<number | string | boolean>
}

export interface BatchSpec {
  variants: string[]
  seeds: number[]
  sweep: SweepAxis[]
}

/** sha256 over what determines a run's result. */
export function configHash(
  scenario: unknown,
  variant: string,
  seed: number,
  simulatorVersion: string
): string {
  return createHash('sha256')
    .update(JSON.stringify({ scenario, variant, seed, simulatorVersion }))
    .digest('hex')
}

function sweepPoints(sweep: SweepAxis[]): Array<Record<string, number | string | boolean>> {
  return sweep.reduce<Array<Record<string, number | string | boolean>>>(
    (points, axis) => points.flatMap((p) => axis.values.map((v) => ({ ...p, [axis.knob]: v }))),
    [{}]
  )
}

/**
 * Expands variants × seeds × sweep grid into runs over fully resolved scenarios. Every run is
 * validated before anything is stored; the first problem is reported with its field path.
 */
export function expandBatch(
  scenario: unknown,
  spec: BatchSpec,
  simulatorVersion: string
): NewRun[] {
  const unknown = spec.variants.filter((v) => !(v in VARIANTS))
  if (unknown.length) {
    const issues: FieldIssue[] = unknown.map((v) => ({
      path: `variants.${spec.variants.indexOf(v)}`,
      message: `unknown variant '${v}' (available: ${Object.keys(VARIANTS).join(', ')})`
    }))
    throw new LabError('invalid', issues.map((i) => i.message).join('; '), issues)
  }
  const runs: NewRun[] = []
  for (const point of sweepPoints(spec.sweep)) {
    const sets = Object.entries(point).map(([knob, value]) => `${knob}=${value}`)
    let resolved: unknown
    try {
      const parsed = scenarioSchema.safeParse(sets.length ? applySets(scenario, sets) : scenario)
      if (!parsed.success) throw parsed.error
      resolved = parsed.data
    } catch (err) {
      throw scenarioError(err, point)
    }
    for (const variant of spec.variants) {
      for (const seed of spec.seeds) {
        runs.push({
          variant,
          seed,
          sweepPoint: point,
          scenario: resolved,
          simulatorVersion,
          configHash: configHash(resolved, variant, seed, simulatorVersion)
        })
      }
    }
  }
  return runs
}

function scenarioError(err: unknown, point: Record<string, unknown>): LabError {
  const at = Object.keys(point).length ? ` (sweep point ${JSON.stringify(point)})` : ''
  if (err instanceof z.ZodError) {
    const issues = zodIssues(err, ['scenario'])
    return new LabError('invalid', `The scenario is not valid${at}: ${issuesText(issues)}`, issues)
  }
  const message = err instanceof Error ? err.message : String(err)
  return new LabError('invalid', `The scenario is not valid${at}: ${message}`, [
    { path: 'sweep', message }
  ])
}
