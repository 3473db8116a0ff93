import { describe, expect, it } from 'vitest'
import { applySets, resolvePreset, runSimulationSync } from '../../src/sim'
import type { Kernel } from '../../src/sim/kernel'
import { checkInvariants } from '../../src/sim/invariants'
import { nr_pcp_pages } from '../../src/sim/mm/pcp'

function eater(eat_mb: number, rate_mb_s: number, extra: Record<string, unknown> = {}) {
  return {
    device: {
      mem_mb_per_node: 512,
      cpus: [{ class: 'big', count: 2, speed: 1 }],
      swap: { type: 'zram', zram: { disksize_mb: 512 } }
    },
    workload: { type: 'memory_eater', eat_mb, rate_mb_s, content: { zero_pct: 5 } },
    duration_s: 6,
    ...extra
  }
}

describe('reclaim behaviour', () => {
  it('no memory pressure: kswapd never wakes, nothing is scanned', () => {
    const r = runSimulationSync(eater(100, 0))
    expect(r.vmstat.pageoutrun).toBe(0)
    expect(r.vmstat.pgscan_kswapd + r.vmstat.pgscan_direct).toBe(0)
    expect(r.threads.find((t) => t.name === 'kswapd0')!.cpu_ms).toBe(0)
  })

  it('allocation faster than kswapd can reclaim: direct reclaim, allocstall in the movable zone', () => {
    const r = runSimulationSync(eater(640, 0))
    expect(r.vmstat.allocstall_movable).toBeGreaterThan(50)
    expect(r.vmstat.allocstall_normal).toBe(0)
    expect(r.vmstat.pgsteal_direct).toBeGreaterThan(1000)
    expect(r.vmstat.pgsteal_kswapd).toBeGreaterThan(1000)
    expect(r.derived.direct_scan_share_pct).toBeGreaterThan(10)
  })

  it('a larger watermark_scale_factor lowers allocstall (kswapd starts earlier, keeps more free)', () => {
    const stalls = [10, 100, 400].map(
      (wsf) =>
        runSimulationSync({ ...eater(640, 150), kernel: { vm: { watermark_scale_factor: wsf } } })
          .derived.allocstall
    )
    expect(stalls[0]).toBeGreaterThan(10)
    expect(stalls[1]).toBeLessThan(stalls[0])
    expect(stalls[2]).toBeLessThan(stalls[1])
  })

  it('swappiness 0 with plenty of file cache: no anon is scanned; swappiness 200 scans anon', () => {
    const build = (sw: number) =>
      runSimulationSync({
        device: {
          mem_mb_per_node: 768,
          cpus: [{ class: 'big', count: 4, speed: 1 }],
          swap: { type: 'zram' }
        },
        kernel: { vm: { swappiness: sw } },
        workload: {
          type: 'kernel_build',
          jobs: 4,
          job_anon_mb: [20, 60],
          source_tree_mb: 3000,
          read_mb_per_job: [40, 80]
        },
        duration_s: 8
      })
    const r0 = build(0)
    expect(r0.vmstat.pgscan_file).toBeGreaterThan(10000)
    expect(r0.vmstat.pgscan_anon).toBe(0)
    expect(r0.vmstat.pswpout).toBe(0)
    const r200 = build(200)
    expect(r200.vmstat.pgscan_anon).toBeGreaterThan(0)
  })

  it('zram pool memory counts against free memory', () => {
    let kk: Kernel | null = null
    const run = (incompressible: number) => {
      // One CPU: with two, the eater's per-CPU list can hold the zone's last free pages while it
      // waits in throttle_direct_reclaim(), and kswapd has none for zram until it gives up.
      const sc = eater(560, 0, {})
      ;(sc.device as Record<string, unknown>).cpus = [{ class: 'big', count: 1, speed: 1 }]
      ;(sc.workload as Record<string, unknown>).content = { incompressible_pct: incompressible }
      const r = runSimulationSync(sc, {}, { inspect: (k) => (kk = k) })
      checkInvariants(kk!, undefined, true)
      return { ...r, pcp: nr_pcp_pages(kk!.pgdats[0].zone), slab: kk!.pgdats[0].nr_slab_pages }
    }
    const typical = run(0)
    const incompressible = run(60)
    for (const r of [typical, incompressible]) {
      const lru =
        r.vmstat.nr_inactive_anon +
        r.vmstat.nr_active_anon +
        r.vmstat.nr_inactive_file +
        r.vmstat.nr_active_file
      // managed = free + per-CPU lists + LRU + pool + the handles' slab: the pool's pages come
      // out of free memory (the eater held on: its page tables too)
      expect(r.slab).toBeGreaterThan(0)
      expect(
        r.vmstat.nr_free_pages +
          r.pcp +
          lru +
          r.vmstat.nr_zspages +
          r.slab +
          r.vmstat.nr_page_table_pages
      ).toBe(131072)
      expect(r.vmstat.nr_zspages * 4096).toBe(r.zram!.mem_used_total)
    }
    expect(incompressible.vmstat.nr_zspages).toBeGreaterThan(2 * typical.vmstat.nr_zspages)
    expect(incompressible.zram!.huge_pages).toBeGreaterThan(0)
    expect(
      incompressible.vmstat.nr_inactive_anon + incompressible.vmstat.nr_active_anon
    ).toBeLessThan(typical.vmstat.nr_inactive_anon + typical.vmstat.nr_active_anon)
  })
})

describe('lmkd (PSI mode)', () => {
  const small = [
    'duration_s=25',
    'device.mem_mb_per_node=2048',
    'device.swap.zram.disksize_mb=512',
    'workload.apps=16',
    'workload.prelaunch_apps=16',
    'workload.switch_interval_s=1',
    'workload.system_anon_mb=500',
    'workload.system_file_mb=200'
  ]

  it('kills background apps when PSI passes its thresholds, and each kill frees the app memory', () => {
    let kk: Kernel | null = null
    const sc = applySets(resolvePreset('phone-8g-appswitch'), [...small, 'trace.enabled=true'])
    const r = runSimulationSync(sc, {}, { seed: 2, inspect: (k) => (kk = k) })
    expect(r.derived.lmkd_kills).toBeGreaterThan(3)
    const kills = r.trace!.traceEvents.filter((e) => e.name === 'lmkd_kill')
    expect(kills.length).toBe(r.derived.lmkd_kills)
    expect(Number(kills[0].args!.rss)).toBeGreaterThan(1000)
    const dead = kk!.procs.filter((p) => !p.alive && p.name.startsWith('app'))
    expect(dead.length).toBeGreaterThan(0)
    for (const p of dead) expect(p.rss() + p.swapents()).toBe(0)
    // lmkd acts first: its first kill comes before the last-resort OOM killer's.
    expect(r.vmstat.oom_kill).toBeLessThan(r.derived.lmkd_kills)
  })

  it('does not kill while pressure stays under its thresholds', () => {
    const sc = applySets(resolvePreset('phone-8g-appswitch'), [
      ...small,
      'kernel.lmkd.psi_partial_stall_ms=10000',
      'kernel.lmkd.psi_complete_stall_ms=10000'
    ])
    expect(runSimulationSync(sc, {}, { seed: 2 }).derived.lmkd_kills).toBe(0)
  })
})
