import type { Kernel } from '../kernel'
import * as memory_eater_mod from './memory_eater'
import * as app_switch_mod from './android_app_switch'
import * as kernel_build_mod from './kernel_build'
import * as trace_mod from './trace'
import * as cpu_hogs_mod from './cpu_hogs'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { start_memory_eater } = memory_eater_mod
const { start_app_switch } = app_switch_mod
const { start_kernel_build } = kernel_build_mod
const { start_trace_replay } = trace_mod
const { start_cpu_hogs } = cpu_hogs_mod

/** Starts the scenario's workload threads, and its CPU hogs first (they are running when it starts). */
export function start_workload(k: Kernel): void {
  const w = k.scenario.workload
  start_cpu_hogs(k, w.cpu_hogs.count, w.cpu_hogs.nice)
  switch (w.type) {
    case 'memory_eater':
      return start_memory_eater(k, w)
    case 'android_app_switch':
      return start_app_switch(k, w)
    case 'kernel_build':
      return start_kernel_build(k, w)
    case 'trace':
      return start_trace_replay(k, w)
  }
}
