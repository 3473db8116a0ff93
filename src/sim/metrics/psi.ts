import type { Scheduler, SchedObserver } from '../cpu/scheduler'

/** kernel/sched/psi.c fixed-point decay per 2 s period: EXP_10s, EXP_60s, EXP_300s over FIXED_1. */
const FIXED_1 = 2048
const EXP_10s = 1677
const EXP_60s = 1981
const EXP_300s = 2034
export const PSI_FREQ_NS = 2_000_000_000

export interface PsiLine {
  avg10: number
  avg60: number
  avg300: number
  total_us: number
}

/**
 * /proc/pressure/memory from simulated stall time.
 * System aggregation as in kernel/sched/psi.c: threads = min(nonidle, ncpus);
 * SOME = min(memstall / threads, 1); FULL = (threads - min(productive, threads)) / threads.
 * Simplified: computed from global task counts instead of per-CPU states.
 */
export class Psi implements SchedObserver {
  some_ns = 0
  full_ns = 0
  private last = 0
  private avg = { some: [0, 0, 0], full: [0, 0, 0] }
  private lastSome = 0
  private lastFull = 0

  constructor(
    private sched: Scheduler,
    private ncpus: number
  ) {}

  beforeChange(now: number): void {
    const dt = now - this.last
    if (dt <= 0) return
    this.last = now
    const s = this.sched
    const nonidle = s.nr_nonidle
    if (nonidle === 0 || s.nr_memstall === 0) return
    const threads = Math.min(nonidle, this.ncpus)
    const some = Math.min(s.nr_memstall / threads, 1)
    const productive = nonidle - s.nr_memstall
    const full = (threads - Math.min(productive, threads)) / threads
    this.some_ns += dt * some
    this.full_ns += dt * full
  }

  /** psi_avgs_work(): called every PSI_FREQ. */
  update_averages(now: number): void {
    this.beforeChange(now)
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
