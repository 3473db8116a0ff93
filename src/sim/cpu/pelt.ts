import type { TState, Thread } from './thread'

// TState.DEAD, local: the transpiled enum is read through a getter.
const T_DEAD = 4 as TState

/*
 * Per-entity load tracking (kernel/sched/pelt.c): a thread's load_avg is its weight times the
 * share of recent time it spent on a run queue, each 1024 µs period counting y = 0.5^(1/32) times
 * the one after it, so that load 32 periods old counts half.
 * Simplified: continuous decay instead of whole periods.
 */

/** Decay per ns: y^(1/1024 µs) with y^32 = 1/2 (LOAD_AVG_PERIOD). */
const DECAY_PER_NS = Math.LN2 / (32 * 1_024_000)

/** t's load_avg as of `now`, without updating it. */
export function load_avg_at(t: Thread, now: number): number {
  const dt = now - t.load_avg_at
  if (dt <= 0) return t.load_avg
  const keep = Math.exp(-dt * DECAY_PER_NS)
  return t.load_avg * keep + (t.on_rq ? t.weight * (1 - keep) : 0)
}

/** ___update_load_avg(): brings t's load_avg to `now`, accruing its weight while on a run queue. */
export function update_load_avg(t: Thread, now: number): void {
  t.load_avg = load_avg_at(t, now)
  t.load_avg_at = now
}

/**
 * cfs_rq->avg.load_avg of each of `ncpus` CPUs: the load of the threads whose CPU it is, the
 * blocked ones' included as it decays (a dead thread's is gone).
 */
export function cpu_load_avgs(threads: readonly Thread[], ncpus: number, now: number): number[] {
  const loads = new Array<number>(ncpus).fill(0)
  for (const t of threads) if (t.state !== T_DEAD && t.cpu >= 0) loads[t.cpu] += load_avg_at(t, now)
  return loads
}
