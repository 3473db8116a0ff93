import { describe, expect, it } from 'vitest'
import { Folios } from '../helpers'
import { buildKernel } from '../../../src/sim/build'
import type { Kernel } from '../../../src/sim/kernel'
import { parseScenario, type ScenarioInput } from '../../../src/shared/scenario/schema'
import { shrink_inactive_list } from '../../../src/sim/mm/vmscan'
import { shrink_folio_list } from '../../../src/sim/mm/shrink_folio_list'
import { new_reclaim_stat } from '../../../src/sim/mm/scan_control'
import { FolioList } from '../../../src/sim/mm/folio_list'
import { free_page, lruvec_add_folio, lruvec_del_folio } from '../../../src/sim/mm/mm_inline'
import { new_scan_control } from '../../../src/sim/mm/scan_control'
import { access_range } from '../../../src/sim/mm/memory'
import type { KcompressdWriteout } from '../../../src/sim/variants/kcompressd/kcompressd'
import { cpu, type Thread, type ThreadBody, type ThreadKind } from '../../../src/sim/cpu/thread'
import { VARIANTS, createWriteout } from '../../../src/sim/variants'
import {
  LRU_INACTIVE_ANON,
  PG_dirty,
  PG_locked,
  PG_mapped,
  PG_reclaim,
  PG_swapbacked,
  PG_writeback,
  PTE_young
} from '../../../src/sim/mm/types'

const ANON = PG_swapbacked | PG_mapped | PG_dirty

/** A small machine (64 MiB, zram) with no workload, `cpus` CPUs, running `variant`. */
function kernel(variant: string, knobs: ScenarioInput['variant'] = {}, cpus = 1): Kernel {
  const sc = parseScenario({
    device: {
      mem_mb_per_node: 64,
      cpus: [{ class: 'big', count: cpus, speed: 1 }],
      swap: { type: 'zram', zram: { disksize_mb: 64 } }
    },
    workload: { type: 'memory_eater', eat_mb: 1 },
    variant: knobs
  })
  return buildKernel(sc, 1, variant)
}

function spawn(k: Kernel, kind: ThreadKind, body: (t: Thread) => ThreadBody): void {
  k.sched.spawn(`test-${kind}`, kind, 0, body)
}

/** kswapd-context shrink_inactive_list(n) on node 0's inactive anon list; `after` runs right after. */
function kswapdShrink(k: Kernel, n: number, after: () => void = () => {}): void {
  spawn(k, 'kswapd', function* (t) {
    yield* shrink_inactive_list(k, t, n, k.pgdats[0], new_scan_control(1, 2, 32), LRU_INACTIVE_ANON)
    after()
  })
  k.env.run(k.env.now + 1e9)
}

/**
 * kswapd isolates `n` folios from the inactive anon tail and runs shrink_folio_list() on them;
 * `after` sees the state before any other thread runs (no CPU burst in between); then the
 * survivors go back to the head and the reclaimed folios are freed.
 */
function kswapdDecide(k: Kernel, n: number, after: () => void): void {
  spawn(k, 'kswapd', function* (t) {
    const p = k.pages
    const head = p.lru_head(0, LRU_INACTIVE_ANON)
    const list = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      list[i] = p.tail(head)
      lruvec_del_folio(k, list[i])
    }
    const free = new FolioList()
    const ret = new FolioList()
    const sc = new_scan_control(1, 2, 32)
    k.vmstat.pgsteal_kswapd += shrink_folio_list(
      k,
      t,
      list,
      n,
      k.pgdats[0],
      sc,
      new_reclaim_stat(),
      free,
      ret
    )
    after()
    for (const pfn of ret) lruvec_add_folio(k, pfn, false)
    for (const pfn of free) free_page(k, pfn)
    yield* []
  })
  k.env.run(k.env.now + 1e9)
}

const kc = (k: Kernel): KcompressdWriteout => k.writeout as KcompressdWriteout

describe('variant registry', () => {
  it('lists baseline, v1, proto, v2, zram_async, unofficial and custom, each with a description', () => {
    for (const n of ['baseline', 'v1', 'proto', 'v2', 'zram_async', 'unofficial', 'custom'])
      expect(VARIANTS[n].description.length).toBeGreaterThan(20)
    expect(() => createWriteout('v7')).toThrow(/unknown variant 'v7'/)
  })

  it('says where each design comes from, its known bugs and what its auto knobs resolve to', () => {
    expect(VARIANTS.v2.source).toContain('20250430082651.3152444-1-qun-wei.lin@mediatek.com')
    expect(VARIANTS.proto.knownBugs[0]).toMatch(/never woken/)
    expect(VARIANTS.v2.knownBugs.some((b) => b.includes('PF_MEMALLOC'))).toBe(true)
    expect(VARIANTS.unofficial.knownBugs).toEqual([])
    expect(VARIANTS.baseline.defaults).toBeNull()
    expect(VARIANTS.v1.defaults).toMatchObject({ nr_kcompressd: 4, queue_size: 5461 })
    expect(VARIANTS.unofficial.defaults).toMatchObject({
      queue_size: 24,
      full_policy: 'sync_oldest'
    })
    for (const v of Object.values(VARIANTS)) expect(v.source.length).toBeGreaterThan(10)
  })

  it('knobs override the named design; null keeps its default', () => {
    const w = createWriteout('v1', {
      ...parseScenario({ workload: { type: 'memory_eater' } }).variant,
      queue_size: 7
    })
    expect((w as KcompressdWriteout).cfg).toMatchObject({
      nr_kcompressd: 4,
      queue_size: 7,
      dispatch: 'first_fit'
    })
  })
})

describe('v1: under writeback, rotated to the inactive tail on completion', () => {
  it('queued folios are kept under writeback, then rotated to the tail and freed by the next scan', () => {
    const k = kernel('v1')
    const f = new Folios(k)
    for (const n of ['A1', 'A2', 'A3', 'A4']) f.add(n, ANON)
    f.add('C1', ANON | PTE_young)
    f.add('C2', ANON | PTE_young)
    // inactive_anon (tail→head): A1 A2 A3 A4 C1 C2
    let seen = ''
    kswapdDecide(k, 4, () => {
      const a1 = f.anon.pte[0] <= -2 ? k.swap!.swapcache[-f.anon.pte[0] - 2] : -1
      seen = `${k.pages.flags[a1] & PG_writeback ? 'writeback' : ''} ${k.pages.flags[a1] & PG_reclaim ? 'reclaim' : ''} pgsteal=${k.vmstat.pgsteal_kswapd} pswpout=${k.vmstat.pswpout} q0=${kc(k).queues[0].len}`
    })
    // pageout() returned with PG_writeback + PG_reclaim: kept; pswpout counted at bio submission.
    expect(seen).toBe('writeback reclaim pgsteal=0 pswpout=4 q0=4')
    // kcompressd:0 wrote them; end_swap_bio_write() rotated each to the tail (pgrotated).
    expect(f.draw(LRU_INACTIVE_ANON)).toBe('inactive_anon: A4 A3 A2 A1 C1 C2')
    expect([k.vmstat.pgrotated, k.zram!.orig_data_size]).toEqual([4, 4])
    kswapdShrink(k, 4)
    expect(k.vmstat.pgsteal_kswapd).toBe(4)
    expect(kc(k).vc.rescanned_done).toBe(4)
    expect(f.draw(LRU_INACTIVE_ANON)).toBe('inactive_anon: C1 C2')
  })

  it('first-fit: thread 0 takes everything until its fifo is full; all full → kswapd compresses', () => {
    const k = kernel('v1', { nr_kcompressd: 2, queue_size: 2 })
    const f = new Folios(k)
    for (let i = 0; i < 5; i++) f.add(`A${i}`, ANON)
    let depths = ''
    kswapdDecide(k, 5, () => {
      depths = kc(k)
        .queues.map((q) => q.len)
        .join(',')
    })
    expect(depths).toBe('2,2')
    expect(kc(k).vc.queue_full).toBe(1)
    expect(k.sched.threads.filter((t) => t.name.startsWith('kcompressd')).length).toBe(2)
    expect(k.vmstat.pswpout).toBe(5)
  })

  it('direct reclaim is not offloaded (kswapd context only); zram_async offloads it', () => {
    for (const [v, queued] of [
      ['v1', 0],
      ['zram_async', 3]
    ] as const) {
      const k = kernel(v)
      const f = new Folios(k)
      for (let i = 0; i < 3; i++) f.add(`A${i}`, ANON)
      spawn(k, 'app', function* (t) {
        yield* shrink_inactive_list(
          k,
          t,
          3,
          k.pgdats[0],
          new_scan_control(2, 3, 32),
          LRU_INACTIVE_ANON
        )
      })
      k.env.run(1e9)
      expect(kc(k).vc.queued).toBe(queued)
    }
  })
})

describe('v2: locked, not under writeback, freed when the scan reaches it again', () => {
  it('kept at the head still locked, PG_reclaim cleared; completion does not rotate', () => {
    const k = kernel('v2')
    const f = new Folios(k)
    for (const n of ['A1', 'A2', 'A3', 'A4']) f.add(n, ANON)
    f.add('C1', ANON | PTE_young)
    f.add('C2', ANON | PTE_young)
    let seen = ''
    kswapdDecide(k, 4, () => {
      const a1 = k.swap!.swapcache[-f.anon.pte[0] - 2]
      const fl = k.pages.flags[a1]
      seen = `${fl & PG_locked ? 'locked' : ''}${fl & (PG_writeback | PG_reclaim) ? ' writeback/reclaim' : ''} pgsteal=${k.vmstat.pgsteal_kswapd} pswpout=${k.vmstat.pswpout}`
    })
    expect(seen).toBe('locked pgsteal=0 pswpout=0')
    // kcompressd0 wrote them (pswpout counted there) and unlocked them where they were.
    expect(f.draw(LRU_INACTIVE_ANON)).toBe('inactive_anon: C1 C2 A1 A2 A3 A4')
    expect([k.vmstat.pswpout, k.vmstat.pgrotated, kc(k).vc.nr_locked]).toEqual([4, 0, 0])
    // A balance pass that only queued folios reclaimed nothing.
    expect(k.vmstat.pgsteal_kswapd).toBe(0)
    kswapdShrink(k, 6)
    expect(k.vmstat.pgsteal_kswapd).toBe(4)
    expect(f.draw(LRU_INACTIVE_ANON)).toBe('inactive_anon: C1 C2')
  })

  it('kcompressd writes one folio after another: mid-burst, catch_up() completes the ones written by then', () => {
    const k = kernel('v2', {}, 2)
    const f = new Folios(k)
    for (let i = 0; i < 16; i++) f.add(`A${i}`, ANON)
    const seen: number[] = []
    spawn(k, 'kswapd', function* (t) {
      const p = k.pages
      const head = p.lru_head(0, LRU_INACTIVE_ANON)
      const list = new Int32Array(16)
      for (let i = 0; i < 16; i++) {
        list[i] = p.tail(head)
        lruvec_del_folio(k, list[i])
      }
      const ret = new FolioList()
      shrink_folio_list(
        k,
        t,
        list,
        16,
        k.pgdats[0],
        new_scan_control(1, 2, 32),
        new_reclaim_stat(),
        new FolioList(),
        ret
      )
      for (const pfn of ret) lruvec_add_folio(k, pfn, false)
      // kcompressd0 runs on the other CPU meanwhile; ~10 µs per folio at speed 1.
      yield cpu(40_000)
      seen.push(kc(k).vc.nr_locked)
      k.writeout.catch_up!(k)
      seen.push(kc(k).vc.nr_locked)
      yield cpu(1_000_000)
      seen.push(kc(k).vc.nr_locked)
    })
    k.env.run(k.env.now + 1e9)
    // Its burst of 16 has not ended at 40 µs: without catch_up all 16 still look locked.
    expect(seen[0]).toBe(16)
    expect(seen[1]).toBeGreaterThanOrEqual(10)
    expect(seen[1]).toBeLessThanOrEqual(14)
    expect(seen[2]).toBe(0)
    expect(k.vmstat.pswpout).toBe(16)
  })

  it('a scan that meets a still-locked folio keeps it (folio_trylock fails)', () => {
    const k = kernel('proto')
    const f = new Folios(k)
    f.add('A1', ANON)
    kswapdShrink(k, 1)
    kswapdShrink(k, 1)
    expect(kc(k).vc.rescanned_queued).toBe(1)
    expect(f.draw(LRU_INACTIVE_ANON)).toBe('inactive_anon: A1')
  })
})

describe('proto as posted', () => {
  it('never woken: 256 folios stay locked, later ones are compressed by kswapd, a fault blocks', () => {
    const k = kernel('proto')
    const f = new Folios(k)
    for (let i = 0; i < 300; i++) f.add(`A${i}`, ANON)
    kswapdShrink(k, 300)
    expect(kc(k).vc.nr_locked).toBe(256)
    expect(kc(k).vc.queue_full).toBe(44)
    expect(k.vmstat.pswpout).toBe(44)
    spawn(k, 'app', function* (t) {
      yield* access_range(k, t, f.anon, 0, 1, false)
    })
    k.env.run(k.env.now + 1e9)
    expect(kc(k).vc.fault_waits).toBe(1)
    expect(kc(k).folio_wait.waiters.length).toBe(1)
    const w = [...k.warnings, ...(k.writeout.finish?.(k) ?? [])].join('\n')
    expect(w).toMatch(/never runs again/)
    expect(w).toMatch(/kfifo_in\(&fifo, folio, sizeof\(folio\)\)/)
    expect(w).toMatch(/256 folios were still locked/)
  })
})

describe('unofficial 0.5: full queue → the oldest queued folio is written out first', () => {
  it('kswapd writes the oldest, then enqueues the new one', () => {
    const k = kernel('unofficial', { queue_size: 2 })
    const f = new Folios(k)
    for (const n of ['A1', 'A2', 'A3']) f.add(n, ANON)
    let locked = ''
    kswapdDecide(k, 3, () => {
      locked = [0, 1, 2]
        .map((i) => (k.pages.flags[k.swap!.swapcache[-f.anon.pte[i] - 2]] & PG_locked ? 'L' : '-'))
        .join('')
    })
    expect(locked).toBe('-LL')
    expect(kc(k).vc.queue_full).toBe(1)
  })
})

describe('guards and faults', () => {
  it('single_cpu_guard: nothing offloaded on one CPU', () => {
    const k = kernel('custom', { single_cpu_guard: true })
    const f = new Folios(k)
    for (let i = 0; i < 4; i++) f.add(`A${i}`, ANON)
    kswapdShrink(k, 4)
    expect(kc(k).vc.queued).toBe(0)
    expect(k.vmstat.pgsteal_kswapd).toBe(4)
  })

  it('v2: a fault on a queued folio waits for kcompressd, then maps it back', () => {
    const k = kernel('v2', {}, 2)
    const f = new Folios(k)
    f.add('A1', ANON)
    kswapdShrink(k, 1)
    spawn(k, 'app', function* (t) {
      yield* access_range(k, t, f.anon, 0, 1, false)
    })
    k.env.run(k.env.now + 1e9)
    expect(f.anon.pte[0]).toBeGreaterThanOrEqual(0)
    expect(kc(k).vc.nr_locked).toBe(0)
  })
})
