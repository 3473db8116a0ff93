import { applySets, resolvePreset, runSimulationSync } from '../../src/sim'
import type { RunResult } from '../../src/sim/result'

/**
 * The comparisons with what was reported for each design, shared by
 * scripts/validate.ts (10 seeds, writes docs/validation.md) and test/validation (5 seeds, short).
 * Each arm is a preset, a variant and --set overrides; metrics are read from a RunResult.
 */
export interface Arm {
  label: string
  variant: string
  sets: string[]
}

export interface Comparison {
  id: string
  title: string
  preset: string
  /** Overrides for every arm (e.g. a shorter duration in tests). */
  sets: string[]
  base: Arm
  arms: Arm[]
  metrics: string[]
  reported: string
  source: string
}

const BASE: Arm = { label: 'baseline', variant: 'baseline', sets: [] }

/** pgsteal_anon per second of the eater's run (the reported rate is measured while it runs). */
export function metric(r: RunResult, name: string): number {
  const d = r.derived
  if (name === 'pgsteal_anon_per_eater_s')
    return Math.round(r.vmstat.pgsteal_anon / Math.max(1e-9, d.eater_alloc_s ?? r.duration_s))
  if (name in d) return d[name]
  return r.vmstat[name] ?? NaN
}

// zram's size as the guest's eater reads it at its peak (mm_stat), before it exits.
const TWIN_V2_METRICS = [
  'pswpout',
  'peak_zram_orig_mb',
  'pgsteal_kswapd',
  'pgscan_direct',
  'allocstall_movable',
  'allocstall_normal',
  'kswapd_cpu_pct',
  'eater_alloc_s'
]
const TWIN_V2_SOURCE =
  'Linux 6.12.117 with the v2 mail applied ([V2]; for 6.12 without the MTHP_STAT_ZSWPOUT count, kcompressd started beside kswapd), booted in a qemu guest like the one of docs/twin.md (qemu TCG, 2 vCPUs, zram 512M lz4), eat_mb=640 ws=64 passes=2, 10 interleaved runs per kernel and LRU mode'

export const COMPARISONS: Comparison[] = [
  {
    id: 'memory-eater',
    title: 'memory eater on an 8 GiB phone: v1 (4 threads) vs baseline',
    preset: 'memory-eater',
    sets: [],
    base: BASE,
    arms: [{ label: 'v1 (4 threads)', variant: 'v1', sets: [] }],
    metrics: ['pgsteal_anon_per_eater_s', 'pgsteal_anon_per_s', 'allocstall', 'eater_alloc_s'],
    reported: 'pgsteal_anon/s ≈ 300,000 → > 800,000 (+260%); allocation stalls lower',
    source: '[Q-0310], [V1-0]'
  },
  {
    id: 'phone-appswitch',
    title: 'app switching on an 8 GiB phone: one kcompressd thread vs baseline',
    preset: 'phone-8g-appswitch',
    sets: [],
    base: BASE,
    arms: [
      { label: 'v1, 1 thread', variant: 'v1', sets: ['variant.nr_kcompressd=1'] },
      { label: 'v2', variant: 'v2', sets: [] },
      // Not a design: v2 with the folio freed soon after kcompressd writes it (v1's completion:
      // under writeback, rotated to the inactive tail), to isolate the effect of v2's folio path.
      {
        label: 'check: v2 with completion rotation',
        variant: 'v2',
        sets: ['variant.folio=writeback']
      }
    ],
    metrics: ['allocstall', 'pgsteal_anon_per_s', 'launch_latency_mean_ms', 'kswapd_cpu_pct'],
    reported: 'allocstall −50% or more (v1 with one thread on phones; v2 on handhelds)',
    source: '[PROTO] (Barry Song), [V2] (Qun-Wei Lin)'
  },
  {
    id: 'phone-appswitch-mglru',
    title:
      'app switching on an 8 GiB phone with MGLRU (Android 14 kernels): one kcompressd thread vs baseline',
    preset: 'phone-8g-appswitch',
    sets: ['kernel.lru_gen.enabled=true'],
    base: BASE,
    arms: [
      { label: 'v1, 1 thread', variant: 'v1', sets: ['variant.nr_kcompressd=1'] },
      { label: 'v2', variant: 'v2', sets: [] }
    ],
    metrics: ['allocstall', 'pgsteal_anon_per_s', 'launch_latency_mean_ms', 'kswapd_cpu_pct'],
    reported: 'allocstall −50% or more (v1 with one thread on phones; v2 on handhelds)',
    source:
      '[PROTO] (Barry Song), [V2] (Qun-Wei Lin); MGLRU on by default in Android 14 kernels (Mishaal Rahman, via pbxscience.com)'
  },
  {
    id: 'single-cpu',
    title: 'one CPU: kcompressd vs baseline',
    preset: 'single-cpu',
    sets: [],
    base: BASE,
    arms: [
      { label: 'v2', variant: 'v2', sets: [] },
      { label: 'v1', variant: 'v1', sets: [] }
    ],
    metrics: ['eater_alloc_s', 'allocstall', 'pgsteal_anon_per_s'],
    reported: 'no gain; "presumably a small net loss on single-CPU machines"',
    source: '[AKPM]'
  },
  {
    id: 'single-cpu-saturated',
    title: 'one CPU kept busy by the eater (full speed): v1 vs baseline',
    preset: 'single-cpu',
    sets: ['workload.rate_mb_s=0', 'duration_s=10'],
    base: BASE,
    arms: [{ label: 'v1', variant: 'v1', sets: [] }],
    metrics: ['eater_alloc_s', 'allocstall', 'kswapd_cpu_pct', 'kcompressd_cpu_pct'],
    reported:
      '"presumably a small net loss on single-CPU machines" (Andrew Morton); with every CPU busy, async threads "won\'t help" (Barry Song)',
    source: '[AKPM], [B-0311]'
  },
  {
    id: 'server-zswap-build',
    title: 'zswap kernel build on a 2-node server: v2 (+PF_MEMALLOC) vs baseline',
    preset: 'server-zswap-build',
    sets: [],
    base: BASE,
    arms: [{ label: 'v2 + PF_MEMALLOC', variant: 'v2', sets: ['variant.pf_memalloc=true'] }],
    metrics: ['build_jobs_done', 'allocstall', 'pgsteal_anon_per_s'],
    reported: '"not much performance difference with and without kcompressd"',
    source: '[N-BUILD] (Nhat Pham)'
  },
  {
    id: 'queue-1-and-proto',
    title: 'memory eater: queue size 1, and proto as posted, vs baseline',
    preset: 'memory-eater',
    sets: [],
    base: BASE,
    arms: [
      { label: 'v2, queue_size 1', variant: 'v2', sets: ['variant.queue_size=1'] },
      { label: 'proto as posted', variant: 'proto', sets: [] }
    ],
    metrics: ['pgsteal_anon_per_eater_s', 'allocstall', 'eater_alloc_s'],
    reported: 'design expectations: queue size 1 ≈ baseline; proto no better than baseline',
    source: '[PROTO] bugs (docs/kernel-reference.md §1.4.1)'
  },
  {
    id: 'twin-v2',
    title:
      'the twin (512 MiB, zram, 640 MiB eater), classic LRU: v2 vs baseline, as on Linux 6.12 with the v2 patch',
    preset: 'twin-eater-512m',
    sets: [],
    base: BASE,
    arms: [{ label: 'v2', variant: 'v2', sets: [] }],
    metrics: TWIN_V2_METRICS,
    reported:
      'real kernel, mean of 10 runs per arm: pswpout +3%, zram orig +7%, pgsteal_kswapd −19%, pgscan_direct 52k → 1.36M, allocstall_movable 155 → 379 (+144%), allocstall_normal 0.1 → 9.5, kswapd CPU −40%, eater allocation time −15% (three slow baseline runs)',
    source: TWIN_V2_SOURCE
  },
  {
    id: 'twin-v2-mglru',
    title: 'the twin with MGLRU: v2 vs baseline, as on Linux 6.12 with the v2 patch',
    preset: 'twin-eater-512m',
    sets: ['kernel.lru_gen.enabled=true'],
    base: BASE,
    arms: [{ label: 'v2', variant: 'v2', sets: [] }],
    metrics: TWIN_V2_METRICS,
    reported:
      'real kernel, mean of 10 runs per arm: pswpout +49%, zram orig +58%, pgsteal_kswapd −15%, pgscan_direct +182%, allocstall_movable 173 → 5,400, allocstall_normal 0.7 → 2,400, kswapd CPU −16%, eater allocation time +29%',
    source: TWIN_V2_SOURCE
  }
]

export function runArm(c: Comparison, arm: Arm, seed: number, extra: string[] = []): RunResult {
  const sc = applySets(resolvePreset(c.preset), [...c.sets, ...arm.sets, ...extra])
  return runSimulationSync(sc, {}, { seed, variant: arm.variant })
}

export interface Paired {
  mean_base: number
  mean_arm: number
  mean_diff: number
  /** Mean of per-seed ratios − 1, in percent (NaN when some baseline is 0 and its arm is not). */
  rel_pct: number
  ci95: [number, number]
  t: number
  n: number
}

/** Two-sided 95% t quantiles for df = 1..30 (then 1.96). */
const T95 = [
  12.71, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145,
  2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048,
  2.045, 2.042
]

/** Paired statistics over common seeds: mean difference, its 95% CI and t. */
export function paired(base: number[], arm: number[]): Paired {
  const n = base.length
  const d = base.map((b, i) => arm[i] - b)
  const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / x.length
  const md = mean(d)
  const sd = n > 1 ? Math.sqrt(d.reduce((a, x) => a + (x - md) ** 2, 0) / (n - 1)) : 0
  const se = sd / Math.sqrt(n)
  const q = T95[n - 2] ?? 1.96
  // A change from 0 has no ratio (NaN: no percentage is shown).
  const ratios = base.map((b, i) => (b !== 0 ? arm[i] / b : arm[i] === 0 ? 1 : NaN))
  return {
    mean_base: mean(base),
    mean_arm: mean(arm),
    mean_diff: md,
    rel_pct: (mean(ratios) - 1) * 100,
    ci95: [md - q * se, md + q * se],
    t: se > 0 ? md / se : md === 0 ? 0 : Infinity * Math.sign(md),
    n
  }
}
