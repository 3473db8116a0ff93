/** Two decimals, as in the simulator's results. */
const r2 = (x: number): number => (Number.isFinite(x) ? Math.round(x * 100) / 100 : 0)

/** allocstall_<zone> summed; kernels before 4.11 had one `allocstall` counter. */
function allocstall(v: Record<string, number>): number | undefined {
  const zones = Object.keys(v).filter((n) => n.startsWith('allocstall_'))
  if (zones.length) return zones.reduce((sum, n) => sum + v[n], 0)
  return v.allocstall
}

/** workingset_refault_{anon,file}; kernels before 5.9 counted both in `workingset_refault`. */
function refaults(v: Record<string, number>): number | undefined {
  if ('workingset_refault_anon' in v && 'workingset_refault_file' in v)
    return v.workingset_refault_anon + v.workingset_refault_file
  return v.workingset_refault
}

/**
 * The simulator's derived metrics (derive() in src/sim/result.ts), same names and formulas, over
 * counter differences across the capture. A metric is left out when the kernel lacks a counter it
 * needs, and always for what /proc/vmstat cannot tell: kswapd CPU, latency percentiles, lmkd kills,
 * app launches.
 */
export function deriveObserved(
  v: Record<string, number>,
  durationS: number
): Record<string, number> {
  const has = (...names: string[]): boolean => names.every((n) => n in v)
  const perS = (x: number): number => r2(x / durationS)
  const d: Record<string, number> = {}
  if (has('pgsteal_anon')) d.pgsteal_anon_per_s = perS(v.pgsteal_anon)
  if (has('pgsteal_file')) d.pgsteal_file_per_s = perS(v.pgsteal_file)
  if (has('pgscan_kswapd', 'pgscan_direct'))
    d.pgscan_per_s = perS(v.pgscan_kswapd + v.pgscan_direct)
  if (has('pgsteal_kswapd', 'pgscan_kswapd'))
    d.kswapd_efficiency_pct = r2((100 * v.pgsteal_kswapd) / Math.max(1, v.pgscan_kswapd))
  if (has('pgscan_kswapd')) d.kswapd_velocity_per_s = perS(v.pgscan_kswapd)
  if (has('pgscan_kswapd', 'pgscan_direct'))
    d.direct_scan_share_pct = r2(
      (100 * v.pgscan_direct) / Math.max(1, v.pgscan_kswapd + v.pgscan_direct)
    )
  const stalls = allocstall(v)
  if (stalls !== undefined) {
    d.allocstall = stalls
    d.allocstall_per_s = perS(stalls)
  }
  if (has('pswpout')) d.pswpout_per_s = perS(v.pswpout)
  if (has('pswpin')) d.pswpin_per_s = perS(v.pswpin)
  const refaulted = refaults(v)
  if (refaulted !== undefined) d.refaults_per_s = perS(refaulted)
  // 6.12+: zero-filled folios recorded in the swap zeromap instead of written, as the model counts.
  if (has('swpout_zero')) d.zero_pages_swapped_out = v.swpout_zero
  if (has('oom_kill')) d.oom_kills = v.oom_kill
  return d
}
