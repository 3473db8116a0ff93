import type { Engine } from '../des/engine'
import * as weights_mod from './weights'
import { Thread, type Op, type TState, type ThreadBody, type ThreadKind } from './thread'
import type { WaitQueue } from './waitqueue'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { NICE_0_LOAD, niceToWeight, sched_base_slice_ns } = weights_mod
// enum TState / Op values, local for the same reason.
const T_SLEEPING = 0 as TState
const T_RUNNABLE = 1 as TState
const T_RUNNING = 2 as TState
const T_IOWAIT = 3 as TState
const T_DEAD = 4 as TState
const OP_CPU = 0 as Op
const OP_SLEEP = 1 as Op
const OP_IO = 3 as Op

export interface CoreSpec {
  class: string
  speed: number
}

/** One CPU: runs one thread at a time at `speed` reference-ns of work per ns. */
export class Core {
  current: Thread | null = null
  start = 0
  token = 0
  endAt = 0
  busy_ns = 0
  /** The core's timer callback, bound once: the event argument is the token it was armed with. */
  timer: (tok: number) => void = () => {}
  constructor(
    readonly id: number,
    readonly cls: string,
    readonly speed: number
  ) {}
}

/** Observer of task-state counts (PSI). Called before every change. */
export interface SchedObserver {
  beforeChange(now: number): void
}

/**
 * A fair time-sliced scheduler in the spirit of CFS/EEVDF: the runnable thread with the smallest
 * weighted vruntime runs next; a running thread is preempted at the end of its slice when others wait.
 * Simplified: one global run queue, no wakeup preemption, no affinity, no frequency scaling.
 */
export class Scheduler {
  cores: Core[]
  runq: Thread[] = []
  threads: Thread[] = []
  slice: number
  min_vruntime = 0
  nr_nonidle = 0
  nr_memstall = 0
  nr_running = 0
  observer: SchedObserver | null = null
  /** The thread whose generator is executing (`current`). */
  current: Thread | null = null
  onBurst: ((core: Core, t: Thread, start: number, end: number) => void) | null = null

  constructor(
    private env: Engine,
    specs: CoreSpec[]
  ) {
    this.cores = specs.map((s, i) => new Core(i, s.class, s.speed))
    for (const c of this.cores)
      c.timer = (tok: number) => {
        if (c.token === tok) this.tick(c)
      }
    this.slice = sched_base_slice_ns(this.cores.length)
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
    this.threads.push(t)
    t.body = body(t)
    t.vruntime = this.min_vruntime
    this.env.after(0, () => this.step(t, undefined))
    return t
  }

  private nonidle(t: Thread): boolean {
    return t.state === T_RUNNABLE || t.state === T_RUNNING || t.state === T_IOWAIT || t.memstall > 0
  }

  private setState(t: Thread, s: TState): void {
    if (t.state === s) return
    this.observer?.beforeChange(this.env.now)
    const was = this.nonidle(t)
    if (t.state === T_RUNNING) this.nr_running--
    t.state = s
    if (s === T_RUNNING) this.nr_running++
    const is = this.nonidle(t)
    if (was !== is) this.nr_nonidle += is ? 1 : -1
  }

  psi_memstall_enter(t: Thread): void {
    this.observer?.beforeChange(this.env.now)
    const was = this.nonidle(t)
    if (t.memstall++ === 0) {
      this.nr_memstall++
      t.memstallSince = this.env.now
    }
    if (!was && this.nonidle(t)) this.nr_nonidle++
  }

  psi_memstall_leave(t: Thread): void {
    this.observer?.beforeChange(this.env.now)
    const was = this.nonidle(t)
    if (--t.memstall === 0) {
      this.nr_memstall--
      t.memstall_ns += this.env.now - t.memstallSince
    }
    if (was && !this.nonidle(t)) this.nr_nonidle--
  }

  /** Kills a thread: it never runs again. */
  kill(t: Thread): void {
    if (t.state === T_DEAD) return
    if (t.state === T_RUNNABLE) this.runq.splice(this.runq.indexOf(t), 1)
    while (t.memstall > 0) this.psi_memstall_leave(t)
    t.waitToken++
    if (t.state === T_RUNNING) {
      for (const c of this.cores) if (c.current === t) this.account(c, t)
    }
    this.setState(t, T_DEAD)
    t.body = null
  }

  /** Resumes a thread's generator until it asks to wait for something. */
  step(t: Thread, value: boolean | undefined): void {
    const body = t.body
    if (!body || t.state === T_DEAD) return
    for (;;) {
      this.current = t
      const r = body.next(value)
      this.current = null
      if ((t.state as number) === T_DEAD) return
      if (r.done) {
        this.setState(t, T_DEAD)
        t.body = null
        return
      }
      const cmd = r.value
      if (cmd.op === OP_CPU) {
        if (cmd.ns <= 0) {
          value = undefined
          continue
        }
        t.remaining = cmd.ns
        t.burst = cmd.ns
        this.enqueue(t)
        return
      }
      if (cmd.op === OP_SLEEP || cmd.op === OP_IO) {
        this.setState(t, cmd.op === OP_IO ? T_IOWAIT : T_SLEEPING)
        const tok = ++t.waitToken
        this.env.after(cmd.ns, () => {
          if (t.waitToken !== tok) return
          this.setState(t, T_SLEEPING)
          this.step(t, true)
        })
        return
      }
      // OP_WAIT
      const wq = cmd.wq as WaitQueue
      this.setState(t, T_SLEEPING)
      const tok = ++t.waitToken
      wq.waiters.push(t)
      wq.wake = (th, v) => this.wakeFromQueue(th, v)
      if (cmd.ns !== Infinity) {
        this.env.after(cmd.ns, () => {
          if (t.waitToken !== tok) return
          wq.remove(t)
          t.waitToken++
          this.step(t, false)
        })
      }
      return
    }
  }

  private wakeFromQueue(t: Thread, v: boolean): void {
    if (t.state === T_DEAD) return
    t.waitToken++
    this.env.after(0, () => this.step(t, v))
  }

  private enqueue(t: Thread): void {
    const now = this.env.now
    // Sleeper placement: a waking thread may not bank more than one slice of credit.
    const floor = this.min_vruntime - this.slice
    if (t.vruntime < floor) t.vruntime = floor
    this.setState(t, T_RUNNABLE)
    t.runnableSince = now
    this.runq.push(t)
    this.fill()
    if (this.runq.length === 0) return
    // Others are waiting now: cut running bursts down to the end of their slice.
    for (const c of this.cores) {
      const sliceEnd = Math.max(now, c.start + this.slice)
      if (c.current && c.endAt > sliceEnd) this.arm(c, sliceEnd)
    }
  }

  /** Gives every idle core the fairest runnable thread. */
  private fill(): void {
    for (const c of this.cores) {
      if (c.current) continue
      const next = this.pickNext()
      if (!next) return
      this.run(c, next)
    }
  }

  /** Work of t's current CPU burst done by now, reference-core ns (counting a running slice). */
  work_done(t: Thread): number {
    let remaining = t.remaining
    for (const c of this.cores) if (c.current === t) remaining -= (this.env.now - c.start) * c.speed
    return t.burst - Math.max(0, remaining)
  }

  private pickNext(): Thread | null {
    const q = this.runq
    if (q.length === 0) return null
    let bi = 0
    for (let i = 1; i < q.length; i++) if (q[i].vruntime < q[bi].vruntime) bi = i
    const t = q[bi]
    q[bi] = q[q.length - 1]
    q.pop()
    return t
  }

  private run(c: Core, t: Thread): void {
    const now = this.env.now
    t.wait_ns += now - t.runnableSince
    c.current = t
    c.start = now
    this.setState(t, T_RUNNING)
    const burst = Math.ceil(t.remaining / c.speed)
    const end = this.runq.length > 0 ? now + Math.min(burst, this.slice) : now + burst
    this.arm(c, end)
  }

  private arm(c: Core, end: number): void {
    const tok = ++c.token
    c.endAt = end
    this.env.at(end, c.timer, tok)
  }

  private account(c: Core, t: Thread): void {
    const now = this.env.now
    const ran = now - c.start
    if (ran > 0) {
      t.cpu_ns += ran
      c.busy_ns += ran
      t.remaining -= ran * c.speed
      t.vruntime += (ran * NICE_0_LOAD) / t.weight
      this.onBurst?.(c, t, c.start, now)
    }
    c.start = now
    c.current = null
    c.token++
  }

  private tick(c: Core): void {
    const t = c.current as Thread
    this.account(c, t)
    let mv = t.vruntime
    for (const q of this.runq) if (q.vruntime < mv) mv = q.vruntime
    if (mv > this.min_vruntime) this.min_vruntime = mv
    if (t.remaining <= 0.5) {
      t.remaining = 0
      // The finished thread continues its generator first: if it asks for more CPU it competes
      // for this core by vruntime like everyone else (no yield at burst boundaries).
      this.setState(t, T_SLEEPING)
      this.step(t, undefined)
      this.fill()
      return
    }
    // Slice expired with others waiting: requeue and pick the fairest.
    t.runnableSince = this.env.now
    this.setState(t, T_RUNNABLE)
    this.runq.push(t)
    const next = this.pickNext() as Thread
    this.run(c, next)
  }
}
