import type { RwSem } from './rwsem'
import type { WaitQueue } from './waitqueue'

export const enum TState {
  SLEEPING = 0,
  RUNNABLE = 1,
  RUNNING = 2,
  IOWAIT = 3,
  DEAD = 4
}

export const enum Op {
  CPU = 0,
  SLEEP = 1,
  WAIT = 2,
  IO = 3,
  CALL = 4
}

/**
 * What a thread's generator yields: a CPU burst, a timer sleep, a wait on a queue, an IO wait, or
 * a sub-step to run as a frame of its own (call()).
 */
export interface Cmd {
  op: Op
  /** CPU: work in reference-core ns; SLEEP/IO: duration ns; WAIT: timeout ns (Infinity = none). */
  ns: number
  /** CPU: kernel code with a preemption point after each of `units` equal parts (0: none known). */
  units?: number
  /** CPU: kernel code (stime) rather than user code. */
  kernel?: boolean
  wq?: WaitQueue
  sub?: Sub<unknown>
}

export type ThreadBody = Generator<Cmd, void, boolean | undefined>
/** A sub-step of a thread (yield*-ed), returning T. */
export type Sub<T> = Generator<Cmd, T, boolean | undefined>

/*
 * The scheduler reads a yielded command synchronously and keeps no reference to it, so the
 * commands without a wait queue are shared, mutable objects (no allocation per burst).
 */
const CPU_CMD: Cmd = { op: Op.CPU, ns: 0, units: 0, kernel: false }
const SLEEP_CMD: Cmd = { op: Op.SLEEP, ns: 0 }
const IO_CMD: Cmd = { op: Op.IO, ns: 0 }

/**
 * A CPU burst of `ns` reference-core ns: user code, or kernel code that reaches a preemption point
 * (cond_resched(), a return to user mode) after each of `units` equal parts, which is where a
 * CONFIG_PREEMPT_VOLUNTARY kernel switches it out. A kernel burst of no units is preempted anywhere.
 */
export function cpu(ns: number, units = 0, kernel = units > 0): Cmd {
  CPU_CMD.ns = ns
  CPU_CMD.units = units
  CPU_CMD.kernel = kernel
  return CPU_CMD
}
export function sleep(ns: number): Cmd {
  SLEEP_CMD.ns = ns
  return SLEEP_CMD
}
export function io_wait(ns: number): Cmd {
  IO_CMD.ns = ns
  return IO_CMD
}
export function wait(wq: WaitQueue, timeout = Infinity): Cmd {
  return { op: Op.WAIT, ns: timeout, wq }
}

const CALL_CMD: Cmd = { op: Op.CALL, ns: 0 }

/**
 * `yield* call(sub)` runs sub as the thread's top frame: the scheduler resumes it directly, so its
 * yields skip every `yield*` level above it (each level costs the resume of its generator), and
 * hands its return value back here. For a sub-step that yields often from deep in a call chain
 * (shrink_node() under direct reclaim or kswapd); the order of everything is unchanged.
 */
export function* call<T>(sub: Sub<T>): Sub<T> {
  CALL_CMD.sub = sub
  return (yield CALL_CMD) as unknown as T
}

function noop(): void {}

export type ThreadKind = 'kswapd' | 'lmkd' | 'app' | 'kworker' | 'other'

/** A schedulable thread (task_struct, in the part the scheduler and PSI need). */
export class Thread {
  state = TState.SLEEPING
  /** The CPU whose run queue holds (or last held) the thread; -1 before it first runs. */
  cpu = -1
  /** EEVDF (kernel/sched/fair.c): virtual runtime, virtual deadline, lag kept across a sleep. */
  vruntime = 0
  deadline = 0
  vlag = 0
  /** Request size r_i: sysctl_sched_base_slice. */
  slice = 0
  /** RUN_TO_PARITY: picked and not yet past the deadline it was picked with (se->vlag == se->deadline). */
  run_to_parity = false
  /** Asleep but still queued until picked (DELAY_DEQUEUE). */
  sched_delayed = false
  /** Not yet placed on a run queue (PLACE_DEADLINE_INITIAL). */
  fresh = true
  /** select_task_rq() chose `cpu` when it woke; its next CPU request runs there. */
  placed = false
  /** The CPU the wake_up() that woke this thread ran on (wake_affine()), -1 for a timer. */
  waker_cpu = -1
  weight: number
  /** Remaining work of the current CPU burst, reference-core ns. */
  remaining = 0
  /** Work of the current CPU burst, reference-core ns. */
  burst = 0
  runnableSince = 0
  /** On a run queue (se->on_rq): runnable, running, or a sleeper whose dequeue is delayed. */
  on_rq = false
  /** PELT (cpu/pelt.ts): se->avg.load_avg as of load_avg_at; a new thread starts at its weight. */
  load_avg: number
  load_avg_at = 0
  /** se->nr_migrations: moves to another CPU, at wake-up or by the load balancer. */
  nr_migrations = 0
  /** se->exec_start: when the thread was last charged for running (task_hot()). */
  exec_start = 0
  /**
   * Its place in rq->cfs_tasks, which the load balancer walks from the tail: when it was last
   * queued on a CPU or picked to run.
   */
  listed_at = 0
  cpu_ns = 0
  /** Of cpu_ns, the time in kernel code (stime, Cmd.kernel). */
  stime_ns = 0
  /** The current CPU burst is kernel code. */
  in_kernel = false
  wait_ns = 0
  memstall = 0
  memstall_ns = 0
  memstallSince = 0
  /** Token that invalidates pending timeouts when the thread is woken earlier. */
  waitToken = 0
  wakeValue: boolean | undefined = undefined
  /** PF_MEMALLOC: allocations ignore watermarks (kswapd, reclaimers). */
  pf_memalloc = false
  body: ThreadBody | null = null
  /** Frames started with call(), innermost last; the body runs when it is empty. */
  frames: Sub<unknown>[] = []
  /** The queue of the current WAIT with a timeout. */
  wq: WaitQueue | null = null
  /** Event callbacks bound once by the scheduler (the argument is a wait token or a wake value). */
  on_timer: (tok: number) => void = noop
  on_timeout: (tok: number) => void = noop
  on_wake: (value: number) => void = noop
  /** Owning simulated process id, -1 for kernel threads. */
  pid = -1
  /**
   * The lock the current CPU burst takes in read mode once per object (a reclaim pass: an anon_vma
   * per folio), the objects in the burst, and the share of each object's work that ends at a
   * cond_resched() inside the lock: a switch-out there leaves the lock held.
   */
  read_sem: RwSem | null = null
  read_sem_units = 0
  read_sem_share = 0
  /** Switched out inside read_sem's critical section. */
  read_sem_held: RwSem | null = null
  /** The current burst's preemption points under CONFIG_PREEMPT_VOLUNTARY (Cmd.units; 0: anywhere). */
  preempt_units = 0

  constructor(
    readonly tid: number,
    readonly name: string,
    readonly kind: ThreadKind,
    weight: number
  ) {
    this.weight = weight
    this.load_avg = weight
  }

  current_is_kswapd(): boolean {
    return this.kind === 'kswapd'
  }
}
