import { expandBatch, type BatchSpec } from '../../lab/runs/batch'
import type { NewRun } from '../../lab/store/repositories/runs'
import { LabError } from '../../shared/errors'
import { SIMULATOR_VERSION, parseScenario, ScenarioError } from '../../sim'
import type { Shard } from './run-options'

/** This shard's share of `runs`: every n-th, so n shards together run each run exactly once. */
export function shardOf<T>(runs: T[], shard: Shard | null): T[] {
  return shard ? runs.filter((_, i) => i % shard.count === shard.index - 1) : runs
}

/**
 * The runs of a batch in the app's order (sweep point, then variant, then seed), each with its
 * fully resolved scenario, cut down to this shard. Every run of the whole batch is validated, so
 * all shards refuse a bad sweep alike.
 */
export function planRuns(scenario: unknown, spec: BatchSpec, shard: Shard | null): NewRun[] {
  let runs: NewRun[]
  try {
    runs = expandBatch(scenario, spec, SIMULATOR_VERSION)
  } catch (err) {
    if (err instanceof LabError && err.code === 'invalid') throw new ScenarioError(err.message)
    throw err
  }
  const checked = new Set<unknown>()
  for (const run of runs) {
    // The runs of one sweep point share their scenario object.
    if (checked.has(run.scenario)) continue
    checked.add(run.scenario)
    try {
      parseScenario(run.scenario)
    } catch (err) {
      if (!(err instanceof ScenarioError) || !Object.keys(run.sweepPoint).length) throw err
      throw new ScenarioError(`sweep point ${JSON.stringify(run.sweepPoint)}: ${err.message}`)
    }
  }
  return shardOf(runs, shard)
}
