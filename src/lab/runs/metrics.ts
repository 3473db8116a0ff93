import type { RunResult } from '../../shared/result'
import type { KeyMetrics } from '../../shared/dto'

/** The run table's columns, taken from a finished run's result. */
export function keyMetrics(result: RunResult): KeyMetrics {
  return {
    allocstall: result.derived.allocstall ?? 0,
    pgsteal_anon_per_s: result.derived.pgsteal_anon_per_s ?? 0,
    psi_some_avg10: result.psi.some.avg10,
    alloc_p99_us: result.derived.alloc_slowpath_p99_us ?? 0,
    kswapd_cpu_pct: result.derived.kswapd_cpu_pct ?? 0
  }
}
