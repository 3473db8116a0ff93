import { Arena } from './arena'
import { Engine } from './des/engine'
import { Rng, Streams } from './des/prng'
import { Scheduler, type CoreSpec } from './cpu/scheduler'
import { Pages } from './mm/page'
import { Pgdat } from './mm/mmzone'
import { LruGenFolio } from './mm/lru_gen'
import * as mm_mmzone_mod from './mm/mmzone'
import { SwapInfo } from './mm/swap'
import { Zram } from './mm/zram'
import { Zswap } from './mm/zswap'
import { BlockDevice } from './mm/blkdev'
import * as mm_kswapd_mod from './mm/kswapd'
import * as mm_writeback_mod from './mm/writeback'
import * as metrics_vmstat_mod from './metrics/vmstat'
import { Psi } from './metrics/psi'
import { Histogram } from './metrics/histogram'
import { Tracer } from './metrics/trace'
import * as variants_mod from './variants'
import type { Scenario } from '../shared/scenario/schema'
import type { Kernel } from './kernel'
import * as mm_types from './mm/types'
import * as pcp_mod from './mm/pcp'
import * as mm_inline_mod from './mm/mm_inline'
import { Mapping } from './mm/mapping'
import { zap_scratch } from './mm/exit'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { __setup_per_zone_wmarks, calculate_min_free_kbytes, zone_batchsize } = mm_mmzone_mod
const { decay_pcp_high, setup_pagesets } = pcp_mod
const { kswapd } = mm_kswapd_mod
const { flusher, flusherWaitQueue } = mm_writeback_mod
const { createVmstat } = metrics_vmstat_mod
const { createWriteout, VARIANTS } = variants_mod
const { CONTENT_TYPICAL, PAGE_SIZE, PG_dirty, PG_swapbacked } = mm_types
const { lruvec_add_folio } = mm_inline_mod

const MB = 1024 * 1024

/** Builds the simulated machine for a scenario: memory, CPUs, swap backends, kernel threads. */
export function buildKernel(sc: Scenario, seed: number, variant: string): Kernel {
  const writeout = createWriteout(variant, sc.variant)
  const env = new Engine()
  const d = sc.device
  const specs: CoreSpec[] = []
  for (const g of d.cpus)
    for (let i = 0; i < g.count; i++) specs.push({ class: g.class, speed: g.speed })
  const lost = d.lost_tick_pct / 100
  const ticks = new Rng(seed, 'device.lost_ticks')
  const sched = new Scheduler(
    env,
    specs,
    sc.kernel.preempt === 'voluntary',
    lost > 0 ? () => ticks.next() < lost : null
  )
  const managed = Math.floor(((d.mem_mb_per_node - d.reserved_mb) * MB) / PAGE_SIZE)
  if (managed < 1024)
    throw new Error('device.mem_mb_per_node: less than 4 MiB managed after reserved_mb')
  const arena = new Arena()
  const pages = new Pages(managed * d.nodes, d.nodes, arena)
  const pgdats: Pgdat[] = []
  for (let nid = 0; nid < d.nodes; nid++) {
    const pg = new Pgdat(nid, managed, nid * managed, arena)
    const z = pg.zone
    pg.nr_kernel_pages = Math.min(
      managed - 1024,
      Math.floor((d.kernel_used_mb * MB) / PAGE_SIZE / d.nodes)
    )
    try {
      z.boot_layout(pg.nr_kernel_pages, d.unmovable_free_chunks)
    } catch (err) {
      throw new Error(`device.unmovable_free_chunks: ${(err as Error).message}`)
    }
    z.watermark_boost_factor = sc.kernel.vm.watermark_boost_factor
    if (sc.kernel.lru_gen.enabled) pg.lruvec.lrugen = new LruGenFolio()
    pgdats.push(pg)
  }
  const totalram_pages = managed * d.nodes
  const vm = sc.kernel.vm
  const min_free_kbytes =
    vm.min_free_kbytes ?? calculate_min_free_kbytes(totalram_pages * (PAGE_SIZE / 1024))
  __setup_per_zone_wmarks(
    pgdats.map((p) => p.zone),
    min_free_kbytes,
    vm.watermark_scale_factor
  )
  for (const pg of pgdats) {
    pg.zone.batch = zone_batchsize(managed)
    setup_pagesets(pg.zone, specs.length, specs.length / d.nodes)
  }
  // vmstat_update() every sysctl_stat_interval (HZ): decay_pcp_high() on every CPU's lists.
  const vmstat_update = (): void => {
    for (const pg of pgdats) decay_pcp_high(pg.zone)
    env.after(1_000_000_000, vmstat_update)
  }
  env.after(1_000_000_000, vmstat_update)
  const dk = d.swap.disk
  const k: Kernel = {
    arena,
    env,
    sched,
    rng: new Streams(seed),
    scenario: sc,
    pages,
    pgdats,
    totalram_pages,
    vmstat: createVmstat(),
    swappiness: vm.swappiness,
    lru_gen: sc.kernel.lru_gen.enabled,
    swap: null,
    zram: null,
    zswap: null,
    disk: new BlockDevice(
      env,
      dk.read_latency_us * 1000,
      dk.write_latency_us * 1000,
      (dk.bandwidth_mb_s * MB) / 1e9
    ),
    writeout,
    costs: { ...sc.costs },
    mappings: [],
    procs: [],
    psi: null as unknown as Psi,
    hist: { alloc: new Histogram(), direct_reclaim: new Histogram(), launch: new Histogram() },
    tracer: sc.trace.enabled ? new Tracer(env, sc.trace.max_events) : null,
    warnings: [],
    batch: zone_batchsize(managed),
    acc: 0,
    anon_vma_writers: 0,
    nr_exiting_mm: 0,
    allocBuf: new Int32Array(1024),
    scratch: { lists: [], arrays: [], zap: zap_scratch(d.nodes) },
    writeback_pending: 0,
    dirtyQueue: [],
    flusher_wait: null,
    counters: {
      launches: 0,
      cold_launches: 0,
      kills_lmkd: 0,
      kills_oom: 0,
      zero_pages_out: 0,
      eater_alloc_ns: 0,
      eater_total_ns: 0,
      eater_cpu_ns: 0,
      eater_stime_ns: 0,
      eater_peak_rss: 0,
      eater_peak_swapents: 0,
      peak_pgscan_kswapd: 0,
      peak_pgsteal_kswapd: 0,
      peak_zram_orig: 0,
      peak_zram_compr: 0,
      peak_zram_mem_used: 0,
      jobs_done: 0,
      trace_late_ns: 0,
      tlb_remote_flushes: 0
    }
  }
  k.psi = new Psi(sched.cores)
  sched.observer = k.psi
  const st = d.swap
  if (st.type === 'zram') {
    const slots = Math.floor((st.zram.disksize_mb * MB) / PAGE_SIZE)
    k.swap = new SwapInfo(slots, true, k.arena)
    k.zram = new Zram(
      k,
      st.zram.comp_algorithm,
      slots,
      Math.floor((st.zram.mem_limit_mb * MB) / PAGE_SIZE)
    )
  } else if (st.type === 'zswap' || st.type === 'disk') {
    k.swap = new SwapInfo(Math.floor((dk.size_mb * MB) / PAGE_SIZE), false, k.arena)
    const zs = sc.kernel.zswap
    if (st.type === 'zswap' || zs.enabled) {
      k.zswap = new Zswap(k, zs.compressor, zs.max_pool_percent, zs.accept_threshold_percent)
      const zswap = k.zswap
      sched.spawn('kworker/zswap_shrink', 'kworker', 0, () => zswap.shrink_worker(k))
    }
  }
  if (d.shmem_mb > 0) boot_shmem(k, Math.floor((d.shmem_mb * MB) / PAGE_SIZE))
  for (const pg of pgdats) {
    pg.kswapd = sched.spawn(`kswapd${pg.node_id}`, 'kswapd', 0, (t) => kswapd(k, t, pg))
  }
  const fwq = flusherWaitQueue()
  k.flusher_wait = { wake: () => fwq.wake_up_all() }
  sched.spawn('kworker/flush', 'kworker', 0, () => flusher(k, fwq))
  if (k.tracer) {
    const tr = k.tracer
    sched.onBurst = (_c, t, s, e) => tr.complete('cpu', t, s, e)
  }
  writeout.start(k)
  k.warnings.push(...unmodelled(sc), ...variantWarnings(sc, variant))
  return k
}

/**
 * device.shmem_mb: tmpfs pages written at boot (shmem_add_to_page_cache(), then never touched):
 * swap-backed, dirty (no backing store but swap), unmapped, on node 0's inactive anon list, so the
 * first reclaim finds them at the tail. Content as typical anon pages.
 */
function boot_shmem(k: Kernel, pages: number): void {
  const m = new Mapping(k.mappings.length, true, pages, -1, 0, k.arena)
  k.mappings.push(m)
  m.content!.fill(CONTENT_TYPICAL)
  const z = k.pgdats[0].zone
  const p = k.pages
  for (let i = 0; i < pages; i++) {
    const pfn = z.alloc_page()
    p.flags[pfn] = PG_swapbacked | PG_dirty
    p.mapping[pfn] = m.id
    p.index[pfn] = i
    m.pte[i] = pfn
    m.nr_resident++
    lruvec_add_folio(k, pfn, false)
  }
}

/** Knobs the schema accepts (they are part of the shared scenario) but the model does not use. */
function unmodelled(sc: Scenario): string[] {
  const w: string[] = []
  const vm = sc.kernel.vm
  if (vm.page_cluster !== 3) w.push('kernel.vm.page_cluster is not modelled (no swap readahead)')
  if (sc.kernel.zswap.shrinker_enabled) w.push('kernel.zswap.shrinker_enabled is not modelled')
  if (sc.kernel.zswap.enabled && sc.device.swap.type !== 'zswap' && sc.device.swap.type !== 'disk')
    w.push(`kernel.zswap.enabled has no effect with device.swap.type=${sc.device.swap.type}`)
  return w
}

/** Warnings about the variant: knobs without effect, and what the posted prototype does. */
function variantWarnings(sc: Scenario, variant: string): string[] {
  const set = Object.entries(sc.variant).filter(([, v]) => v !== null)
  if (variant === 'baseline')
    return set.length
      ? ['variant knobs are ignored by baseline (use --variant custom or a named design)']
      : []
  return VARIANTS[variant]?.warnings ?? []
}
