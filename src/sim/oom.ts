import type { Kernel } from './kernel'
import type { Thread } from './cpu/thread'
import type { Proc } from './proc'
import * as mm_exit_mod from './mm/exit'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { exit_mmap } = mm_exit_mod

/**
 * mm/oom_kill.c: oom_badness(): rss + swap entries, adjusted by oom_score_adj × totalpages / 1000.
 * Simplified: no page-table pages.
 */
export function oom_badness(k: Kernel, p: Proc): number {
  if (p.oom_score_adj <= -1000) return -Infinity
  return p.rss() + p.swapents() + (p.oom_score_adj * k.totalram_pages) / 1000
}

/**
 * Kill a process: exit_mmap() frees its memory at once (as the oom_reaper would); its threads see
 * the mappings gone at their next memory access and exit, after finishing any reclaim batch they
 * hold (a task with a fatal signal pending still completes the batch it has isolated).
 * Returns the pages and swap entries freed.
 */
export function kill_process(k: Kernel, victim: Proc): number {
  victim.alive = false
  return exit_mmap(k, victim)
}

/**
 * mm/oom_kill.c: out_of_memory() → select_bad_process() → oom_kill_process()
 * Simplified: the victim's memory is freed at once (as if the oom_reaper ran immediately).
 */
export function out_of_memory(k: Kernel, t: Thread): boolean {
  let victim: Proc | null = null
  let best = -Infinity
  for (const p of k.procs) {
    if (!p.alive) continue
    const b = oom_badness(k, p)
    if (b > best) {
      best = b
      victim = p
    }
  }
  if (!victim || best === -Infinity) return false
  k.vmstat.oom_kill++
  k.warnings.push(
    `OOM killer: killed ${victim.name} (pid ${victim.pid}, rss ${victim.rss()} pages, swap ${victim.swapents()}) at ${(k.env.now / 1e9).toFixed(3)} s`
  )
  k.counters.kills_oom++
  k.tracer?.instant('oom_kill', t, { pid: victim.pid, name: victim.name, rss: victim.rss() })
  kill_process(k, victim)
  return true
}
