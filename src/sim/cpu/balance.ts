import type { Core } from './core'
import type { Thread } from './thread'

/*
 * Where threads run (kernel/sched/fair.c): the CPU a waking thread is queued on, and the pulls that
 * even out run queues. One scheduling domain: every CPU shares the last-level cache.
 */

/** sd->imbalance_pct of an MC domain: wake_affine_weight()'s bias towards the previous CPU. */
const IMBALANCE_PCT = 117

/**
 * select_task_rq_fair(): a new thread goes to the idlest CPU (sched_balance_find_dst_cpu()); a
 * waking one to its previous CPU if idle, else wake_affine() chooses between the waker's CPU and the
 * previous one, and select_idle_sibling() takes an idle CPU over either (the fastest, on
 * asymmetric systems: select_idle_capacity()).
 */
export function select_task_rq(cores: Core[], t: Thread): number {
  if (t.fresh) return find_idlest(cores)
  const prev = t.cpu
  if (cores[prev].idle()) return prev
  let target = prev
  const waker = t.waker_cpu
  if (waker >= 0 && waker !== prev) {
    if (cores[waker].idle()) target = waker
    else if (wake_affine_weight(cores[waker], cores[prev], t)) target = waker
  }
  if (cores[target].idle()) return target
  const idle = find_idle(cores, target)
  return idle >= 0 ? idle : target
}

/**
 * wake_affine_weight(): the waker's CPU wins if its load with the thread added is below the
 * previous CPU's, the previous CPU favoured by half the domain's imbalance_pct.
 * Simplified: loads are the run queues' weights, not PELT averages.
 */
function wake_affine_weight(waker: Core, prev: Core, t: Thread): boolean {
  const this_eff_load = (waker.load() + t.weight) * 100 * prev.speed
  const prev_eff_load = prev.load() * (100 + (IMBALANCE_PCT - 100) / 2) * waker.speed
  return this_eff_load < prev_eff_load
}

/** An idle CPU, scanning from the one after `target`; the fastest if cores differ. -1 if none. */
function find_idle(cores: Core[], target: number): number {
  let best = -1
  const n = cores.length
  for (let i = 1; i <= n; i++) {
    const c = cores[(target + i) % n]
    if (c.idle() && (best < 0 || c.speed > cores[best].speed)) best = c.id
  }
  return best
}

/** sched_balance_find_dst_cpu(): the CPU with the fewest runnable threads (fastest on a tie). */
export function find_idlest(cores: Core[]): number {
  let best = cores[0]
  for (const c of cores) {
    if (
      c.nr_running < best.nr_running ||
      (c.nr_running === best.nr_running && c.speed > best.speed)
    )
      best = c
  }
  return best.id
}

/** The CPU with the most threads waiting (at least one), other than `self`; null if none. */
export function find_busiest(cores: Core[], self: Core): Core | null {
  let busiest: Core | null = null
  for (const c of cores) {
    if (c === self || c.nr_waiting() === 0) continue
    if (!busiest || c.nr_waiting() > busiest.nr_waiting()) busiest = c
  }
  return busiest
}

/**
 * sched_balance_rq()'s choice: the CPU with the most runnable threads (one of them waiting) and
 * the one with the fewest, when they differ by two or more; null when balanced.
 */
export function find_imbalance(cores: Core[]): [Core, Core] | null {
  let busiest: Core | null = null
  let idlest: Core | null = null
  for (const c of cores) {
    if (c.nr_waiting() > 0 && (!busiest || c.nr_running > busiest.nr_running)) busiest = c
    if (!idlest || c.nr_running < idlest.nr_running) idlest = c
  }
  if (!busiest || !idlest || busiest.nr_running - idlest.nr_running < 2) return null
  return [busiest, idlest]
}

/**
 * The periodic balance interval of busy CPUs: sd->balance_interval starts at the domain's weight
 * in ms (sd_init()), times sd->busy_factor (16) while the CPU is busy. The weight is capped at 8
 * CPUs here (the model's choice, as for the base slice), which bounds the interval at 128 ms.
 */
export function load_balance_interval_ns(ncpus: number): number {
  return Math.min(ncpus, 8) * 16 * 1_000_000
}
