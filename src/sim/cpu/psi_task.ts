/*
 * kernel/sched/psi.c's per-task side: which of a CPU's PSI task counts a thread is in
 * (psi_task_change()). The time accounting over those counts is metrics/psi.ts.
 */
import type { Core } from './core'
import type { TState, Thread } from './thread'

/** PSI task flags (TSK_IOWAIT, TSK_MEMSTALL, TSK_RUNNING, TSK_MEMSTALL_RUNNING). */
const TSK_IOWAIT = 1
const TSK_MEMSTALL = 2
const TSK_RUNNING = 4
const TSK_MEMSTALL_RUNNING = 8

// enum TState values, local: the transpiled module exposes them through getters.
const T_RUNNABLE = 1 as TState
const T_RUNNING = 2 as TState
const T_IOWAIT = 3 as TState
const T_DEAD = 4 as TState

/** The PSI task flags of t: runnable or running, in iowait, in a memstall (running or not). */
export function psi_flags(t: Thread): number {
  const s = t.state
  if (s === T_DEAD) return 0
  const run = s === T_RUNNABLE || s === T_RUNNING
  let f = run ? TSK_RUNNING : s === T_IOWAIT ? TSK_IOWAIT : 0
  if (t.memstall > 0) f |= run ? TSK_MEMSTALL | TSK_MEMSTALL_RUNNING : TSK_MEMSTALL
  return f
}

/** psi_group_change()'s task counts: c loses a task's `before` flags and gains its `after`. */
export function psi_task_counts(c: Core, before: number, after: number): void {
  const changed = before ^ after
  if (changed & TSK_RUNNING) c.nr_running += after & TSK_RUNNING ? 1 : -1
  if (changed & TSK_IOWAIT) c.nr_iowait += after & TSK_IOWAIT ? 1 : -1
  if (changed & TSK_MEMSTALL) c.nr_memstall += after & TSK_MEMSTALL ? 1 : -1
  if (changed & TSK_MEMSTALL_RUNNING) c.nr_memstall_running += after & TSK_MEMSTALL_RUNNING ? 1 : -1
}
