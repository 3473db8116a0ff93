import * as weights_mod from './weights'
import type { Thread } from './thread'

// Local bindings of imported values: the transpiled modules expose them through getters.
const { NICE_0_LOAD, TICK_NSEC } = weights_mod

/**
 * One CPU and its CFS run queue (kernel/sched/sched.h: struct rq, struct cfs_rq): the running
 * thread (`current`, cfs_rq->curr), the runnable ones waiting for it (`queue`, the rb-tree) and
 * the EEVDF arithmetic of kernel/sched/fair.c over them.
 * Simplified: a plain array instead of the augmented rb-tree (run queues here hold a handful of
 * threads), no PELT, no group scheduling.
 */
export class Core {
  current: Thread | null = null
  /** Queued threads: runnable ones and sleeping ones whose dequeue is delayed (DELAY_DEQUEUE). */
  queue: Thread[] = []
  nr_delayed = 0
  /** Start of current's running segment (accounted up to here). */
  start = 0
  /** When current was picked. */
  run_start = 0
  busy_ns = 0
  /** V when the queue was last non-empty (6.12's avg_vruntime() falls back to cfs_rq->min_vruntime). */
  last_avg_vruntime = 0
  /** PSI task counts on this CPU (kernel/sched/psi.c: NR_IOWAIT, NR_MEMSTALL, NR_RUNNING, NR_MEMSTALL_RUNNING). */
  nr_iowait = 0
  nr_memstall = 0
  nr_running = 0
  nr_memstall_running = 0
  /** The core's end-of-burst timer (Engine.timer()): re-armed in place, disarmed when the CPU stops. */
  timer_id = -1
  /**
   * TIF_NEED_RESCHED under CONFIG_PREEMPT_VOLUNTARY: the running thread is in kernel code and
   * switches out at its preemption point `resched_at` (work done in its burst, reference ns);
   * `resched_work` is the work done when the switch was asked for (Scheduler.switch_out_reader()).
   */
  need_resched = false
  /** The last tick drawn for a lost tick (Scheduler.tick_lost()), and whether it was lost. */
  tick_drawn = -1
  tick_was_lost = false
  resched_at = 0
  resched_work = 0
  /** sd->nr_balance_failed and sd->balance_interval (ms) of this CPU's scheduling domain. */
  nr_balance_failed = 0
  balance_interval_ms = 0

  constructor(
    readonly id: number,
    readonly cls: string,
    readonly speed: number
  ) {}

  /** Nothing to run: no current thread and only delayed sleepers queued. */
  idle(): boolean {
    return this.current === null && this.queue.length === this.nr_delayed
  }

  /** Runnable threads waiting for this CPU. */
  nr_waiting(): number {
    return this.queue.length - this.nr_delayed
  }

  /** Sum of the weights of the runnable threads (cfs_rq load, including curr). */
  load(): number {
    let w = this.current ? this.current.weight : 0
    for (const t of this.queue) w += t.weight
    return w
  }

  /**
   * avg_vruntime(): the weighted average vruntime V of the runnable threads, curr included; the
   * queue's last V when nothing is runnable.
   */
  avg_vruntime(): number {
    const c = this.current
    const q = this.queue
    if (!c && q.length === 0) return this.last_avg_vruntime
    const base = c ? c.vruntime : q[0].vruntime
    let sum = 0
    let load = 0
    if (c) load = c.weight
    for (let i = 0; i < q.length; i++) {
      sum += (q[i].vruntime - base) * q[i].weight
      load += q[i].weight
    }
    const v = base + sum / load
    this.last_avg_vruntime = v
    return v
  }

  /** entity_eligible(): lag >= 0, i.e. the thread has received no more than its share (V >= v). */
  entity_eligible(t: Thread, V: number): boolean {
    return V >= t.vruntime
  }

  /**
   * pick_eevdf(): the eligible thread with the earliest virtual deadline. RUN_TO_PARITY: a current
   * thread that is still eligible keeps the CPU until it gets a new deadline (6.12 marks it by
   * stashing the deadline in se->vlag in set_next_entity()).
   */
  pick_eevdf(): Thread | null {
    const q = this.queue
    let curr = this.current
    if (q.length === 0) return curr
    if (!curr && q.length === 1) return q[0]
    const V = this.avg_vruntime()
    if (curr && !this.entity_eligible(curr, V)) curr = null
    if (curr && curr.run_to_parity) return curr
    let best: Thread | null = null
    for (let i = 0; i < q.length; i++) {
      const t = q[i]
      if (!this.entity_eligible(t, V)) continue
      if (!best || t.deadline < best.deadline) best = t
    }
    if (!best || (curr && curr.deadline < best.deadline)) best = curr
    return best ?? q[0]
  }

  /**
   * place_entity(): a thread joining the queue keeps the lag it left with (PLACE_LAG, inflated so
   * that it survives its own effect on V); its deadline is one slice of virtual time later, half a
   * slice for a new thread (PLACE_DEADLINE_INITIAL).
   */
  place_entity(t: Thread, initial: boolean): void {
    const V = this.avg_vruntime()
    let lag = 0
    const load = this.load()
    if (load > 0) lag = (t.vlag * (load + t.weight)) / load
    t.vruntime = V - lag
    let vslice = (t.slice * NICE_0_LOAD) / t.weight
    if (initial) vslice /= 2
    t.deadline = t.vruntime + vslice
  }

  /** update_entity_lag() at dequeue: V - v, clamped to two slices (at least a tick) of virtual time. */
  update_entity_lag(t: Thread): void {
    const limit = (Math.max(2 * t.slice, TICK_NSEC) * NICE_0_LOAD) / t.weight
    const lag = this.avg_vruntime() - t.vruntime
    t.vlag = lag > limit ? limit : lag < -limit ? -limit : lag
  }

  /**
   * sched_tick() → update_curr() → update_deadline() for a thread that ran alone since `since`:
   * each tick that found it past its deadline gave it a new one a slice after its vruntime then;
   * the last tick decides, because a slice (at most 3 ms) is shorter than a tick.
   */
  tick_deadline(t: Thread, now: number, since: number): void {
    const last = Math.floor(now / TICK_NSEC) * TICK_NSEC
    if (last <= since) return
    const v = t.vruntime - ((now - last) * NICE_0_LOAD) / t.weight
    if (v < t.deadline) return
    t.deadline = v + (t.slice * NICE_0_LOAD) / t.weight
    t.run_to_parity = false
  }

  /** update_deadline(): a thread past its deadline gets a new one, a slice later; returns true then. */
  update_deadline(t: Thread): boolean {
    if (t.vruntime < t.deadline) return false
    t.deadline = t.vruntime + (t.slice * NICE_0_LOAD) / t.weight
    t.run_to_parity = false
    return true
  }

  remove(t: Thread): void {
    const q = this.queue
    const i = q.indexOf(t)
    if (i >= 0) q.splice(i, 1)
  }
}
