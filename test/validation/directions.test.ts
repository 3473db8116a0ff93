import { describe, expect, it } from 'vitest'
import { COMPARISONS, metric, paired, runArm, type Comparison } from './comparisons'
import type { RunResult } from '../../src/sim/result'
import { applySets, resolvePreset, runSimulationSync } from '../../src/sim'

/*
 * The directions the model must reproduce (the reports of docs/validation.md), over seeds 1–5 (paired:
 * every arm runs on the same seeds). Durations are shortened where the effect is over early (the
 * eater finishes in < 5 s; the phone's stalls come in its first fill). `npm run validate` runs the
 * full comparisons over 10 seeds and writes docs/validation.md.
 * Where the model does not reproduce a reported direction, the test is `it.fails` with the reason:
 * it turns red (and must be revisited) the day the model does reproduce it.
 */
const SEEDS = [1, 2, 3, 4, 5]
const SHORT: Record<string, string[]> = {
  'memory-eater': ['duration_s=6'],
  'phone-appswitch': ['duration_s=15'],
  'phone-appswitch-mglru': ['duration_s=15'],
  'single-cpu': [],
  'single-cpu-saturated': [],
  'server-zswap-build': ['duration_s=40'],
  'queue-1-and-proto': ['duration_s=6'],
  'twin-v2': [],
  'twin-v2-mglru': []
}

const cache = new Map<string, RunResult[]>()
function runs(id: string, label: string): RunResult[] {
  const key = `${id}/${label}`
  const hit = cache.get(key)
  if (hit) return hit
  const c = COMPARISONS.find((x) => x.id === id) as Comparison
  const arm = label === 'baseline' ? c.base : c.arms.find((a) => a.label === label)!
  const r = SEEDS.map((s) => runArm(c, arm, s, SHORT[id]))
  cache.set(key, r)
  return r
}
function cmp(id: string, label: string, m: string): ReturnType<typeof paired> & { arm: number[] } {
  const arm = runs(id, label).map((r) => metric(r, m))
  return {
    ...paired(
      runs(id, 'baseline').map((r) => metric(r, m)),
      arm
    ),
    arm
  }
}

describe('memory-eater: v1 (4 threads) vs baseline', () => {
  it('raises pgsteal_anon per second of the eater well above baseline (reported 300k → >800k)', () => {
    const p = cmp('memory-eater', 'v1 (4 threads)', 'pgsteal_anon_per_eater_s')
    expect(p.ci95[0]).toBeGreaterThan(0)
    expect(p.rel_pct).toBeGreaterThan(25)
  })
  it('lowers allocstall', () => {
    const p = cmp('memory-eater', 'v1 (4 threads)', 'allocstall')
    expect(p.ci95[1]).toBeLessThan(0)
  })
})

describe('phone-8g-appswitch: one kcompressd thread vs baseline', () => {
  // Seeds 1–5: baseline 91, 44, 246, 64, 93; v1 with one thread 92, 40, 89, 22, 88.
  it('v1 with one thread lowers allocstall (no seed worse by more than one stall or 1%)', () => {
    const p = cmp('phone-appswitch', 'v1, 1 thread', 'allocstall')
    expect(p.mean_diff).toBeLessThan(0)
    const base = runs('phone-appswitch', 'baseline').map((r) => r.derived.allocstall)
    p.arm.forEach((x, i) => expect(x).toBeLessThanOrEqual(Math.max(base[i] * 1.01, base[i] + 1)))
  })
  // Not reproduced: v2's folios stay locked and are freed only when the scan reaches them again
  // (a full LRU cycle later), so the first fill's burst of allocations stalls more, not less.
  // Checked against Linux 6.12 (classic LRU): pageout() sets PG_reclaim, but clears it when
  // swap_writepage() returns with the folio not under writeback (it is only queued);
  // shrink_folio_list()'s folio_trylock() fails and move_folios_to_lru() puts it at the inactive
  // head; kcompressd's folio_end_writeback() then finds PG_reclaim clear and does not rotate it.
  // The reported runs were on Android handhelds, whose kernels use MGLRU (evict_folios() retries
  // folios that became clean during the pass), which this model does not have.
  it.fails('v2 cuts allocstall by more than 50% (reported) — NOT reproduced', () => {
    const p = cmp('phone-appswitch', 'v2', 'allocstall')
    expect(p.rel_pct).toBeLessThan(-50)
  })
})

describe('phone-8g-appswitch with MGLRU: one kcompressd thread vs baseline', () => {
  it('v1 with one thread lowers allocstall (no seed worse)', () => {
    const p = cmp('phone-appswitch-mglru', 'v1, 1 thread', 'allocstall')
    expect(p.rel_pct).toBeLessThan(-50)
    const base = runs('phone-appswitch-mglru', 'baseline').map((r) => r.derived.allocstall)
    p.arm.forEach((x, i) => expect(x).toBeLessThanOrEqual(base[i]))
  })
  // Not reproduced with MGLRU either: evict_folios() frees in the same pass only the folios
  // kcompressd finished while the batch was being processed; the rest are rejected as locked and
  // go back to the youngest generation (PG_active), further from eviction than the classic
  // LRU's inactive head.
  it.fails('v2 cuts allocstall by more than 50% (reported) — NOT reproduced', () => {
    const p = cmp('phone-appswitch-mglru', 'v2', 'allocstall')
    expect(p.rel_pct).toBeLessThan(-50)
  })
})

describe('single-cpu: kcompressd gives no gain', () => {
  it('the eater finishes no earlier with v1 or v2', () => {
    expect(cmp('single-cpu', 'v1', 'eater_alloc_s').mean_diff).toBeGreaterThanOrEqual(0)
    expect(cmp('single-cpu', 'v2', 'eater_alloc_s').mean_diff).toBeGreaterThanOrEqual(0)
  })
  it('v2 stalls more than baseline', () => {
    expect(cmp('single-cpu', 'v2', 'allocstall').ci95[0]).toBeGreaterThan(0)
  })
  // allocstall counts entries into direct reclaim. On one CPU the kcompressd threads compete
  // with the eater and kswapd for the same CPU (EEVDF: a thread woken with lag preempts); the
  // queued folios stay allocated until written and rescanned: more entries. The more kswapd is
  // switched out, the more often inside an rmap walk, and the eater's next mmap() then waits for
  // the anon_vma lock instead of entering reclaim: fewer entries. They about cancel (within
  // MIN_CHANGE, 3%).
  it('v1 does not lower allocstall on one CPU, nor finish the eater earlier', () => {
    expect(cmp('single-cpu', 'v1', 'allocstall').rel_pct).toBeGreaterThanOrEqual(-3)
    expect(cmp('single-cpu', 'v1', 'eater_alloc_s').mean_diff).toBeGreaterThanOrEqual(0)
  })
})

describe('single-cpu, CPU saturated: a small net loss (Andrew Morton, Barry Song)', () => {
  // The eater, kswapd and kcompressd share the one CPU; the same work is done in one more thread,
  // plus the queueing: the eater finishes slightly later (~0.4%, near the metric's 10 ms step).
  it('v1 finishes the full-speed eater later than baseline', () => {
    expect(cmp('single-cpu-saturated', 'v1', 'eater_alloc_s').ci95[0]).toBeGreaterThan(0)
  })
})

describe('server-zswap-build: little or no difference (Nhat Pham)', () => {
  it('v2 with PF_MEMALLOC completes the same number of build jobs within 2%', () => {
    const p = cmp('server-zswap-build', 'v2 + PF_MEMALLOC', 'build_jobs_done')
    expect(Math.abs(p.rel_pct)).toBeLessThan(2)
  })
})

describe('queue size 1 and proto as posted', () => {
  it('v2 with queue_size 1 is close to baseline (throughput within 2%, stalls within 10%)', () => {
    for (const m of ['pgsteal_anon_per_eater_s', 'eater_alloc_s']) {
      const p = cmp('queue-1-and-proto', 'v2, queue_size 1', m)
      expect(Math.abs(p.rel_pct)).toBeLessThan(2)
    }
    expect(
      Math.abs(cmp('queue-1-and-proto', 'v2, queue_size 1', 'allocstall').rel_pct)
    ).toBeLessThan(10)
  })
  it('proto as posted is no better than baseline', () => {
    const rate = cmp('queue-1-and-proto', 'proto as posted', 'pgsteal_anon_per_eater_s')
    expect(rate.rel_pct).toBeLessThan(1)
    const stall = cmp('queue-1-and-proto', 'proto as posted', 'allocstall')
    expect(stall.rel_pct).toBeGreaterThan(-1)
    expect(
      runs('queue-1-and-proto', 'proto as posted').every(
        (r) => r.derived.kcompressd_stuck_locked === 256
      )
    ).toBe(true)
  })
})

/*
 * The v2 patch itself on a real kernel: Linux 6.12 with the v2 mail applied, booted in the twin
 * (10 runs per arm; figures in comparisons.ts and docs/validation.md). The model must move the
 * counters the same way.
 */
describe('twin-eater-512m: v2 vs baseline moves the counters as the patched Linux 6.12 does', () => {
  it('classic LRU: kcompressd stalls in ZONE_NORMAL, its IO-less reclaim scans many times more, kswapd spends less CPU and the eater stalls more', () => {
    expect(Math.min(...cmp('twin-v2', 'v2', 'allocstall_normal').arm)).toBeGreaterThan(0) // real 0.1 → 9.5
    const direct = cmp('twin-v2', 'v2', 'pgscan_direct')
    expect(direct.mean_arm / direct.mean_base).toBeGreaterThan(5) // real ×26
    expect(cmp('twin-v2', 'v2', 'kswapd_cpu_pct').rel_pct).toBeLessThan(-10) // real −40%
    expect(cmp('twin-v2', 'v2', 'allocstall_movable').rel_pct).toBeGreaterThan(50) // real +144%
    expect(cmp('twin-v2', 'v2', 'eater_alloc_s').rel_pct).toBeLessThan(-3) // real −15%
  })
  it('MGLRU: kcompressd stalls thousands of times in ZONE_NORMAL, kswapd spends less CPU, the eater stalls more', () => {
    expect(Math.min(...cmp('twin-v2-mglru', 'v2', 'allocstall_normal').arm)).toBeGreaterThan(100) // real 2,400
    expect(cmp('twin-v2-mglru', 'v2', 'kswapd_cpu_pct').rel_pct).toBeLessThan(0) // real −16%
    expect(cmp('twin-v2-mglru', 'v2', 'allocstall_movable').rel_pct).toBeGreaterThan(50) // real ×31
  })
  it('MGLRU: v2 swaps out more, holds more in zram and the eater allocates more slowly', () => {
    expect(cmp('twin-v2-mglru', 'v2', 'pswpout').rel_pct).toBeGreaterThan(15) // real +49%
    expect(cmp('twin-v2-mglru', 'v2', 'peak_zram_orig_mb').rel_pct).toBeGreaterThan(15) // real +58%
    // a direction (MIN_CHANGE, 3%) only: the model's eater is 6% slower, the real one 29%
    expect(cmp('twin-v2-mglru', 'v2', 'eater_alloc_s').rel_pct).toBeGreaterThan(3) // real +29%
  })
  // Since simulator 0.6.0, whose eater's mmap() can wait for the anon_vma lock behind a
  // reclaimer switched out inside an rmap walk (kcompressd's IO-less reclaim walks too), v2 no
  // longer swaps out less (0.5.1: −5%, with pgsteal_kswapd −61%; real −19%). Since 0.7.0 the
  // counters end after the eater's exit, as the guest's do: +0.6% over ten seeds (95% interval
  // −2% to +3%), +2% over these five; the real +3% is a direction the model does not settle.
  it('classic LRU: v2 swaps out no less than baseline (real +3%)', () => {
    expect(cmp('twin-v2', 'v2', 'pswpout').rel_pct).toBeGreaterThan(-3) // MIN_CHANGE
  })
})

/*
 * Busy cores (Barry Song [B-0311]: with every CPU busy the async threads "won't help"): CPU hogs
 * on every core of the phone leave kcompressd no idle CPU; v1's cut in allocstall must shrink.
 * Not to nothing: v1's four kcompressd threads, nice 0 as the hogs are, take fair shares of the
 * busy cores, over which the load balancer spreads them: kswapd and kcompressd together run 0.9–1.0
 * of a CPU where the baseline's kswapd runs 0.33 (seeds 1–3), and allocstall falls 22% against
 * 50% on idle cores. On one busy CPU v1 is a small loss (single-cpu-saturated).
 */
describe('memory-eater on a phone whose cores are busy: v1 (4 threads) vs baseline', () => {
  const seeds = [1, 2, 3]
  const run = (variant: string, hogs: number): RunResult[] =>
    seeds.map((seed) =>
      runSimulationSync(
        applySets(resolvePreset('memory-eater'), [
          'duration_s=6',
          `workload.cpu_hogs.count=${hogs}`
        ]),
        {},
        { seed, variant }
      )
    )
  const cut = (hogs: number): number => {
    const base = run('baseline', hogs).map((r) => r.derived.allocstall)
    const v1 = run('v1', hogs).map((r) => r.derived.allocstall)
    return paired(base, v1).rel_pct
  }
  it('v1 halves allocstall on idle cores; with a hog on every core the gain shrinks by more than half', () => {
    const idle = cut(0)
    const busy = cut(8)
    expect(idle).toBeLessThan(-30)
    expect(busy).toBeGreaterThan(idle / 2)
  })
})
