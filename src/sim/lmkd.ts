import type { Kernel } from './kernel'
import { type Thread, type ThreadBody } from './cpu/thread'
import * as cpu_thread_mod from './cpu/thread'
import type { Proc } from './proc'
import * as oom_mod from './oom'
import * as mm_types from './mm/types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { cpu, sleep } = cpu_thread_mod
const { kill_process } = oom_mod
const { LRU_ACTIVE_FILE, LRU_INACTIVE_FILE } = mm_types

/** lmkd's PSI poll period while watching for events (PSI_POLL_PERIOD_LONG_MS). */
const POLL_NS = 100_000_000
/** Trigger window of both monitors (kernel-reference §2.13: 1000 ms). */
const WINDOW_NS = 1_000_000_000
/** Only processes above PERCEPTIBLE_APP_ADJ (200) are killed in PSI mode. */
const MIN_KILL_ADJ = 201

interface Snap {
  t: number
  some: number
  full: number
}

/**
 * Android lmkd in PSI mode (system/memory/lmkd: mp_event_psi, new strategy), reduced to its core:
 * MEDIUM = some stall ≥ psi_partial_stall_ms and CRITICAL = full stall ≥ psi_complete_stall_ms within
 * a 1 s window. On an event it kills the least important background app (highest oom_score_adj,
 * then least recently used) if: critical pressure; or swap is low (< swap_free_low_percentage) and
 * memory is below the high watermark or file refaults exceed thrashing_limit; or memory is below
 * the high watermark while thrashing. Waits kill_timeout_ms after a kill.
 * Simplified: no minfree levels, no per-app memcg, thrashing from node-wide file refaults.
 */
export function start_lmkd(k: Kernel): void {
  const cfg = k.scenario.kernel.lmkd
  k.sched.spawn('lmkd', 'lmkd', -20, (t) => lmkd_main(k, t, cfg))
}

function* lmkd_main(k: Kernel, t: Thread, cfg: Kernel['scenario']['kernel']['lmkd']): ThreadBody {
  const hist: Snap[] = []
  let lastKill = -Infinity
  let thrashing_limit = cfg.thrashing_limit
  let wsBase = k.vmstat.workingset_refault_file
  let fileBase = 1
  let wsResetAt = 0
  for (;;) {
    yield sleep(POLL_NS)
    const now = k.env.now
    k.psi.collect(now)
    hist.push({ t: now, some: k.psi.some_ns, full: k.psi.full_ns })
    while (hist.length > 1 && hist[0].t < now - WINDOW_NS) hist.shift()
    const old = hist[0]
    const some_ms = (k.psi.some_ns - old.some) / 1e6
    const full_ms = (k.psi.full_ns - old.full) / 1e6
    let file = 0
    for (const pg of k.pgdats)
      file += pg.lruvec.nr[LRU_ACTIVE_FILE] + pg.lruvec.nr[LRU_INACTIVE_FILE]
    if (now - wsResetAt >= WINDOW_NS) {
      wsResetAt = now
      wsBase = k.vmstat.workingset_refault_file
      fileBase = file + 1
      thrashing_limit = cfg.thrashing_limit
    }
    const critical = full_ms >= cfg.psi_complete_stall_ms
    const medium = some_ms >= cfg.psi_partial_stall_ms
    if (!critical && !medium) continue
    if (now - lastKill < cfg.kill_timeout_ms * 1e6) continue
    const thrashing = ((k.vmstat.workingset_refault_file - wsBase) * 100) / fileBase
    let free = 0
    let high = 0
    for (const pg of k.pgdats) {
      free += pg.zone.free
      high += pg.zone.high_wmark_pages()
    }
    const si = k.swap
    const swap_is_low = si ? (si.nr_free * 100) / si.nr_slots < cfg.swap_free_low_percentage : true
    const below_high = free < high
    let reason = ''
    if (critical) reason = 'critical pressure'
    else if (swap_is_low && thrashing > thrashing_limit) reason = 'low swap and thrashing'
    else if (swap_is_low && below_high) reason = 'low swap and low memory'
    else if (below_high && thrashing > thrashing_limit) reason = 'low memory and thrashing'
    if (!reason) continue
    const victim = find_victim(k)
    if (!victim) continue
    const rss = victim.rss()
    const freed = kill_process(k, victim)
    k.counters.kills_lmkd++
    k.tracer?.instant('lmkd_kill', t, { pid: victim.pid, name: victim.name, rss, reason })
    lastKill = k.env.now
    if (thrashing > thrashing_limit)
      thrashing_limit = (thrashing_limit * (100 - cfg.thrashing_limit_decay)) / 100
    // process_mrelease() of the victim's memory, in lmkd's context
    yield cpu(freed * k.costs.exit_per_page_ns, 0, true)
  }
}

/** find_and_kill_process(): highest oom_score_adj above MIN_KILL_ADJ, then least recently used. */
function find_victim(k: Kernel): Proc | null {
  let best: Proc | null = null
  for (const p of k.procs) {
    if (!p.alive || p.oom_score_adj < MIN_KILL_ADJ) continue
    if (
      !best ||
      p.oom_score_adj > best.oom_score_adj ||
      (p.oom_score_adj === best.oom_score_adj && p.last_used < best.last_used)
    )
      best = p
  }
  return best
}
