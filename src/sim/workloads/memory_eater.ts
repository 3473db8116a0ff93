import type { Kernel } from '../kernel'
import { type Thread, type ThreadBody } from '../cpu/thread'
import * as cpu_thread_mod from '../cpu/thread'
import * as mm_memory_mod from '../mm/memory'
import * as mm_mmap_mod from '../mm/mmap'
import * as mm_exit_mod from '../mm/exit'
import type { Scenario } from '../../shared/scenario/schema'
import * as common_mod from './common'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { cpu, sleep } = cpu_thread_mod
const { access_range } = mm_memory_mod
const { anon_vma_lock_write } = mm_mmap_mod
const { exit_mm } = mm_exit_mod
const { MB_PAGES, new_anon, spawn_proc, spawn_thread } = common_mod

type EaterSpec = Extract<Scenario['workload'], { type: 'memory_eater' }>

/** Per-page user cost of the passes (one load or store per page, TLB miss; assumed). */
const PASS_NS_PER_PAGE = 50

/**
 * memory_eater: allocates eat_mb of anonymous memory in 1 MiB steps, one mmap() each unless
 * one_mapping (every page written, at rate_mb_s or as fast as possible), then `passes` times
 * re-reads the first ws_mb (cold, likely swapped) and rewrites the last ws_mb (hot) — the twin's
 * eater.c, and Qun-Wei Lin's test. Then it exits (exit_mm()), unless it holds its memory.
 */
export function start_memory_eater(k: Kernel, w: EaterSpec): void {
  const proc = spawn_proc(k, 'memory_eater', 0)
  const rng = k.rng.get('workload.content')
  const m = new_anon(k, proc, w.eat_mb * MB_PAGES, w.content, rng)
  spawn_thread(k, proc, 'memory_eater', w.nice, function* (t: Thread): ThreadBody {
    const t0 = k.env.now
    for (let i = 0; i < w.eat_mb; i++) {
      if (!w.one_mapping) yield* anon_vma_lock_write(k, t, m)
      if (!(yield* access_range(k, t, m, i * MB_PAGES, MB_PAGES, true))) return
      yield cpu(w.user_ns_per_page * MB_PAGES)
      if (w.rate_mb_s > 0) {
        const target = t0 + ((i + 1) / w.rate_mb_s) * 1e9
        if (target > k.env.now) yield sleep(target - k.env.now)
      }
    }
    k.counters.eater_alloc_ns = k.env.now - t0
    const ws = Math.min(w.ws_mb, w.eat_mb) * MB_PAGES
    const total = w.eat_mb * MB_PAGES
    for (let p = 0; p < w.passes; p++) {
      for (let i = 0; i < ws; i += MB_PAGES) {
        if (!(yield* access_range(k, t, m, i, MB_PAGES, false))) return
        yield cpu(PASS_NS_PER_PAGE * MB_PAGES)
      }
      for (let i = total - ws; i < total; i += MB_PAGES) {
        if (!(yield* access_range(k, t, m, i, MB_PAGES, true))) return
        yield cpu(PASS_NS_PER_PAGE * MB_PAGES)
      }
    }
    k.counters.eater_total_ns = k.env.now - t0
    k.counters.eater_cpu_ns = t.cpu_ns
    k.counters.eater_stime_ns = t.stime_ns
    k.counters.eater_peak_rss = proc.rss()
    k.counters.eater_peak_swapents = proc.swapents()
    k.counters.peak_pgscan_kswapd = k.vmstat.pgscan_kswapd
    k.counters.peak_pgsteal_kswapd = k.vmstat.pgsteal_kswapd
    if (k.zram) {
      k.counters.peak_zram_orig = k.zram.orig_data_size
      k.counters.peak_zram_compr = k.zram.compr_data_size
      k.counters.peak_zram_mem_used = k.zram.mem_used_total
    }
    if (w.hold) yield sleep(Number.MAX_SAFE_INTEGER / 4)
    else yield* exit_mm(k, proc)
  })
}
