import type { Engine } from '../des/engine'
import type { Core } from './core'
import type { Thread } from './thread'
import { cpu_load_avgs, load_avg_at } from './pelt'
import { TICK_NSEC } from './weights'

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

/** What sched_balance_rq() moves: whole threads (migrate_task) or an amount of load (migrate_load). */
export interface Imbalance {
  busiest: Core
  /** migrate_task: threads to move; migrate_load: load (weight) to move. */
  amount: number
  by_load: boolean
}

/**
 * sched_balance_find_src_group() and calculate_imbalance() for `local` in a domain of single-CPU
 * groups: the busiest CPU is the overloaded one (a thread waiting) with the highest avg_load. An
 * idle local CPU takes one thread; a busy one takes load, no more than brings either side to the
 * domain's average, and an overloaded one only from a CPU loaded imbalance_pct above it.
 * `loads` are the CPUs' PELT load averages (cpu/pelt.ts). Simplified: a CPU is overloaded when a
 * thread waits on it (not by its runnable and util averages); no misfit or asym packing.
 */
function calculate_imbalance(cores: Core[], local: Core, loads: number[]): Imbalance | null {
  // the group's avg_load (update_sg_lb_stats()): load per unit of capacity, a core's speed
  const avg_load = (c: Core): number => loads[c.id] / c.speed
  let busiest: Core | null = null
  let total_load = 0
  let total_capacity = 0
  for (const c of cores) {
    total_load += loads[c.id]
    total_capacity += c.speed
    if (c === local || c.nr_waiting() === 0 || c.nr_running < 2) continue
    if (!busiest || avg_load(c) > avg_load(busiest)) busiest = c
  }
  if (!busiest) return null
  if (local.nr_running === 0) return { busiest, amount: 1, by_load: false }
  const local_avg = avg_load(local)
  const busiest_avg = avg_load(busiest)
  const domain_avg = total_load / total_capacity
  if (local_avg >= busiest_avg || local_avg >= domain_avg) return null
  if (local.nr_running >= 2 && 100 * busiest_avg <= IMBALANCE_PCT * local_avg) return null
  const amount = Math.min(
    (busiest_avg - domain_avg) * busiest.speed,
    (domain_avg - local_avg) * local.speed
  )
  return amount > 0 ? { busiest, amount, by_load: true } : null
}

/** sysctl_sched_migration_cost: a thread that ran this recently is cache-hot (task_hot()). */
const MIGRATION_COST_NS = 500_000
/** sd->cache_nice_tries of an MC domain: failed balances before cache-hot threads may move. */
const CACHE_NICE_TRIES = 1

/**
 * detach_tasks()'s choice from the busiest CPU: its waiting threads from the one queued or
 * picked longest ago (the tail of rq->cfs_tasks), skipping cache-hot ones (ran within
 * migration_cost) until `failed` exceeds cache_nice_tries, and taking a thread only if its load,
 * halved for each failed balance (shr_bound()), fits what is left of the imbalance.
 */
function detach_tasks(imb: Imbalance, failed: number, now: number): Thread[] {
  const candidates = imb.busiest.queue
    .filter((t) => !t.sched_delayed)
    .sort((a, b) => a.listed_at - b.listed_at || a.tid - b.tid)
  const taken: Thread[] = []
  let left = imb.amount
  for (const t of candidates) {
    if (now - t.exec_start < MIGRATION_COST_NS && failed <= CACHE_NICE_TRIES) continue
    const load = imb.by_load ? Math.max(1, load_avg_at(t, now)) : 1
    if (imb.by_load && load / 2 ** Math.min(failed, 31) > left) continue
    taken.push(t)
    left -= load
    if (left <= 0) break
  }
  return taken
}

/**
 * sd->min_interval and sd->max_interval of the domain (sd_init()): its weight and twice that, in
 * ms. The weight is capped at 8 CPUs here (the model's choice, as for the base slice).
 */
function balance_interval_bounds_ms(ncpus: number): [number, number] {
  const w = Math.min(ncpus, 8)
  return [w, 2 * w]
}

/** sd->busy_factor: a busy CPU balances this many times less often. */
const BUSY_FACTOR = 16

/** get_sd_balance_interval() of a busy CPU: balance_interval × busy_factor ms, less a tick. */
function sd_balance_interval_ns(balance_interval_ms: number, tick_ns: number): number {
  return Math.max(tick_ns, balance_interval_ms * BUSY_FACTOR * 1_000_000 - tick_ns)
}

/**
 * Each CPU balances its domain every balance_interval × busy_factor ms less a tick
 * (get_sd_balance_interval()), pulling what sched_balance_rq() chooses through `migrate`; the
 * CPUs start a fraction of an interval apart.
 * Simplified: an idle CPU balances as seldom as a busy one (it pulls when it goes idle).
 */
export function start_balancing(
  env: Engine,
  cores: Core[],
  threads: Thread[],
  migrate: (src: Core, dst: Core, t: Thread) => void
): void {
  const [min_ms, max_ms] = balance_interval_bounds_ms(cores.length)
  const interval_ns = (c: Core): number => sd_balance_interval_ns(c.balance_interval_ms, TICK_NSEC)
  for (const c of cores) {
    c.balance_interval_ms = min_ms
    const balance = (): void => {
      if (sched_balance_rq(cores, threads, c, env.now, migrate)) c.balance_interval_ms = min_ms
      else if (c.balance_interval_ms < max_ms) c.balance_interval_ms *= 2
      env.after(interval_ns(c), balance)
    }
    env.after((interval_ns(c) * (c.id + 1)) / cores.length, balance)
  }
}

/**
 * sched_balance_rq() pulling into `local` what detach_tasks() chooses. Returns false when the
 * domain was balanced (the interval grows); a balance that moved nothing counts as failed.
 * Simplified: no active balance of the running thread.
 */
function sched_balance_rq(
  cores: Core[],
  threads: Thread[],
  local: Core,
  now: number,
  migrate: (src: Core, dst: Core, t: Thread) => void
): boolean {
  const imb = calculate_imbalance(cores, local, cpu_load_avgs(threads, cores.length, now))
  if (!imb) {
    local.nr_balance_failed = 0
    return false
  }
  const taken = detach_tasks(imb, local.nr_balance_failed, now)
  for (const t of taken) migrate(imb.busiest, local, t)
  local.nr_balance_failed = taken.length > 0 ? 0 : local.nr_balance_failed + 1
  return true
}
