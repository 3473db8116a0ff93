import type { Engine } from '../des/engine'
import * as weights_mod from './weights'
import { Core } from './core'
import { Thread, type Op, type Sub, type TState, type ThreadBody, type ThreadKind } from './thread'
import type { WaitQueue } from './waitqueue'
import type { RwSem } from './rwsem'
import * as balance_mod from './balance'
import * as pelt_mod from './pelt'
import * as psi_task_mod from './psi_task'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { NICE_0_LOAD, TICK_NSEC, niceToWeight, sched_base_slice_ns } = weights_mod
const { select_task_rq, find_busiest, find_idlest, start_balancing } = balance_mod
const { update_load_avg } = pelt_mod
const { psi_flags, psi_task_counts } = psi_task_mod
// enum TState / Op values, local for the same reason.
const T_SLEEPING = 0 as TState
const T_RUNNABLE = 1 as TState
const T_RUNNING = 2 as TState
const T_IOWAIT = 3 as TState
const T_DEAD = 4 as TState
const OP_CPU = 0 as Op
const OP_SLEEP = 1 as Op
const OP_IO = 3 as Op
const OP_CALL = 4 as Op

export { Core }

/** The most recently queued runnable (not delayed) thread of c: the one a pull takes. */
function last_waiting(c: Core): Thread {
  const q = c.queue
  for (let i = q.length - 1; i > 0; i--) if (!q[i].sched_delayed) return q[i]
  return q[0]
}

export interface CoreSpec {
  class: string
  speed: number
}

/** Observer of a CPU's PSI task counts (metrics/psi.ts). Called before every change. */
export interface SchedObserver {
  cpu_change(c: Core, now: number): void
}

/**
 * Per-CPU run queues scheduled as EEVDF does in Linux 6.12 (kernel/sched/fair.c): a waking thread
 * goes to an idle CPU if there is one (select_task_rq_fair()), is placed with the lag it left with,
 * and preempts the running thread only if it is now the eligible thread with the earliest virtual
 * deadline and the running one is not protected by RUN_TO_PARITY; a running thread past its
 * deadline is switched out at the next tick (CONFIG_HZ=250). A CPU that goes idle pulls a waiting
 * thread (sched_balance_newidle()); each busy CPU balances its domain on its own timer by PELT
 * load (balance.ts, pelt.ts).
 * Preemption takes effect at once, or under CONFIG_PREEMPT_VOLUNTARY at the running kernel code's
 * next preemption point (resched_curr()).
 * Simplified: no cgroups, no affinity, no frequency scaling, one last-level cache.
 */
export class Scheduler {
  cores: Core[]
  threads: Thread[] = []
  slice: number
  observer: SchedObserver | null = null
  /** The thread whose generator is executing (`current`). */
  current: Thread | null = null
  onBurst: ((core: Core, t: Thread, start: number, end: number) => void) | null = null

  constructor(
    private env: Engine,
    specs: CoreSpec[],
    /**
     * CONFIG_PREEMPT_VOLUNTARY: a thread in kernel code is switched out only at its next
     * preemption point; false: CONFIG_PREEMPT, at once.
     */
    private readonly voluntary = false,
    /** Whether an emulated CPU loses the tick now due (device.lost_tick_pct), or null. */
    private readonly lose_tick: (() => boolean) | null = null
  ) {
    this.cores = specs.map((s, i) => new Core(i, s.class, s.speed))
    for (const c of this.cores) c.timer_id = env.timer(() => this.core_event(c))
    this.slice = sched_base_slice_ns(this.cores.length)
    if (this.cores.length > 1)
      start_balancing(env, this.cores, this.threads, (src, dst, t) => this.migrate(src, dst, t))
  }

  spawn(
    name: string,
    kind: ThreadKind,
    nice: number,
    body: (t: Thread) => ThreadBody,
    pid = -1
  ): Thread {
    const t = new Thread(this.threads.length, name, kind, niceToWeight(nice))
    t.pid = pid
    t.slice = this.slice
    t.cpu = find_idlest(this.cores)
    this.threads.push(t)
    t.body = body(t)
    t.on_timer = (tok) => {
      if (t.waitToken !== tok) return
      this.setState(t, T_SLEEPING)
      this.wake(t, true)
    }
    t.on_timeout = (tok) => {
      if (t.waitToken !== tok) return
      ;(t.wq as WaitQueue).remove(t)
      t.waitToken++
      t.waker_cpu = -1
      this.wake(t, false)
    }
    t.on_wake = (v) => this.wake(t, v === 1)
    this.env.after(0, () => this.step(t, undefined))
    return t
  }

  /**
   * A running thread's memstall, or which thread runs, is about to change: the CPU's PSI state so
   * far is recorded first (FULL also counts while the running thread is in a memstall).
   */
  private psi_before_curr_change(t: Thread): void {
    if (t.state === T_RUNNING) this.observer?.cpu_change(this.cores[t.cpu], this.env.now)
  }

  /** psi_sched_switch(): c's running thread changes to t. */
  private set_curr(c: Core, t: Thread | null): void {
    this.observer?.cpu_change(c, this.env.now)
    c.current = t
    c.need_resched = false
  }

  /** psi_task_change(): moves t's contribution to its CPU's task counts from `before` to `after`. */
  private psi_change(t: Thread, before: number, after: number): void {
    if (before === after || t.cpu < 0) return
    const c = this.cores[t.cpu]
    this.observer?.cpu_change(c, this.env.now)
    psi_task_counts(c, before, after)
  }

  private setState(t: Thread, s: TState): void {
    if (t.state === s) return
    const before = psi_flags(t)
    t.state = s
    this.set_on_rq(t, s === T_RUNNABLE || s === T_RUNNING || (t.sched_delayed && s !== T_DEAD))
    this.psi_change(t, before, psi_flags(t))
  }

  /** PELT: t's load accrues while it is on a run queue. */
  private set_on_rq(t: Thread, on: boolean): void {
    if (t.on_rq === on) return
    update_load_avg(t, this.env.now)
    t.on_rq = on
  }

  /** Moves t (not running) to another CPU's accounting. */
  private set_task_cpu(t: Thread, cpu: number): void {
    if (t.cpu === cpu) return
    if (t.cpu >= 0) t.nr_migrations++
    const f = psi_flags(t)
    this.psi_change(t, f, 0)
    t.cpu = cpu
    this.psi_change(t, 0, f)
  }

  psi_memstall_enter(t: Thread): void {
    const before = psi_flags(t)
    this.psi_before_curr_change(t)
    if (t.memstall++ === 0) t.memstallSince = this.env.now
    this.psi_change(t, before, psi_flags(t))
  }

  psi_memstall_leave(t: Thread): void {
    const before = psi_flags(t)
    this.psi_before_curr_change(t)
    if (--t.memstall === 0) t.memstall_ns += this.env.now - t.memstallSince
    this.psi_change(t, before, psi_flags(t))
  }

  /** Kills a thread: it never runs again. */
  kill(t: Thread): void {
    if (t.state === T_DEAD) return
    t.waitToken++
    if (t.state === T_RUNNING) {
      const c = this.cores[t.cpu]
      this.account(c)
      this.set_curr(c, null)
      this.exit(t)
      this.schedule(c)
    } else {
      const c = this.cores[t.cpu]
      if (t.state === T_RUNNABLE) c.remove(t)
      else if (t.sched_delayed) this.finish_delayed_dequeue(c, t)
      this.exit(t)
    }
  }

  private exit(t: Thread): void {
    if (t.read_sem_held) this.resume_reader(t)
    while (t.memstall > 0) this.psi_memstall_leave(t)
    this.setState(t, T_DEAD)
    t.body = null
    t.frames.length = 0
  }

  /**
   * Resumes a thread's innermost frame (call()), else its body, until it asks to wait for
   * something. A frame that returns hands its value to the frame below.
   */
  step(t: Thread, value: unknown): void {
    const body = t.body
    if (!body || t.state === T_DEAD) return
    const frames = t.frames
    for (;;) {
      this.current = t
      const g = frames.length > 0 ? frames[frames.length - 1] : body
      const r = g.next(value as boolean | undefined)
      this.current = null
      if ((t.state as number) === T_DEAD) return
      if (r.done) {
        if (frames.length > 0) {
          frames.pop()
          value = r.value
          continue
        }
        this.block(t, T_DEAD)
        t.body = null
        return
      }
      const cmd = r.value
      if (cmd.op === OP_CALL) {
        frames.push(cmd.sub as Sub<unknown>)
        cmd.sub = undefined
        value = undefined
        continue
      }
      if (cmd.op === OP_CPU) {
        if (cmd.ns <= 0) {
          value = undefined
          continue
        }
        t.remaining = cmd.ns
        t.burst = cmd.ns
        t.in_kernel = cmd.kernel as boolean
        t.preempt_units = this.voluntary ? (cmd.units as number) : 0
        if (t.state === T_RUNNING) this.arm(this.cores[t.cpu])
        else this.wake_up_new_or_sleeper(t)
        return
      }
      if (cmd.op === OP_SLEEP || cmd.op === OP_IO) {
        this.block(t, cmd.op === OP_IO ? T_IOWAIT : T_SLEEPING)
        const tok = ++t.waitToken
        t.waker_cpu = -1
        this.env.after(cmd.ns, t.on_timer, tok)
        return
      }
      // OP_WAIT: queued before its CPU picks again, whose next thread may wake the queue
      // (a reader leaving an rwsem its waiter waits for).
      const wq = cmd.wq as WaitQueue
      const tok = ++t.waitToken
      wq.waiters.push(t)
      wq.wake = this.wakeFromQueue
      this.block(t, T_SLEEPING)
      if (cmd.ns !== Infinity) {
        t.wq = wq
        this.env.after(cmd.ns, t.on_timeout, tok)
      }
      return
    }
  }

  private readonly wakeFromQueue = (t: Thread, v: boolean): void => {
    if (t.state === T_DEAD) return
    t.waitToken++
    t.waker_cpu = this.current ? this.current.cpu : -1
    this.env.after(0, t.on_wake, v ? 1 : 0)
  }

  /**
   * A sleeper wakes: select_task_rq() picks its CPU now (try_to_wake_up()), so the code it runs
   * before asking for CPU time (the model runs that in zero time) sees the CPU it will run on.
   */
  private wake(t: Thread, value: boolean): void {
    if (t.state === T_DEAD) return
    if (!t.sched_delayed) {
      this.set_task_cpu(t, select_task_rq(this.cores, t))
      t.placed = true
    }
    this.step(t, value)
  }

  /**
   * A running thread stops running (sleep, wait, exit): dequeue it and let its CPU pick again.
   * DELAY_DEQUEUE: a sleeper that is not eligible stays queued until it is picked, to burn off its
   * negative lag; then it leaves with no lag (DELAY_ZERO).
   */
  private block(t: Thread, s: TState): void {
    if (t.state !== T_RUNNING) {
      this.setState(t, s)
      return
    }
    const c = this.cores[t.cpu]
    this.account(c)
    const delay = s !== T_DEAD && !c.entity_eligible(t, c.avg_vruntime())
    if (!delay) c.update_entity_lag(t)
    this.set_curr(c, null)
    this.env.disarm(c.timer_id)
    if (delay) {
      t.sched_delayed = true
      c.queue.push(t)
      c.nr_delayed++
    }
    this.setState(t, s)
    this.schedule(c)
  }

  /**
   * pick_next_entity(): pick_eevdf(); a delayed sleeper it picks is dequeued at last and the pick
   * repeated.
   */
  private pick(c: Core): Thread | null {
    for (;;) {
      const next = c.pick_eevdf()
      if (!next || !next.sched_delayed) return next
      this.finish_delayed_dequeue(c, next)
    }
  }

  /** finish_delayed_dequeue_entity(): a delayed sleeper leaves the queue, its lag clipped to 0. */
  private finish_delayed_dequeue(c: Core, t: Thread): void {
    c.update_entity_lag(t)
    if (t.vlag > 0) t.vlag = 0
    c.remove(t)
    c.nr_delayed--
    t.sched_delayed = false
    this.set_on_rq(t, false)
  }

  /**
   * try_to_wake_up() / wake_up_new_task(): a delayed sleeper is requeued where it is
   * (requeue_delayed_entity(), lag clipped to 0); anyone else gets a CPU, is placed and may preempt.
   */
  private wake_up_new_or_sleeper(t: Thread): void {
    if (t.sched_delayed) {
      const c = this.cores[t.cpu]
      if (c.current) this.account(c)
      c.update_entity_lag(t)
      if (t.vlag > 0) {
        c.remove(t)
        t.vlag = 0
        c.place_entity(t, false)
        c.queue.push(t)
      }
      t.sched_delayed = false
      c.nr_delayed--
      t.runnableSince = this.env.now
      this.setState(t, T_RUNNABLE)
      this.wakeup_preempt(c, t)
      return
    }
    const cpu = t.placed ? t.cpu : select_task_rq(this.cores, t)
    t.placed = false
    this.set_task_cpu(t, cpu)
    this.enqueue(this.cores[cpu], t)
  }

  private enqueue(c: Core, t: Thread): void {
    if (c.current) this.account(c)
    c.place_entity(t, t.fresh)
    t.fresh = false
    c.queue.push(t)
    t.runnableSince = this.env.now
    t.listed_at = this.env.now
    this.setState(t, T_RUNNABLE)
    this.wakeup_preempt(c, t)
  }

  /** wakeup_preempt(): t joined c's queue: an idle c picks, a busy one checks for preemption. */
  private wakeup_preempt(c: Core, t: Thread): void {
    if (!c.current) this.schedule(c)
    else this.check_preempt_wakeup(c, t)
  }

  /**
   * check_preempt_wakeup_fair(): update the running thread (a passed deadline means a reschedule);
   * preempt it if the woken thread is now what pick_eevdf() would run.
   */
  private check_preempt_wakeup(c: Core, woken: Thread): void {
    const curr = c.current as Thread
    c.tick_deadline(curr, this.env.now, c.run_start)
    if (c.update_deadline(curr)) {
      const next = this.pick(c) as Thread
      if (next !== curr) this.resched_curr(c, next)
      else this.arm(c)
      return
    }
    if (this.pick(c) === woken) this.resched_curr(c, woken)
    else this.arm(c)
  }

  /**
   * resched_curr(): `next` should run on c instead. A thread in kernel code under
   * CONFIG_PREEMPT_VOLUNTARY goes on to its next preemption point (the end of its unit of work, or
   * a cond_resched() inside read_sem), where __schedule() picks again; otherwise it switches now.
   */
  private resched_curr(c: Core, next: Thread): void {
    const t = c.current as Thread
    if (c.need_resched) return
    if (t.preempt_units > 0) {
      const unit = t.burst / t.preempt_units
      const done = this.work_done(t)
      const base = Math.floor(done / unit) * unit
      if (done - base > 0.5) {
        const lock = t.read_sem ? t.read_sem_share * unit : 0
        c.need_resched = true
        c.resched_at = lock > 0 && done < base + lock ? base + lock : base + unit
        c.resched_work = done
        this.arm(c)
        return
      }
    }
    this.preempt(c, next)
  }

  /** The running thread goes back to the queue and `next` runs. */
  private preempt(c: Core, next: Thread): void {
    const t = c.current as Thread
    if (t.read_sem) this.switch_out_reader(t, c.need_resched ? c.resched_work : this.work_done(t))
    this.set_curr(c, null)
    c.queue.push(t)
    t.runnableSince = this.env.now
    this.setState(t, T_RUNNABLE)
    this.run(c, next)
  }

  /**
   * t is switched out in a burst that takes read_sem once per object: where in its object the
   * burst was when the switch was asked for (`work` done by then) decides whether the
   * cond_resched() it stops at lies inside the lock.
   */
  private switch_out_reader(t: Thread, work: number): void {
    const unit = t.burst / t.read_sem_units
    const phase = (work % unit) / unit
    if (phase >= t.read_sem_share) return
    const sem = t.read_sem as RwSem
    t.read_sem_held = sem
    sem.readers_switched_out++
  }

  /** A reader switched out inside the lock runs again and leaves its critical section. */
  private resume_reader(t: Thread): void {
    const sem = t.read_sem_held as RwSem
    t.read_sem_held = null
    sem.reader_resumes()
  }

  /** __schedule() on a CPU without a running thread: pick, or pull work from a busier CPU. */
  private schedule(c: Core): void {
    const next = this.pick(c)
    if (next) {
      this.run(c, next)
      return
    }
    // sched_balance_newidle(): pull a waiting thread from the CPU with the most waiting.
    const src = find_busiest(this.cores, c)
    if (src) this.migrate(src, c, last_waiting(src))
  }

  /** Moves a waiting thread to another CPU's queue (detach_task() / attach_task()). */
  private migrate(src: Core, dst: Core, t: Thread): void {
    src.update_entity_lag(t)
    src.remove(t)
    this.set_task_cpu(t, dst.id)
    if (dst.current) this.account(dst)
    dst.place_entity(t, false)
    dst.queue.push(t)
    t.listed_at = this.env.now
    this.wakeup_preempt(dst, t)
  }

  /** set_next_entity(): t runs on c from now, protected until its deadline (RUN_TO_PARITY). */
  private run(c: Core, t: Thread): void {
    const now = this.env.now
    c.remove(t)
    if (t.read_sem_held) this.resume_reader(t)
    t.wait_ns += now - t.runnableSince
    t.listed_at = now
    this.set_curr(c, t)
    c.start = now
    c.run_start = now
    t.run_to_parity = true
    this.setState(t, T_RUNNING)
    this.arm(c)
  }

  /**
   * Arms c's timer for the end of the running burst or, with threads waiting, the first tick after
   * the running thread reaches its deadline, whichever comes first.
   */
  private arm(c: Core): void {
    const now = this.env.now
    const t = c.current as Thread
    if (c.start < now) this.account(c)
    let end = now + Math.ceil(t.remaining / c.speed)
    if (c.need_resched) {
      const done = this.work_done(t)
      if (done < c.resched_at - 0.5) {
        this.env.arm(c.timer_id, Math.min(end, now + Math.ceil((c.resched_at - done) / c.speed)))
        return
      }
      // At the preemption point: __schedule() picks again.
      const next = this.pick(c) as Thread
      if (next !== t) {
        this.preempt(c, next)
        return
      }
      c.need_resched = false
    }
    if (c.nr_waiting() > 0) {
      if (t.vruntime >= t.deadline && now % TICK_NSEC === 0 && !this.tick_lost(c, now)) {
        // A tick with the running thread past its deadline: update_deadline() and reschedule.
        c.update_deadline(t)
        const next = this.pick(c) as Thread
        if (next !== t) {
          this.resched_curr(c, next)
          return
        }
      }
      c.tick_deadline(t, now, c.run_start)
      const reach = now + Math.max(0, ((t.deadline - t.vruntime) * t.weight) / NICE_0_LOAD)
      let tick = Math.ceil(reach / TICK_NSEC) * TICK_NSEC
      if (tick <= now) tick += TICK_NSEC
      if (tick < end) end = tick
    }
    this.env.arm(c.timer_id, end)
  }

  /** Whether c's tick at `tick` is lost (drawn once per CPU and tick). */
  private tick_lost(c: Core, tick: number): boolean {
    if (this.lose_tick === null || tick % TICK_NSEC !== 0) return false
    if (c.tick_drawn !== tick) {
      c.tick_drawn = tick
      c.tick_was_lost = this.lose_tick()
    }
    return c.tick_was_lost
  }

  /** update_curr(): charge the running thread for the time since c.start. */
  private account(c: Core): void {
    const t = c.current
    const now = this.env.now
    const ran = now - c.start
    if (t && ran > 0) {
      t.cpu_ns += ran
      if (t.in_kernel) t.stime_ns += ran
      c.busy_ns += ran
      t.remaining -= ran * c.speed
      t.vruntime += (ran * NICE_0_LOAD) / t.weight
      this.onBurst?.(c, t, c.start, now)
    }
    if (t) t.exec_start = now
    c.start = now
  }

  /**
   * An interrupt on the CPU running t (a TLB flush IPI): its handling, `ns` of reference work, is
   * charged to t as the kernel charges irq time to the interrupted task, in the mode of the burst
   * it interrupts (the TLB refill after a flush runs in that mode).
   */
  interrupt(t: Thread, ns: number): void {
    if (t.state !== T_RUNNING) return
    const c = this.cores[t.cpu]
    this.account(c)
    t.remaining += ns
    t.burst += ns
    if (c.need_resched) c.resched_at += ns
    this.arm(c)
  }

  /** Work of t's current CPU burst done by now, reference-core ns (counting a running slice). */
  work_done(t: Thread): number {
    let remaining = t.remaining
    if (t.state === T_RUNNING) {
      const c = this.cores[t.cpu]
      remaining -= (this.env.now - c.start) * c.speed
    }
    return t.burst - Math.max(0, remaining)
  }

  /** c's timer: the running burst is done, or a tick found the running thread past its deadline. */
  private core_event(c: Core): void {
    const t = c.current as Thread
    this.account(c)
    if (t.remaining <= 0.5) {
      t.remaining = 0
      // The generator continues on this CPU: more CPU work keeps running (arm()), anything else
      // blocks and the CPU picks again (block()). The end of a burst is a preemption point.
      if (c.need_resched) c.resched_at = 0
      this.step(t, undefined)
      return
    }
    if (c.need_resched || this.tick_lost(c, this.env.now)) {
      this.arm(c)
      return
    }
    c.update_deadline(t)
    const next = this.pick(c) as Thread
    if (next !== t) this.resched_curr(c, next)
    else this.arm(c)
  }
}
