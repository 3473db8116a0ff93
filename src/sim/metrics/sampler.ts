import type { Kernel } from '../kernel'
import { type VmstatGauge } from './vmstat'
import * as vmstat_mod from './vmstat'
import * as mm_types from '../mm/types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { VMSTAT_COUNTERS, VMSTAT_GAUGES } = vmstat_mod
const {
  LRU_ACTIVE_ANON,
  LRU_ACTIVE_FILE,
  LRU_INACTIVE_ANON,
  LRU_INACTIVE_FILE,
  PG_dirty,
  PG_swapbacked,
  PG_writeback
} = mm_types

/** A batch of samples, columnar: `t_s` and one numeric array per series name. */
export interface SampleBatch {
  t_s: number[]
  series: Record<string, number[]>
}

/** node_page_state() gauges summed over nodes. */
export function read_gauges(k: Kernel): Record<VmstatGauge, number> {
  let free = 0
  const lru = [0, 0, 0, 0]
  let iso_a = 0
  let iso_f = 0
  let pool = 0
  let page_tables = 0
  for (const pg of k.pgdats) {
    free += pg.zone.free
    for (let i = 0; i < 4; i++) lru[i] += pg.lruvec.nr[i]
    iso_a += pg.nr_isolated_anon
    iso_f += pg.nr_isolated_file
    pool += pg.nr_pool_pages
    page_tables += pg.nr_page_table_pages
  }
  return {
    nr_free_pages: free,
    nr_inactive_anon: lru[LRU_INACTIVE_ANON],
    nr_active_anon: lru[LRU_ACTIVE_ANON],
    nr_inactive_file: lru[LRU_INACTIVE_FILE],
    nr_active_file: lru[LRU_ACTIVE_FILE],
    nr_isolated_anon: iso_a,
    nr_isolated_file: iso_f,
    nr_zspages: pool,
    nr_page_table_pages: page_tables
  }
}

/** Bit positions of the flags scan_gauges() counts. */
const WRITEBACK_BIT = 31 - Math.clz32(PG_writeback)
const DIRTY_BIT = 31 - Math.clz32(PG_dirty)
const SWAPBACKED_BIT = 31 - Math.clz32(PG_swapbacked)

/**
 * nr_dirty (file) and nr_writeback, by a walk over the page flags (one pass per run end): two
 * frames' flags per 32-bit word, each count the sum of the word's two 16-bit lanes.
 */
export function scan_gauges(k: Kernel): { nr_dirty: number; nr_writeback: number } {
  const f = k.pages.flags
  const nr = k.pages.nr
  const WB = WRITEBACK_BIT
  const D = DIRTY_BIT
  const S = SWAPBACKED_BIT
  let wb = 0
  let dirty = 0
  let i = 0
  if ((f.byteOffset & 3) === 0) {
    const words = new Uint32Array(f.buffer, f.byteOffset, nr >> 1)
    for (let j = 0; j < words.length; j++) {
      const x = words[j]
      const w = (x >>> WB) & 0x10001
      const d = (x >>> D) & ~(x >>> S) & 0x10001
      wb += (w & 1) + (w >>> 16)
      dirty += (d & 1) + (d >>> 16)
    }
    i = 2 * words.length
  }
  for (; i < nr; i++) {
    const x = f[i]
    wb += (x >> WB) & 1
    dirty += (x >> D) & ~(x >> S) & 1
  }
  return { nr_dirty: dirty, nr_writeback: wb }
}

/** Records vmstat counters, gauges, PSI totals and CPU use every sample interval. */
export class Sampler {
  private batch: SampleBatch
  private lastKswapdCpu = 0
  private lastT = 0
  count = 0

  constructor(private k: Kernel) {
    this.batch = this.empty()
  }

  private empty(): SampleBatch {
    const series: Record<string, number[]> = {}
    for (const c of VMSTAT_COUNTERS) series[c] = []
    for (const g of VMSTAT_GAUGES) series[g] = []
    for (const x of [
      'psi_some_total_us',
      'psi_full_total_us',
      'kswapd_cpu_pct',
      'zram_mem_used_pages',
      'zram_orig_pages',
      'zswap_pool_pages',
      'zswap_stored_pages',
      'app_launches',
      'lmkd_kills'
    ])
      series[x] = []
    for (const x of this.k.writeout.series?.() ?? []) series[x] = []
    return { t_s: [], series }
  }

  sample(): void {
    const k = this.k
    const b = this.batch
    const s = b.series
    b.t_s.push(k.env.now / 1e9)
    for (const c of VMSTAT_COUNTERS) s[c].push(k.vmstat[c])
    const g = read_gauges(k)
    for (const name of VMSTAT_GAUGES) s[name].push(g[name])
    k.psi.collect(k.env.now)
    s.psi_some_total_us.push(Math.floor(k.psi.some_ns / 1000))
    s.psi_full_total_us.push(Math.floor(k.psi.full_ns / 1000))
    let kcpu = 0
    for (const pg of k.pgdats) kcpu += pg.kswapd ? pg.kswapd.cpu_ns : 0
    const dt = k.env.now - this.lastT
    k.writeout.sample?.(s, dt)
    s.kswapd_cpu_pct.push(dt > 0 ? Math.round(((kcpu - this.lastKswapdCpu) / dt) * 10000) / 100 : 0)
    this.lastKswapdCpu = kcpu
    this.lastT = k.env.now
    s.zram_mem_used_pages.push(k.zram ? k.zram.mem_used_total : 0)
    s.zram_orig_pages.push(k.zram ? k.zram.orig_data_size : 0)
    s.zswap_pool_pages.push(k.zswap ? k.zswap.zswap_total_pages() : 0)
    s.zswap_stored_pages.push(k.zswap ? k.zswap.stored_pages : 0)
    s.app_launches.push(k.counters.launches)
    s.lmkd_kills.push(k.counters.kills_lmkd)
    this.count++
  }

  take(): SampleBatch | null {
    if (this.batch.t_s.length === 0) return null
    const b = this.batch
    this.batch = this.empty()
    return b
  }
}
