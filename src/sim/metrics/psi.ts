import type { Core, SchedObserver } from '../cpu/scheduler'

/** kernel/sched/psi.c fixed-point decay per 2 s period: EXP_10s, EXP_60s, EXP_300s over FIXED_1. */
const FIXED_1 = 2048
const EXP_10s = 1677
const EXP_60s = 1981
const EXP_300s = 2034
export const PSI_FREQ_NS = 2_000_000_000

import type { PsiLine } from '../../shared/result'
export type { PsiLine }

/**
 * /proc/pressure/memory from simulated stall time, as kernel/sched/psi.c computes it.
 * Per CPU (test_states()): SOME while a task on it is in a memory stall (running, waiting or
 * asleep); FULL while, in addition, every runnable task there is a stalled one, or the running
 * one is (psi_group_change()); NONIDLE while it
 * has a runnable, iowait or stalled task. collect_percpu_times() adds each CPU's stall time
 * weighted by its non-idle time: total += Σ stall_cpu × nonidle_cpu / Σ nonidle_cpu, collected
 * at every PSI_FREQ and whenever the totals are read (every sample).
 */
export class Psi implements SchedObserver {
  some_ns = 0
  full_ns = 0
  private last: Float64Array
  private some: Float64Array
  private full: Float64Array
  private nonidle: Float64Array
  private avg = { some: [0, 0, 0], full: [0, 0, 0] }
  private lastSome = 0
  private lastFull = 0

  constructor(private cores: Core[]) {
    const n = cores.length
    this.last = new Float64Array(n)
    this.some = new Float64Array(n)
    this.full = new Float64Array(n)
    this.nonidle = new Float64Array(n)
  }

  /** psi_group_change() → record_times(): the CPU's state since its last change. */
  cpu_change(c: Core, now: number): void {
    const i = c.id
    const dt = now - this.last[i]
    if (dt <= 0) return
    this.last[i] = now
    if (c.nr_memstall > 0) {
      this.some[i] += dt
      // psi_group_change(): FULL also while the running thread reclaims ("nothing productive
      // could run even if it were runnable").
      if (c.nr_running === c.nr_memstall_running || (c.current !== null && c.current.memstall > 0))
        this.full[i] += dt
    }
    if (c.nr_memstall > 0 || c.nr_running > 0 || c.nr_iowait > 0) this.nonidle[i] += dt
  }

  /** collect_percpu_times(): fold the per-CPU times into the totals. */
  collect(now: number): void {
    let some = 0
    let full = 0
    let nonidle = 0
    for (const c of this.cores) {
      this.cpu_change(c, now)
      const i = c.id
      some += this.some[i] * this.nonidle[i]
      full += this.full[i] * this.nonidle[i]
      nonidle += this.nonidle[i]
      this.some[i] = this.full[i] = this.nonidle[i] = 0
    }
    if (nonidle > 0) {
      this.some_ns += some / nonidle
      this.full_ns += full / nonidle
    }
  }

  /** psi_avgs_work(): called every PSI_FREQ. */
  update_averages(now: number): void {
    this.collect(now)
    const ds = ((this.some_ns - this.lastSome) / PSI_FREQ_NS) * 100
    const df = ((this.full_ns - this.lastFull) / PSI_FREQ_NS) * 100
    this.lastSome = this.some_ns
    this.lastFull = this.full_ns
    const exps = [EXP_10s, EXP_60s, EXP_300s]
    for (let i = 0; i < 3; i++) {
      this.avg.some[i] = (this.avg.some[i] * exps[i] + ds * (FIXED_1 - exps[i])) / FIXED_1
      this.avg.full[i] = (this.avg.full[i] * exps[i] + df * (FIXED_1 - exps[i])) / FIXED_1
    }
  }

  line(kind: 'some' | 'full'): PsiLine {
    const a = this.avg[kind]
    const r = (x: number): number => Math.round(x * 100) / 100
    return {
      avg10: r(a[0]),
      avg60: r(a[1]),
      avg300: r(a[2]),
      total_us: Math.floor((kind === 'some' ? this.some_ns : this.full_ns) / 1000)
    }
  }
}
