import type { KeyMetrics } from '../../shared/dto'
import type { ObservedResult } from '../../shared/result'

/** The run table's columns for real measurements: /proc/vmstat has no CPU time or latencies. */
export function observedMetrics(result: ObservedResult): KeyMetrics {
  return {
    allocstall: result.derived.allocstall ?? 0,
    pgsteal_anon_per_s: result.derived.pgsteal_anon_per_s ?? 0,
    psi_some_avg10: result.psi.some.avg10,
    alloc_p99_us: null,
    kswapd_cpu_pct: null
  }
}
