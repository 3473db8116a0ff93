import type { Kernel } from '../kernel'
import type { Scenario } from '../../shared/scenario/schema'
import { type Thread, type ThreadBody } from '../cpu/thread'
import * as cpu_thread_mod from '../cpu/thread'
import * as mm_memory_mod from '../mm/memory'
import * as mm_exit_mod from '../mm/exit'
import * as oom_mod from '../oom'
import type { Mapping } from '../mm/mapping'
import { type TraceEvent } from './trace_format'
import * as trace_format_mod from './trace_format'
import * as common_mod from './common'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { cpu, sleep } = cpu_thread_mod
const { access_range } = mm_memory_mod
const { munmap_range } = mm_exit_mod
const { kill_process } = oom_mod
const { parseTrace } = trace_format_mod
const { new_anon, spawn_proc, spawn_thread } = common_mod

type Spec = Extract<Scenario['workload'], { type: 'trace' }>

/**
 * Trace replay: one process and thread per pid, each replaying its events at their timestamps
 * (late events run at once; the total lateness is reported as trace_late_ms).
 */
export function start_trace_replay(k: Kernel, w: Spec): void {
  const events = parseTrace(w.text, w.format)
  const byPid = new Map<number, TraceEvent[]>()
  for (const e of events) {
    const l = byPid.get(e.pid) ?? []
    l.push(e)
    byPid.set(e.pid, l)
  }
  const rng = k.rng.get('workload.content')
  for (const [pid, list] of [...byPid.entries()].sort((a, b) => a[0] - b[0])) {
    const proc = spawn_proc(k, `trace_pid${pid}`, 0)
    const extent = new Map<number, number>()
    for (const e of list)
      extent.set(e.region, Math.max(extent.get(e.region) ?? 0, e.offset_pages + e.pages))
    const regions = new Map<number, Mapping>()
    for (const [r, n] of [...extent.entries()].sort((a, b) => a[0] - b[0]))
      regions.set(r, new_anon(k, proc, n, w.content, rng))
    spawn_thread(k, proc, `trace_pid${pid}`, 0, function* (t: Thread): ThreadBody {
      for (const e of list) {
        const at = e.t_ms * 1e6
        if (at > k.env.now) yield sleep(at - k.env.now)
        else k.counters.trace_late_ns += k.env.now - at
        const m = regions.get(e.region) as Mapping
        switch (e.op) {
          case 'alloc':
          case 'touch':
            if (!(yield* access_range(k, t, m, e.offset_pages, e.pages, e.op === 'alloc'))) return
            break
          case 'free':
            yield cpu(
              munmap_range(k, m, e.offset_pages, e.pages) * k.costs.exit_per_page_ns,
              0,
              true
            )
            break
          case 'cpu':
            yield cpu(e.ms * 1e6)
            break
          case 'exit':
            kill_process(k, proc)
            return
        }
      }
    })
  }
}
