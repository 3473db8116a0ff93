import type { Thread } from './thread'

/*
 * Per-entity load tracking (kernel/sched/pelt.c): a thread's load_avg is its weight times the
 * share of recent time it spent on a run queue, each 1024 µs period counting y = 0.5^(1/32) times
 * the one after it, so that load 32 periods old counts half.
 * Simplified: continuous decay instead of whole periods.
 */

/** Decay per ns: y^(1/1024 µs) with y^32 = 1/2 (LOAD_AVG_PERIOD). */
const DECAY_PER_NS = Math.LN2 / (32 * 1_024_000)

/** ___update_load_avg(): brings t's load_avg to `now`, accruing its weight while on a run queue. */
export function update_load_avg(t: Thread, now: number): void {
  const dt = now - t.load_avg_at
  if (dt <= 0) return
  const keep = Math.exp(-dt * DECAY_PER_NS)
  t.load_avg = t.load_avg * keep + (t.on_rq ? t.weight * (1 - keep) : 0)
  t.load_avg_at = now
}

/** t's load_avg as of `now`, without updating it. */
export function load_avg_at(t: Thread, now: number): number {
  const dt = now - t.load_avg_at
  if (dt <= 0) return t.load_avg
  const keep = Math.exp(-dt * DECAY_PER_NS)
  return t.load_avg * keep + (t.on_rq ? t.weight * (1 - keep) : 0)
}
