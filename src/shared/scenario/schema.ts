import { z } from 'zod'
import { issuesText, zodIssues } from '../zod-issues'

/**
 * The scenario: a device profile, a workload, kernel knobs named after their sysctls / module
 * parameters, a duration and a sampling interval. Units are in the field names (_mb, _ms, _us, _ns,
 * _pct, _s). Defaults cite docs/kernel-reference.md (see src/sim/README.md for the table).
 */
const range = (lo: number, hi: number) =>
  z.tuple([z.number().min(lo).max(hi), z.number().min(lo).max(hi)])

/**
 * Text with a stated maximum length: every run copies its scenario, and share codes and bundles
 * carry it, so a scenario must not be able to hold megabytes of prose.
 */
const TEXT_LIMITS = {
  name: 200,
  description: 4000,
  cpuClass: 40,
  /** A trace file's path. */
  path: 4096,
  /** A trace file's content, as large as an observed run's file may be. */
  traceText: 50_000_000
} as const

const text = (max: number) =>
  z.string().max(max, `must be at most ${max.toLocaleString('en-US')} characters`)

export const cpuGroupSchema = z.strictObject({
  class: text(TEXT_LIMITS.cpuClass).min(1),
  count: z.int().min(1).max(64),
  /** Work per ns relative to the reference core (lzbench's i5-4300U). */
  speed: z.number().positive().max(10)
})

export const compAlgorithm = z.enum(['lz4', 'lzo', 'lzo-rle', 'zstd'])

export const swapSchema = z.strictObject({
  type: z.enum(['zram', 'zswap', 'disk', 'none']).default('zram'),
  zram: z
    .strictObject({
      disksize_mb: z
        .int()
        .min(1)
        .max(1 << 20)
        .default(4096),
      comp_algorithm: compAlgorithm.default('lz4'),
      /** 0 = no limit */
      mem_limit_mb: z.int().min(0).default(0)
    })
    .prefault({}),
  disk: z
    .strictObject({
      size_mb: z
        .int()
        .min(1)
        .max(1 << 22)
        .default(8192),
      read_latency_us: z.number().min(0).max(1e6).default(80),
      write_latency_us: z.number().min(0).max(1e6).default(30),
      bandwidth_mb_s: z.number().positive().max(1e5).default(1500)
    })
    .prefault({})
})

export const deviceSchema = z.strictObject({
  name: text(TEXT_LIMITS.name).default('custom'),
  nodes: z.int().min(1).max(4).default(1),
  mem_mb_per_node: z.number().min(32).max(16384).default(8192),
  /** Memory not managed by the page allocator (kernel image, carve-outs). */
  reserved_mb: z.number().min(0).default(0),
  /** Managed memory the kernel itself holds from boot (slab, vmalloc, ramfs): never reclaimed. */
  kernel_used_mb: z.number().min(0).default(0),
  /**
   * Free buddy chunks in Unmovable pageblocks when the workload starts, a count per order 0–10
   * (/proc/pagetypeinfo's Unmovable row): what Movable allocations fall back into once Movable
   * pageblocks run dry, claiming blocks and boosting the watermarks.
   */
  unmovable_free_chunks: z.array(z.int().min(0).max(1024)).max(11).default([]),
  /**
   * tmpfs/shmem pages written at boot (an initramfs unpacked into tmpfs, /dev/shm) and not used
   * again: swap-backed, unmapped, at the tail of the inactive anon list of node 0.
   */
  shmem_mb: z.number().min(0).default(0),
  /**
   * Ticks an emulated CPU loses, %: a vCPU thread its host holds back past a tick switches at the
   * next one (qemu TCG; 0 on hardware).
   */
  lost_tick_pct: z.number().min(0).max(50).default(0),
  cpus: z
    .array(cpuGroupSchema)
    .min(1)
    .max(16)
    .default([{ class: 'big', count: 4, speed: 1 }]),
  swap: swapSchema.prefault({})
})

const contentSchema = z
  .strictObject({
    zero_pct: z.number().min(0).max(100).default(0),
    same_pct: z.number().min(0).max(100).default(0),
    incompressible_pct: z.number().min(0).max(100).default(0),
    /** > 0: the remaining pages hold this many random bytes and zeros (the twin eater). */
    partial_random_bytes: z.int().min(0).max(4096).default(0)
  })
  .prefault({})

/**
 * CPU-bound tasks beside the workload (the twin's hog.c, stress-ng --cpu): they touch no new
 * memory and keep `count` CPUs busy, so "busy cores" is part of the scenario.
 */
const cpuHogsSchema = z
  .strictObject({
    count: z.int().min(0).max(256).default(0),
    nice: z.int().min(-20).max(19).default(0)
  })
  .prefault({})

export const memoryEaterSchema = z.strictObject({
  type: z.literal('memory_eater'),
  eat_mb: z
    .int()
    .min(1)
    .max(1 << 20)
    .default(1024),
  /** MiB/s, 0 = as fast as the CPU allows. */
  rate_mb_s: z.number().min(0).default(0),
  ws_mb: z.int().min(0).default(0),
  passes: z.int().min(0).max(1000).default(0),
  /** User-space CPU per page touched (fill_page), reference ns. */
  user_ns_per_page: z.number().min(0).default(300),
  /** Keep the memory after the passes until the end of the run. */
  hold: z.boolean().default(true),
  /** One mmap() for all of eat_mb instead of one per MiB (each merges under the anon_vma lock). */
  one_mapping: z.boolean().default(false),
  nice: z.int().min(-20).max(19).default(0),
  content: contentSchema,
  cpu_hogs: cpuHogsSchema
})

export const appSwitchSchema = z.strictObject({
  type: z.literal('android_app_switch'),
  apps: z.int().min(1).max(200).default(28),
  /** Apps opened once at start (not measured) so the run begins with a full set of cached apps. */
  prelaunch_apps: z.int().min(0).max(200).default(28),
  app_anon_mb: range(1, 8192).default([150, 450]),
  app_file_mb: range(0, 8192).default([40, 160]),
  system_anon_mb: z.number().min(0).default(1500),
  system_file_mb: z.number().min(0).default(600),
  switch_interval_s: z.number().min(0.05).max(600).default(4),
  cold_launch_cpu_ms: z.number().min(0).default(300),
  warm_launch_cpu_ms: z.number().min(0).default(60),
  /** Share of an app's anon memory a warm launch touches. */
  launch_touch_pct: z.number().min(0).max(100).default(30),
  /** Share of its anon memory each background app touches per second. */
  bg_touch_pct_per_s: z.number().min(0).max(100).default(1),
  /** Zipf-like skew of app choice (0 = uniform). */
  popularity_skew: z.number().min(0).max(3).default(1),
  content: contentSchema,
  cpu_hogs: cpuHogsSchema
})

export const kernelBuildSchema = z.strictObject({
  type: z.literal('kernel_build'),
  jobs: z.int().min(1).max(512).default(8),
  job_anon_mb: range(1, 4096).default([60, 250]),
  job_cpu_ms: range(1, 60000).default([300, 2500]),
  source_tree_mb: z.number().min(1).default(1100),
  headers_mb: z.number().min(0).default(200),
  read_mb_per_job: range(0, 1024).default([2, 12]),
  write_mb_per_job: range(0, 1024).default([0.2, 2]),
  content: contentSchema,
  cpu_hogs: cpuHogsSchema
})

export const traceWorkloadSchema = z.strictObject({
  type: z.literal('trace'),
  format: z.enum(['json', 'csv']).default('json'),
  /** The trace file's text (the CLI reads --set workload.file=PATH into here). */
  text: text(TEXT_LIMITS.traceText).default(''),
  file: text(TEXT_LIMITS.path).optional(),
  content: contentSchema,
  cpu_hogs: cpuHogsSchema
})

export const workloadSchema = z.discriminatedUnion('type', [
  memoryEaterSchema,
  appSwitchSchema,
  kernelBuildSchema,
  traceWorkloadSchema
])

export const vmSchema = z.strictObject({
  swappiness: z.int().min(0).max(200).default(60),
  /** null = computed as the kernel does (calculate_min_free_kbytes). */
  min_free_kbytes: z.int().min(128).max(262144).nullable().default(null),
  watermark_scale_factor: z.int().min(1).max(3000).default(10),
  watermark_boost_factor: z.int().min(0).max(100000).default(15000),
  page_cluster: z.int().min(0).max(10).default(3)
})

export const zswapSchema = z.strictObject({
  enabled: z.boolean().default(false),
  compressor: compAlgorithm.default('lzo'),
  max_pool_percent: z.int().min(1).max(100).default(20),
  accept_threshold_percent: z.int().min(0).max(100).default(90),
  shrinker_enabled: z.boolean().default(false)
})

export const lmkdSchema = z.strictObject({
  enabled: z.boolean().default(false),
  psi_partial_stall_ms: z.int().min(1).max(10000).default(70),
  psi_complete_stall_ms: z.int().min(1).max(10000).default(700),
  thrashing_limit: z.int().min(0).max(1000).default(100),
  thrashing_limit_decay: z.int().min(0).max(100).default(10),
  swap_free_low_percentage: z.int().min(0).max(100).default(10),
  kill_timeout_ms: z.int().min(0).max(10000).default(100)
})

/** /sys/kernel/mm/lru_gen: the multi-gen LRU (MGLRU), `enabled` = y (0x0007) or off. */
export const lruGenSchema = z.strictObject({
  enabled: z.boolean().default(false)
})

export const kernelSchema = z.strictObject({
  /**
   * The preemption model: `full` (CONFIG_PREEMPT) switches a thread out wherever it is;
   * `voluntary` (CONFIG_PREEMPT_VOLUNTARY) lets kernel code run on to its next cond_resched() or
   * return to user mode.
   */
  preempt: z.enum(['full', 'voluntary']).default('full'),
  vm: vmSchema.prefault({}),
  lru_gen: lruGenSchema.prefault({}),
  zswap: zswapSchema.prefault({}),
  lmkd: lmkdSchema.prefault({})
})

/** CPU cost of each modelled step, reference-core ns (see README for sources; most are assumed). */
/** A factor per compression algorithm, 1 unless set (costs.comp_scale, costs.decomp_scale). */
function perAlgorithmScale() {
  const factor = z.number().positive().max(100).default(1)
  return z.strictObject({ lz4: factor, lzo: factor, 'lzo-rle': factor, zstd: factor }).prefault({})
}

export const costsSchema = z.strictObject({
  isolate_ns: z.number().min(0).default(60),
  folio_referenced_ns: z.number().min(0).default(250),
  add_to_swap_ns: z.number().min(0).default(350),
  try_to_unmap_ns: z.number().min(0).default(400),
  remove_mapping_ns: z.number().min(0).default(150),
  putback_ns: z.number().min(0).default(40),
  lru_gen_walk_pte_ns: z.number().min(0).default(5),
  zero_check_ns: z.number().min(0).default(150),
  zs_malloc_ns: z.number().min(0).default(400),
  fault_anon_ns: z.number().min(0).default(1000),
  fault_swapin_ns: z.number().min(0).default(2000),
  fault_file_ns: z.number().min(0).default(1500),
  exit_per_page_ns: z.number().min(0).default(80),
  /** exit_mmap() of a swap entry: free_swap_and_cache(), the zram or zswap slot freed. */
  exit_swap_entry_ns: z.number().min(0).default(130),
  /** A remote TLB flush: the reclaimer sends the IPI and waits for the ack (flush_tlb_multi()). */
  tlb_flush_ipi_ns: z.number().min(0).default(2000),
  /** The same flush on the CPU it interrupts (the flush and the TLB refill after it). */
  tlb_flush_irq_ns: z.number().min(0).default(1000),
  /**
   * Compression time against the measured table (docs/compression.md), per algorithm: 1 on a CPU
   * whose compressors follow its speed factor; an emulator runs each compressor's code at its own
   * rate (docs/twin.md).
   */
  comp_scale: perAlgorithmScale(),
  /** The same for decompression: an emulator's rates differ for each direction too. */
  decomp_scale: perAlgorithmScale()
})

/**
 * Patch-variant knobs (src/sim/README.md, Patch variants). null = the chosen variant's own default
 * (src/sim/variants/kcompressd/designs.ts); `baseline` ignores them.
 */
export const variantKnobsSchema = z.strictObject({
  /** Threads: global (dispatch first_fit / round_robin) or per node (dispatch per_node). */
  nr_kcompressd: z.int().min(1).max(64).nullable().default(null),
  /** Queue capacity per thread, in folios (bios). */
  queue_size: z
    .int()
    .min(1)
    .max(1 << 20)
    .nullable()
    .default(null),
  /** 'kswapd': current_is_kswapd() only; 'all': every reclaimer (direct, proactive). */
  offload_contexts: z.enum(['kswapd', 'all']).nullable().default(null),
  /** 'zram': zram only (v1, zram_async); 'zram_zswap': zswap or a SWP_SYNCHRONOUS_IO device. */
  backends: z.enum(['zram', 'zram_zswap']).nullable().default(null),
  /** `if (num_online_cpus() == 1) return false;` (Barry Song's proposal [B-0501], docs/kernel-reference.md). */
  single_cpu_guard: z.boolean().nullable().default(null),
  /** kcompressd's nice level. */
  nice: z.int().min(-20).max(19).nullable().default(null),
  /** The threads run with PF_MEMALLOC (may dip below the min watermark). */
  pf_memalloc: z.boolean().nullable().default(null),
  /** Which thread's queue a folio goes to. */
  dispatch: z.enum(['first_fit', 'round_robin', 'per_node']).nullable().default(null),
  /** Full queue: kswapd compresses the new folio itself, or writes the oldest queued one out first. */
  full_policy: z.enum(['sync_newest', 'sync_oldest']).nullable().default(null),
  /** The folio returns from pageout under writeback, or still locked (the per-node prototype). */
  folio: z.enum(['writeback', 'locked']).nullable().default(null),
  /** 'on_enqueue' (wake if sleeping) or 'never' (the posted prototype). */
  wake: z.enum(['on_enqueue', 'never']).nullable().default(null),
  /** Threads start on the first submission to their queue (v1) instead of at boot. */
  lazy_start: z.boolean().nullable().default(null)
})

export const scenarioSchema = z
  .strictObject({
    name: text(TEXT_LIMITS.name).default('custom'),
    description: text(TEXT_LIMITS.description).default(''),
    device: deviceSchema.prefault({}),
    workload: workloadSchema,
    kernel: kernelSchema.prefault({}),
    costs: costsSchema.prefault({}),
    variant: variantKnobsSchema.prefault({}),
    duration_s: z.number().positive().max(86400).default(30),
    sample_interval_ms: z.number().min(1).max(60000).default(100),
    trace: z
      .strictObject({
        enabled: z.boolean().default(false),
        max_events: z.int().min(1).max(1_000_000).default(200_000)
      })
      .prefault({}),
    /** Checked mode: assert the invariants at every sample (slower). */
    check_invariants: z.boolean().default(false)
  })
  .superRefine((sc, ctx) => {
    for (const [path, message] of crossFieldProblems(sc))
      ctx.addIssue({ code: 'custom', path: path.split('.'), message })
  })

export type Scenario = z.output<typeof scenarioSchema>
export type ScenarioInput = z.input<typeof scenarioSchema>
export type Workload = Scenario['workload']
export type ContentSpec = z.output<typeof contentSchema>

export class ScenarioError extends Error {}

/** Samples one series may hold: a run's series travel to and are stored by the notebook whole. */
export const MAX_SAMPLES_PER_SERIES = 100_000

interface CrossFieldInput {
  device: {
    mem_mb_per_node: number
    reserved_mb: number
    kernel_used_mb: number
    nodes: number
    shmem_mb: number
  }
  duration_s: number
  sample_interval_ms: number
}

/** [field path, message] for every rule that spans fields. */
function crossFieldProblems(sc: CrossFieldInput): Array<[string, string]> {
  const problems: Array<[string, string]> = []
  const d = sc.device
  const managed = d.mem_mb_per_node - d.reserved_mb
  if (managed < 16)
    problems.push(['device.reserved_mb', 'leaves less than 16 MiB of managed memory per node'])
  else if (d.kernel_used_mb / d.nodes > managed - 16)
    problems.push(['device.kernel_used_mb', 'leaves less than 16 MiB of free memory per node'])
  else if (d.kernel_used_mb / d.nodes + d.shmem_mb > managed - 16)
    problems.push(['device.shmem_mb', 'leaves less than 16 MiB of free memory on node 0'])
  const samples = Math.floor((sc.duration_s * 1000) / sc.sample_interval_ms)
  if (samples > MAX_SAMPLES_PER_SERIES) {
    const least = Math.ceil((sc.duration_s * 1000) / MAX_SAMPLES_PER_SERIES)
    problems.push([
      'sample_interval_ms',
      `gives ${samples} samples per series over duration_s=${sc.duration_s}; at most ${MAX_SAMPLES_PER_SERIES} (use ${least} ms or more)`
    ])
  }
  return problems
}

/** Validates a scenario; errors name the field (e.g. `kernel.vm.swappiness: Too big: ...`). */
export function parseScenario(input: unknown): Scenario {
  const r = scenarioSchema.safeParse(input)
  if (!r.success) {
    throw new ScenarioError(issuesText(zodIssues(r.error)))
  }
  return r.data
}
