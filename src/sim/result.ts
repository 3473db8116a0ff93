import type { Kernel } from './kernel'
import type { Zone } from './mm/zone'
import * as metrics_vmstat_mod from './metrics/vmstat'
import * as metrics_sampler_mod from './metrics/sampler'
import type { RunResult, ThreadStat } from '../shared/result'
import * as mm_types from './mm/types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { VMSTAT_COUNTERS } = metrics_vmstat_mod
const { read_gauges, scan_gauges } = metrics_sampler_mod
const { PAGE_SIZE } = mm_types

export type { RunResult, ThreadStat }

const r2 = (x: number): number => (Number.isFinite(x) ? Math.round(x * 100) / 100 : 0)
const MB = (pages: number): number => r2((pages * PAGE_SIZE) / 1048576)
const sum_zones = (k: Kernel, f: (z: Zone) => number): number =>
  k.pgdats.reduce((n, pg) => n + f(pg.zone), 0)

/** Derived metrics: rates, shares, latencies and pool sizes computed from a finished run. */
export function derive(k: Kernel, duration_s: number): Record<string, number> {
  const v = k.vmstat
  const per_s = (x: number): number => r2(x / duration_s)
  let kswapd_ns = 0
  for (const pg of k.pgdats) kswapd_ns += pg.kswapd ? pg.kswapd.cpu_ns : 0
  const allocstall =
    v.allocstall_dma + v.allocstall_dma32 + v.allocstall_normal + v.allocstall_movable
  const d: Record<string, number> = {
    pgsteal_anon_per_s: per_s(v.pgsteal_anon),
    pgsteal_file_per_s: per_s(v.pgsteal_file),
    pgscan_per_s: per_s(v.pgscan_kswapd + v.pgscan_direct),
    kswapd_efficiency_pct: r2((100 * v.pgsteal_kswapd) / Math.max(1, v.pgscan_kswapd)),
    kswapd_velocity_per_s: per_s(v.pgscan_kswapd),
    direct_scan_share_pct: r2(
      (100 * v.pgscan_direct) / Math.max(1, v.pgscan_kswapd + v.pgscan_direct)
    ),
    kswapd_cpu_pct: r2((100 * kswapd_ns) / (duration_s * 1e9)),
    allocstall: allocstall,
    allocstall_per_s: per_s(allocstall),
    pswpout_per_s: per_s(v.pswpout),
    pswpin_per_s: per_s(v.pswpin),
    refaults_per_s: per_s(v.workingset_refault_anon + v.workingset_refault_file),
    zero_pages_swapped_out: k.counters.zero_pages_out,
    oom_kills: k.counters.kills_oom,
    lmkd_kills: k.counters.kills_lmkd,
    app_launches: k.counters.launches,
    app_cold_launches: k.counters.cold_launches,
    build_jobs_done: k.counters.jobs_done,
    tlb_remote_flushes: k.counters.tlb_remote_flushes,
    unmovable_fallbacks: sum_zones(k, (z) => z.nr_unmovable_fallbacks),
    unmovable_steals: sum_zones(k, (z) => z.nr_unmovable_steals),
    watermark_boosts: sum_zones(k, (z) => z.nr_boosts)
  }
  const h = k.hist
  d.alloc_slowpath_p99_us = h.alloc.summary().p99_us
  d.direct_reclaim_p50_us = h.direct_reclaim.summary().p50_us
  d.direct_reclaim_p99_us = h.direct_reclaim.summary().p99_us
  if (h.launch.count) {
    const s = h.launch.summary()
    d.launch_latency_mean_ms = r2(s.mean_us / 1000)
    d.launch_latency_p50_ms = r2(s.p50_us / 1000)
    d.launch_latency_p90_ms = r2(s.p90_us / 1000)
    d.launch_latency_p99_ms = r2(s.p99_us / 1000)
  }
  if (k.zram) {
    d.zram_orig_mb = MB(k.zram.orig_data_size)
    d.zram_compr_mb = r2(k.zram.compr_data_size / 1048576)
    d.zram_mem_used_mb = MB(k.zram.mem_used_total)
    d.zram_ratio = r2((k.zram.orig_data_size * PAGE_SIZE) / Math.max(1, k.zram.compr_data_size))
  }
  if (k.zswap) {
    d.zswap_pool_mb = MB(k.zswap.zswap_total_pages())
    d.zswap_stored_pages = k.zswap.stored_pages
    d.zswap_pool_limit_hit = k.zswap.pool_limit_hit
  }
  if (k.counters.eater_alloc_ns) d.eater_alloc_s = r2(k.counters.eater_alloc_ns / 1e9)
  if (k.counters.eater_total_ns) {
    d.eater_total_s = r2(k.counters.eater_total_ns / 1e9)
    // At the end of its passes, before it exits: what the twin's eater reads at its peak.
    d.eater_cpu_s = r2(k.counters.eater_cpu_ns / 1e9)
    d.eater_sys_s = r2(k.counters.eater_stime_ns / 1e9)
    d.eater_peak_rss_mb = MB(k.counters.eater_peak_rss)
    d.eater_peak_swap_mb = MB(k.counters.eater_peak_swapents)
    const w = k.scenario.workload
    if (w.type === 'memory_eater' && !w.hold) {
      // What kswapd did while the eater exited (folio_referenced() skips an exiting mm's folios).
      d.pgscan_kswapd_after_peak = k.vmstat.pgscan_kswapd - k.counters.peak_pgscan_kswapd
      d.pgsteal_kswapd_after_peak = k.vmstat.pgsteal_kswapd - k.counters.peak_pgsteal_kswapd
    }
    if (k.zram) {
      d.peak_zram_orig_mb = MB(k.counters.peak_zram_orig)
      d.peak_zram_compr_mb = r2(k.counters.peak_zram_compr / 1048576)
      d.peak_zram_mem_used_mb = MB(k.counters.peak_zram_mem_used)
    }
  }
  if (k.scenario.workload.type === 'trace') d.trace_late_ms = r2(k.counters.trace_late_ns / 1e6)
  if (k.writeout.derived) Object.assign(d, k.writeout.derived(k, duration_s))
  return d
}

export function buildResult(
  k: Kernel,
  version: string,
  variant: string,
  seed: number,
  duration_s: number
): RunResult {
  const vmstat: Record<string, number> = {}
  const g = read_gauges(k)
  for (const [name, val] of Object.entries(g)) vmstat[name] = val
  for (const [name, val] of Object.entries(scan_gauges(k))) vmstat[name] = val
  for (const c of VMSTAT_COUNTERS) vmstat[c] = k.vmstat[c]
  k.psi.collect(k.env.now)
  const threads = new Map<string, ThreadStat>()
  for (const t of k.sched.threads) {
    const name = t.name.replace(/#\d+$/, '')
    const s = threads.get(name) ?? {
      name,
      count: 0,
      cpu_ms: 0,
      sys_ms: 0,
      runnable_wait_ms: 0,
      memstall_ms: 0
    }
    s.count++
    s.cpu_ms += t.cpu_ns / 1e6
    s.sys_ms = (s.sys_ms as number) + t.stime_ns / 1e6
    s.runnable_wait_ms += t.wait_ns / 1e6
    s.memstall_ms += (t.memstall_ns + (t.memstall > 0 ? k.env.now - t.memstallSince : 0)) / 1e6
    threads.set(name, s)
  }
  const z0 = k.pgdats[0].zone
  const res: RunResult = {
    simulator_version: version,
    scenario: k.scenario.name,
    variant,
    seed,
    duration_s,
    events: k.env.events,
    vmstat,
    psi: { some: k.psi.line('some'), full: k.psi.line('full') },
    derived: derive(k, duration_s),
    histograms: {
      alloc_slowpath_latency: k.hist.alloc.summary(),
      direct_reclaim_latency: k.hist.direct_reclaim.summary(),
      launch_latency: k.hist.launch.summary()
    },
    zram: k.zram
      ? {
          orig_data_size: k.zram.orig_data_size * PAGE_SIZE,
          compr_data_size: k.zram.compr_data_size,
          mem_used_total: k.zram.mem_used_total * PAGE_SIZE,
          mem_used_max: k.zram.mem_used_max * PAGE_SIZE,
          same_pages: k.zram.same_pages,
          huge_pages: k.zram.huge_pages,
          failed_writes: k.zram.failed_writes
        }
      : null,
    zswap: k.zswap
      ? {
          pool_total_size: k.zswap.zswap_total_pages() * PAGE_SIZE,
          stored_pages: k.zswap.stored_pages,
          pool_limit_hit: k.zswap.pool_limit_hit,
          reject_compress_poor: k.zswap.reject_compress_poor,
          written_back_pages: k.zswap.written_back_pages
        }
      : null,
    watermarks: {
      min: z0._watermark[0],
      low: z0._watermark[1],
      high: z0._watermark[2],
      min_free_kbytes: k.scenario.kernel.vm.min_free_kbytes ?? 0
    },
    threads: [...threads.values()].map((s) => ({
      ...s,
      cpu_ms: r2(s.cpu_ms),
      runnable_wait_ms: r2(s.runnable_wait_ms),
      memstall_ms: r2(s.memstall_ms)
    })),
    warnings: [...k.warnings, ...(k.writeout.finish?.(k) ?? [])]
  }
  if (k.tracer) res.trace = k.tracer.toChromeJSON()
  return res
}
