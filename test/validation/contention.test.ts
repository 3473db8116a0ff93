import { describe, expect, it } from 'vitest'
import {
  HOST_A,
  HOST_B,
  TWIN_METRICS,
  boots,
  TWIN_CONFIGS,
  modelChange,
  modelDirection,
  modelRuns,
  modelValue,
  realChange,
  realDirection,
  realSummary,
  replicated,
  type Direction,
  type TwinBoot
} from './twin'
import type { RunResult } from '../../src/sim/result'
import { welchT } from '../../src/shared/stats'

/*
 * CPU contention and kswapd throughput: the real Linux 6.12 twin guest (13 boots per
 * configuration on each of two hosts, docs/twin.md) against the model's twin-eater-512m with the
 * same change. A direction is a change of at least 3% against the 2-vCPU reference (Welch at 5%
 * for the boots). Each case states the real direction, checked against host A's boots (the
 * second host's are compared at the end), and the model's. Where the model does not follow the
 * kernel, the case is `it.fails` with what is missing.
 */
const metric = (key: string) => TWIN_METRICS.find((m) => m.key === key)!

/** A DEBUG_TLBFLUSH boot's TLB flush counter per page kswapd reclaimed. */
const bootFlushesPerPage = (b: TwinBoot, counter: string) =>
  Number(b[counter]) / Number(b.pgsteal_kswapd)
/** The model's remote TLB flushes per page kswapd reclaimed. */
const modelFlushesPerPage = (r: RunResult) => r.derived.tlb_remote_flushes / r.vmstat.pgsteal_kswapd

function expectBoth(config: string, key: string, dir: Direction): void {
  expect([config, key, 'real', realDirection(config, metric(key))]).toEqual([
    config,
    key,
    'real',
    dir
  ])
  expect([config, key, 'model', modelDirection(config, metric(key))]).toEqual([
    config,
    key,
    'model',
    dir
  ])
}

describe('twin: one vCPU instead of two (kswapd and the eater share it)', () => {
  it('kswapd and the eater each use less CPU; kswapd naps less', () => {
    expectBoth('smp1', 'kswapd_cpu_s', -1)
    expectBoth('smp1', 'eater_cpu_s', -1)
    expectBoth('smp1', 'pageoutrun', -1)
  })
  // At two vCPUs the eater loses CPU to a whole-TLB flush per page kswapd reclaims (48.9 µs each
  // by tlbbench full), so it allocates slowly and kswapd nearly keeps up; at one vCPU there is no
  // remote flush and reclaim moves to the eater.
  it('the eater stalls more and does twice the share of the reclaim', () => {
    expectBoth('smp1', 'allocstall', 1)
    expectBoth('smp1', 'direct_steal_pct', 1)
  })
  // The mechanism behind the CPU figures: at 2 vCPUs every folio kswapd reclaims needs a remote TLB
  // flush of the eater's CPU (try_to_unmap_flush_dirty() before pageout()); at one vCPU none. The
  // six DEBUG_TLBFLUSH boots send 0.95–0.99 a page (the rest find the eater's CPU lazy).
  it('remote TLB flushes: one per page kswapd reclaims at 2 vCPUs, none at 1', () => {
    for (const b of boots('ref', ['tlbdbg'])) {
      const perPage = bootFlushesPerPage(b, 'nr_tlb_remote_flush')
      expect(perPage).toBeGreaterThan(0.94)
      expect(perPage).toBeLessThanOrEqual(1)
    }
    for (const b of boots('smp1', ['tlbdbg'])) expect(Number(b.nr_tlb_remote_flush)).toBe(0)
    // The model's 0.944–0.972: its eater sleeps in throttle_direct_reclaim() now and then, lazy.
    for (const r of modelRuns('ref')) {
      const perPage = modelFlushesPerPage(r)
      expect(perPage).toBeGreaterThan(0.94)
      expect(perPage).toBeLessThanOrEqual(1)
    }
    for (const r of modelRuns('smp1')) expect(r.derived.tlb_remote_flushes).toBe(0)
  })
  // Part of the real rise (2.50 → 3.28) is rmap lock contention: kswapd switched out at the
  // cond_resched() inside rmap_walk_anon() still holds the eater's anon_vma lock, the eater's next
  // 1 MiB mmap() waits for it as a writer, and until the eater has run every rmap walk of its
  // memory fails its trylock and keeps the folio. The eater mapping everything at once removes
  // that part in the guest (3.34 → 2.92, below); the model's change is smaller (+4%).
  it('more scanned per page stolen', () => {
    expectBoth('smp1', 'pgscan_anon_per_pgsteal_anon', 1)
  })
  // The real eater is throttled in throttle_direct_reclaim() a few times a run at two vCPUs and
  // less at one. What throttles it is a watermark boost (docs/twin.md, "Watermark boosts"): the
  // eater's page tables and zram's handle slab use up the Unmovable pool and fall back into Movable
  // pageblocks, Movable allocations claim the Unmovable chunks back, and each try below a
  // pageblock boosts. At one vCPU the eater is throttled less: it reclaims while kswapd waits for
  // the CPU.
  it('fewer throttled eaters', () => {
    expectBoth('smp1', 'pgscan_direct_throttle', -1)
  })
})

describe('twin: two CPU hogs beside the eater on two vCPUs', () => {
  it('kswapd and the eater get less CPU, PSI full falls', () => {
    expectBoth('hog2', 'kswapd_cpu_s', -1)
    expectBoth('hog2', 'eater_cpu_s', -1)
    expectBoth('hog2', 'psi_full_s', -1)
  })
  // The boots' eater, with half a vCPU, takes 30% longer; the model's takes about as long as
  // without hogs: its CPU time falls by half (boots −30%), below every boot's (2.2–2.9 s in each
  // seed against 2.75–4.04 s). Sharing a vCPU with another process costs the guest's eater more
  // than the model charges, as at one vCPU (−56% against −41%).
  it.fails('the eater takes longer — NOT reproduced', () => {
    expectBoth('hog2', 'eater_alloc_s', 1)
  })
  it('the eater stalls more and reclaims a larger share, kswapd naps less', () => {
    expectBoth('hog2', 'allocstall', 1)
    expectBoth('hog2', 'direct_steal_pct', 1)
    expectBoth('hog2', 'pageoutrun', -1)
  })
  // In the guest this rise hardly comes from the anon_vma lock (2.92 → 2.83 with one mapping,
  // onemap.test.ts). Half of it is scanned while the eater exits (kswapd still sweeping in 4 of
  // 8 probe boots scans 23–47k pages it must keep), half before (+10% at the eater's peak;
  // exit.test.ts). The model's kswapd, given half a CPU by the load balancer's placement, falls
  // behind as the guest's does.
  it('more scanned per page stolen', () => {
    expectBoth('hog2', 'pgscan_anon_per_pgsteal_anon', 1)
  })
  // DEBUG_TLBFLUSH boots beside two hogs (series td, one host, December 7; the reference's boots
  // of the series send 0.95–0.99 a page): in three boots kswapd sent 8–11 remote flushes for
  // 52–55k pages (it ran on the eater's CPU throughout), in three 0.27–0.41 a page.
  it('the guest’s kswapd sends few remote flushes beside two hogs', () => {
    const hog2 = boots('hog2', ['td']).map((b) => bootFlushesPerPage(b, 'nr_tlb_remote_flush'))
    expect(hog2.length).toBe(6)
    expect(hog2.filter((x) => x < 0.001).length).toBe(3)
    for (const x of hog2) expect(x).toBeLessThan(0.45)
    for (const b of boots('ref', ['td']))
      expect(bootFlushesPerPage(b, 'nr_tlb_remote_flush')).toBeGreaterThan(0.94)
  })
  // Which placement a run settles in is decided where kswapd first wakes: on the eater's CPU (its
  // previous one) it stays when the hogs share the other CPU (2 against 2, balanced), and is
  // pulled away when a hog shares the eater's (its PELT load, low after a long sleep, fits the
  // imbalance before a hog's does).
  it('the model’s kswapd runs on the eater’s CPU throughout in some seeds, as in half the boots', () => {
    const fl = modelRuns('hog2').map(modelFlushesPerPage)
    expect(fl.filter((x) => x < 0.001).length).toBeGreaterThanOrEqual(1)
    expect(fl.filter((x) => x < 0.001).length).toBeLessThan(fl.length)
  })
  // The scheduler trace (trace=2, twin-hog2-sched.txt): apart, kswapd and the eater each share a
  // vCPU with a hog and switch at the same ticks, yet the eater runs during 44–54% of kswapd's
  // running time: turns of two ticks shift one vCPU's turns against the other's. The model has
  // both sources (sched-trace.test.ts): kswapd and the eater in kernel code run on to their next
  // preemption point after the tick (CONFIG_PREEMPT_VOLUNTARY), and the emulation loses a tick
  // now and then (device.lost_tick_pct). Its apart seeds no longer run in step: kswapd flushes for
  // 0.10–0.26 of its pages (the flush-counting boots apart 0.27–0.41; in step 0.9).
  it('apart, the model’s kswapd and eater take turns independently', () => {
    const apart = modelRuns('hog2').filter((r) => modelFlushesPerPage(r) > 0.001)
    expect(apart.length).toBeGreaterThan(0)
    for (const r of apart) {
      expect(modelFlushesPerPage(r)).toBeGreaterThan(0.05)
      expect(modelFlushesPerPage(r)).toBeLessThan(0.45)
    }
  })
})

describe('twin: one vCPU shared with a CPU hog', () => {
  it('the eater stalls more, reclaims a larger share and takes longer; PSI some grows', () => {
    expectBoth('smp1hog1', 'allocstall', 1)
    expectBoth('smp1hog1', 'direct_steal_pct', 1)
    expectBoth('smp1hog1', 'eater_alloc_s', 1)
    expectBoth('smp1hog1', 'psi_some_s', 1)
  })
  // The anon_vma lock again: the hog keeps kswapd off the CPU for a slice while it holds the lock
  // and the eater waits behind it (3.54 → 2.95 in the guest with one mapping).
  it('more scanned per page stolen', () => {
    expectBoth('smp1hog1', 'pgscan_anon_per_pgsteal_anon', 1)
  })
  // psi_group_change(): the CPU is FULL while the thread on it reclaims, even with the hog
  // runnable. Without that rule the model's full time would be 0 here (boots: 2.2–4.4 s).
  it('PSI full is within the boots’ range', () => {
    const s = realSummary('smp1hog1', metric('psi_full_s'))
    const model = modelValue('smp1hog1', metric('psi_full_s'))
    expect(model).toBeGreaterThanOrEqual(s.min)
    expect(model).toBeLessThanOrEqual(s.max)
  })
})

describe('twin: the eater limited to 40 MiB/s', () => {
  it('stalls drop steeply, kswapd reclaims nearly everything and naps often', () => {
    expectBoth('rate40', 'allocstall', -1)
    expectBoth('rate40', 'direct_steal_pct', -1)
    expectBoth('rate40', 'pageoutrun', 1)
    expectBoth('rate40', 'pgscan_direct_throttle', 1)
    // and the stall count itself is in the boots' range
    const s = realSummary('rate40', metric('allocstall'))
    const model = modelValue('rate40', metric('allocstall'))
    expect(model).toBeGreaterThanOrEqual(s.min)
    expect(model).toBeLessThanOrEqual(s.max)
  })
  // Between MiBs the eater sleeps and its CPU is in lazy TLB mode, which arch_tlbbatch_flush()
  // skips (should_flush_tlb(), arch/x86/mm/tlb.c): the DEBUG_TLBFLUSH boots receive a flush for
  // 41–48% of the pages kswapd reclaims (nearly all at full speed); the model sends one only while
  // an eater thread runs on the other CPU.
  it("kswapd's flushes reach the eater's CPU for under half its pages, as lazy TLB skips a sleeper", () => {
    const received = (b: TwinBoot) => bootFlushesPerPage(b, 'nr_tlb_remote_flush_received')
    expect(boots('rate40', ['tlbdbg']).length).toBeGreaterThanOrEqual(6)
    for (const b of boots('rate40', ['tlbdbg'])) {
      expect(received(b)).toBeGreaterThan(0.35)
      expect(received(b)).toBeLessThan(0.5)
    }
    for (const b of boots('ref', ['tlbdbg'])) expect(received(b)).toBeGreaterThan(0.9)
    // The model's seeds 0.46–0.54, their mean under half: kswapd also reclaims a boost while the
    // eater runs.
    const model = modelRuns('rate40').map(modelFlushesPerPage)
    for (const perPage of model) expect(perPage).toBeGreaterThan(0.35)
    expect(model.reduce((a, b) => a + b, 0) / model.length).toBeLessThan(0.5)
  })
})

describe('twin: zram with lzo-rle instead of lz4', () => {
  it('stores the eater pages larger (random bytes plus more literal overhead)', () => {
    expectBoth('lzorle', 'zram_compr_mb', 1)
    expectBoth('lzorle', 'zram_mem_used_mb', 1)
    expectBoth('lzorle', 'direct_steal_pct', 0)
  })
})

describe('twin: the reference configuration', () => {
  it('PSI: some equals full at two vCPUs (each task alone on its CPU), as in the guest', () => {
    const some = realSummary('ref', metric('psi_some_s'))
    const full = realSummary('ref', metric('psi_full_s'))
    expect(Math.abs(some.mean - full.mean)).toBeLessThan(0.01 * some.mean)
    for (const r of modelRuns('ref')) expect(r.psi.some.total_us).toBe(r.psi.full.total_us)
    for (const r of modelRuns('smp1'))
      expect(r.psi.some.total_us).toBeGreaterThan(r.psi.full.total_us)
  })
  it('kswapd spends its CPU on what it reclaims as in the guest (within 25%)', () => {
    const cpu = realSummary('ref', metric('kswapd_cpu_s')).mean
    expect(Math.abs(modelValue('ref', metric('kswapd_cpu_s')) / cpu - 1)).toBeLessThan(0.25)
  })
  it('allocstall within the boots’ range', () => {
    const s = realSummary('ref', metric('allocstall'))
    const model = modelValue('ref', metric('allocstall'))
    expect(model).toBeGreaterThanOrEqual(s.min)
    expect(model).toBeLessThanOrEqual(s.max)
  })
})

describe('twin: the size of a change (the last column of docs/validation.md)', () => {
  it("the boots' change is the difference of means over the reference's mean, with Welch's interval", () => {
    const c = realChange('smp1', metric('allocstall'))
    // 13 boots each: 216.23 → 419.77 stalls.
    expect(c.estimate).toBeCloseTo(419.77 / 216.23 - 1, 2)
    expect(c.lo).toBeGreaterThan(0.6)
    expect(c.hi).toBeLessThan(1.3)
    expect((c.lo + c.hi) / 2).toBeCloseTo(c.estimate, 9)
    // lzo-rle's stalls: no direction in the boots, an interval across zero.
    const lzo = realChange('lzorle', metric('allocstall'))
    expect(lzo.lo).toBeLessThan(0)
    expect(lzo.hi).toBeGreaterThan(0)
  })
  it('a real direction always has an interval on its side of zero (the same Welch test at 5%)', () => {
    for (const cfg of TWIN_CONFIGS.filter((x) => x.id !== 'ref'))
      for (const m of TWIN_METRICS) {
        const d = realDirection(cfg.id, m)
        const c = realChange(cfg.id, m)
        if (d > 0) expect([cfg.id, m.key, c.lo > 0]).toEqual([cfg.id, m.key, true])
        if (d < 0) expect([cfg.id, m.key, c.hi < 0]).toEqual([cfg.id, m.key, true])
      }
  })
  it("the model's change is against its own reference", () => {
    const m = metric('allocstall')
    const ref = modelRuns('ref').map(m.model)
    const one = modelRuns('smp1').map(m.model)
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
    expect(modelChange('smp1', m)).toBeCloseTo(mean(one) / mean(ref) - 1, 12)
  })
})

describe('twin: a second host (series g: 13 more rounds on another machine of the same kind)', () => {
  const welch = (config: string, key: string) =>
    welchT(boots(config, HOST_A).map(metric(key).real), boots(config, HOST_B).map(metric(key).real))
  it("the guest's CPU times at two vCPUs depend on the host; at one vCPU they do not", () => {
    // Host B runs the two vCPU threads so that every cross-CPU event costs more: kswapd
    // 3.77 → 4.38 s, the eater 4.95 → 5.97 s at the reference.
    for (const key of ['kswapd_cpu_s', 'eater_cpu_s']) {
      const w = welch('ref', key)
      expect([key, w.p < 0.05, w.diff.estimate > 0]).toEqual([key, true, true])
      expect([key, welch('smp1', key).p > 0.05]).toEqual([key, true])
    }
  })
  // Rows whose real direction the second host does not repeat: the kernel gives none across
  // hosts there. Host A / host B / model: one vCPU's allocation time = ↓ ↓ and PSI some ↑ = =;
  // two hogs' throttled eaters = ↓ =; 40 MiB/s stalls and direct share ↓ = ↓; lzo-rle kswapd CPU
  // ↑ = =. The model follows one host in each.
  it('host B repeats every direction of host A but six; the model follows one host in five', () => {
    const unsettled = TWIN_CONFIGS.filter((c) => c.id !== 'ref').flatMap((c) =>
      TWIN_METRICS.filter((m) => !replicated(c.id, m)).map((m) => `${c.id} ${m.key}`)
    )
    expect(unsettled).toEqual([
      'smp1 eater_alloc_s',
      'smp1 psi_some_s',
      'hog2 pgscan_direct_throttle',
      'rate40 allocstall',
      'rate40 direct_steal_pct',
      'lzorle kswapd_cpu_s'
    ])
    const followed = unsettled.filter((row) => {
      const [config, key] = row.split(' ')
      const md = modelDirection(config, metric(key))
      return [
        realDirection(config, metric(key)),
        realDirection(config, metric(key), HOST_B)
      ].includes(md)
    })
    // One vCPU's PSI some: host A +30%, host B +10% (within its spread), the model −3.3%.
    expect(unsettled.filter((row) => !followed.includes(row))).toEqual(['smp1 psi_some_s'])
  })
  it('allocstall at the reference is within host B’s range too', () => {
    const s = realSummary('ref', metric('allocstall'), HOST_B)
    const model = modelValue('ref', metric('allocstall'))
    expect(model).toBeGreaterThanOrEqual(s.min)
    expect(model).toBeLessThanOrEqual(s.max)
  })
})
