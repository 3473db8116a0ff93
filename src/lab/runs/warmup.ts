import type { StoredResult } from '../../shared/result'
import { afterWarmup } from '../../shared/compare/warmup'
import type { RunDetail } from '../../shared/dto'
import type { RunRepository } from '../store/repositories/runs'

/**
 * The run with the metrics the compare view shows after a warm-up, recomputed from its stored
 * series; none when the warm-up leaves nothing of the run.
 */
export function runAfterWarmup(runs: RunRepository, run: RunDetail, warmupS: number): RunDetail {
  if (!run.result || warmupS <= 0) return run
  const after = afterWarmup(run.result as StoredResult, runs.series(run.id), warmupS)
  return {
    ...run,
    result: {
      ...run.result,
      ...(after ?? { vmstat: {}, derived: {}, psi: undefined, histograms: {} })
    }
  }
}
