import { LabError, type FieldIssue } from '../../shared/errors'
import { scenarioSchema, type Scenario } from '../../shared/scenario/schema'
import { zodIssues } from '../../shared/zod-issues'

/** What the guest is given: qemu's size and the rl_* parameters its init reads. */
export interface GuestPlan {
  memMb: number
  /** The model's memory per node: the MemTotal the scenario describes. */
  scenarioMemMb: number
  cpus: number
  swap: 'zram' | 'none'
  zram: { disksizeMb: number; algorithm: string; memLimitMb: number }
  vm: {
    swappiness: number
    /** null: the kernel computes it (calculate_min_free_kbytes). */
    minFreeKbytes: number | null
    watermarkScaleFactor: number
    watermarkBoostFactor: number
    pageCluster: number
  }
  lruGen: boolean
  eater: {
    eatMb: number
    rateMbS: number
    wsMb: number
    passes: number
    randomBytes: number
    zeroPct: number
    samePct: number
    incompressiblePct: number
    hold: boolean
    /** One mmap() for everything instead of one per MiB. */
    oneMapping: boolean
    nice: number
  }
  hogs: { count: number; nice: number }
  durationMs: number
  intervalMs: number
  /** Scenario fields that describe the model's machine and have no effect on the guest. */
  notes: string[]
}

/** The sampler's smallest interval: reading four files takes the guest a few ms under TCG. */
const MIN_INTERVAL_MS = 20

/**
 * Maps a scenario onto a qemu guest, or refuses it, listing every field that the guest cannot
 * express (no silent approximation). Fields that only calibrate the model to its machine (costs,
 * CPU speed, what the kernel holds from boot) are not refused: the real kernel has its own, and
 * the plan's notes say so.
 */
export function planGuest(input: unknown): GuestPlan {
  const parsed = scenarioSchema.safeParse(input)
  if (!parsed.success)
    throw new LabError(
      'invalid',
      'The experiment\u2019s scenario is not valid; fix it on the Scenario tab.',
      zodIssues(parsed.error, ['scenario'])
    )
  const sc = parsed.data
  const refused = refusals(sc)
  if (refused.length)
    throw new LabError(
      'invalid',
      `This scenario cannot run on a real kernel: ${refused.map((r) => `${r.path}: ${r.message}`).join('; ')}`,
      refused
    )
  const w = sc.workload as Extract<Scenario['workload'], { type: 'memory_eater' }>
  const vm = sc.kernel.vm
  return {
    memMb: Math.ceil(sc.device.mem_mb_per_node + sc.device.reserved_mb),
    scenarioMemMb: sc.device.mem_mb_per_node,
    cpus: sc.device.cpus.reduce((n, c) => n + c.count, 0),
    swap: sc.device.swap.type === 'zram' ? 'zram' : 'none',
    zram: {
      disksizeMb: sc.device.swap.zram.disksize_mb,
      algorithm: sc.device.swap.zram.comp_algorithm,
      memLimitMb: sc.device.swap.zram.mem_limit_mb
    },
    vm: {
      swappiness: vm.swappiness,
      minFreeKbytes: vm.min_free_kbytes,
      watermarkScaleFactor: vm.watermark_scale_factor,
      watermarkBoostFactor: vm.watermark_boost_factor,
      pageCluster: vm.page_cluster
    },
    lruGen: sc.kernel.lru_gen.enabled,
    eater: {
      eatMb: w.eat_mb,
      rateMbS: w.rate_mb_s,
      wsMb: w.ws_mb,
      passes: w.passes,
      randomBytes: w.content.partial_random_bytes,
      zeroPct: w.content.zero_pct,
      samePct: w.content.same_pct,
      incompressiblePct: w.content.incompressible_pct,
      hold: w.hold,
      oneMapping: w.one_mapping,
      nice: w.nice
    },
    hogs: { count: w.cpu_hogs.count, nice: w.cpu_hogs.nice },
    durationMs: Math.round(sc.duration_s * 1000),
    intervalMs: Math.round(sc.sample_interval_ms),
    notes: calibrationNotes(sc)
  }
}

function refusals(sc: Scenario): FieldIssue[] {
  const out: FieldIssue[] = []
  const no = (path: string, message: string): void => void out.push({ path, message })
  const w = sc.workload
  if (w.type !== 'memory_eater') {
    const what: Record<string, string> = {
      android_app_switch: 'phone app switching',
      kernel_build: 'a kernel build',
      trace: 'a replayed trace'
    }
    no('workload.type', `${w.type} (${what[w.type]}) has no guest program; only memory_eater runs`)
  } else {
    const c = w.content
    if (c.partial_random_bytes === 0 && c.zero_pct + c.same_pct + c.incompressible_pct < 100)
      no(
        'workload.content.partial_random_bytes',
        '0 means "typical" page content in the model, which the eater cannot write; give the ' +
          'random bytes per page (the twin uses 1296)'
      )
    if (c.zero_pct + c.same_pct + c.incompressible_pct > 100)
      no('workload.content', 'zero_pct, same_pct and incompressible_pct add up to more than 100')
  }
  if (sc.device.nodes !== 1) no('device.nodes', `${sc.device.nodes} NUMA nodes: the guest has one`)
  const classes = sc.device.cpus
  if (classes.length > 1)
    no(
      'device.cpus',
      `${classes.length} core classes (${classes.map((c) => c.class).join(', ')}): the guest's vCPUs are all alike`
    )
  const swap = sc.device.swap.type
  if (swap === 'zswap' || swap === 'disk')
    no('device.swap.type', `${swap}: the guest swaps to zram or not at all`)
  if (sc.kernel.zswap.enabled) no('kernel.zswap.enabled', 'zswap is not set up in the guest')
  if (sc.kernel.lmkd.enabled) no('kernel.lmkd.enabled', 'the guest has no lmkd')
  if (sc.trace.enabled)
    no('trace.enabled', "the simulator's event trace has no counterpart in a kernel run")
  if (sc.sample_interval_ms < MIN_INTERVAL_MS)
    no('sample_interval_ms', `the guest samples at most every ${MIN_INTERVAL_MS} ms`)
  if (sc.sample_interval_ms % 1 !== 0)
    no('sample_interval_ms', 'the guest samples at whole milliseconds')
  return out
}

function calibrationNotes(sc: Scenario): string[] {
  const notes = [
    'costs.*, the CPU speed and the variant knobs calibrate the model; the real kernel has its own.'
  ]
  const d = sc.device
  if (d.kernel_used_mb || d.shmem_mb || d.unmovable_free_chunks.length)
    notes.push(
      'device.kernel_used_mb, device.shmem_mb and device.unmovable_free_chunks describe what the ' +
        'model\u2019s kernel holds and leaves free from boot; the guest holds what it holds (its ' +
        'MemFree before the eater is recorded).'
    )
  return notes
}

/** The guest's parameters as kernel command-line words (unknown key=value words reach init). */
export function guestParameters(plan: GuestPlan): string[] {
  const p: Record<string, string | number> = {
    rl_swap: plan.swap,
    rl_zsize: plan.zram.disksizeMb,
    rl_zalg: plan.zram.algorithm,
    rl_zlimit: plan.zram.memLimitMb,
    rl_swappiness: plan.vm.swappiness,
    rl_min_free: plan.vm.minFreeKbytes ?? 'kernel',
    rl_wsf: plan.vm.watermarkScaleFactor,
    rl_wbf: plan.vm.watermarkBoostFactor,
    rl_page_cluster: plan.vm.pageCluster,
    rl_lru_gen: plan.lruGen ? 'y' : 'n',
    rl_eat_mb: plan.eater.eatMb,
    rl_rate: plan.eater.rateMbS,
    rl_ws: plan.eater.wsMb,
    rl_passes: plan.eater.passes,
    rl_rb: plan.eater.randomBytes,
    rl_zero: plan.eater.zeroPct,
    rl_same: plan.eater.samePct,
    rl_incomp: plan.eater.incompressiblePct,
    rl_hold: plan.eater.hold ? 1 : 0,
    rl_onemap: plan.eater.oneMapping ? 1 : 0,
    rl_nice: plan.eater.nice,
    rl_hogs: plan.hogs.count,
    rl_hog_nice: plan.hogs.nice,
    rl_duration_ms: plan.durationMs,
    rl_interval_ms: plan.intervalMs
  }
  return Object.entries(p).map(([k, v]) => `${k}=${v}`)
}
