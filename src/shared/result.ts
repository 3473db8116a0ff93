/**
 * The result of one run as the simulator produces it and the notebook stores it (`runs.result`).
 * The simulator builds it (src/sim/result.ts), the lab stores, exports and compares it, the renderer
 * reads it; observed runs (captures of a real kernel) store the same shape with `observed: true`.
 */
import type { KernelRunInfo } from './kernel-run'

/** One line of /proc/pressure/memory: averages in percent, the total stall in µs. */
export interface PsiLine {
  avg10: number
  avg60: number
  avg300: number
  total_us: number
}

/** A latency histogram's summary, in µs. */
export interface HistogramSummary {
  count: number
  mean_us: number
  p50_us: number
  p90_us: number
  p99_us: number
  p999_us: number
  max_us: number
}

/** CPU, run-queue wait and memory stall time of one thread (or a group of like threads). */
export interface ThreadStat {
  name: string
  count: number
  cpu_ms: number
  /** Of cpu_ms, the time in kernel code (the kernel's stime; absent before simulator 0.9.1). */
  sys_ms?: number
  runnable_wait_ms: number
  memstall_ms: number
}

/** The node's watermarks at the end of the run, in pages, and the sysctl behind them. */
export interface Watermarks {
  min: number
  low: number
  high: number
  min_free_kbytes: number
}

/** One Chrome/Perfetto trace event (timestamps in µs). */
export interface TraceEvent {
  name: string
  ph: 'B' | 'E' | 'X' | 'i' | 'M' | 'C'
  ts: number
  dur?: number
  pid: number
  tid: number
  s?: 't' | 'p' | 'g'
  args?: Record<string, number | string>
}

/** The JSON-serialisable result of one simulated run. */
export interface RunResult {
  simulator_version: string
  scenario: string
  variant: string
  seed: number
  duration_s: number
  events: number
  vmstat: Record<string, number>
  psi: { some: PsiLine; full: PsiLine }
  derived: Record<string, number>
  histograms: Record<string, HistogramSummary>
  zram: Record<string, number> | null
  zswap: Record<string, number> | null
  watermarks: Watermarks
  threads: ThreadStat[]
  warnings: string[]
  trace?: { traceEvents: TraceEvent[]; displayTimeUnit: string; otherData: Record<string, number> }
}

/**
 * The result of an observed run: what /proc/vmstat and /proc/pressure/memory captures give. A kernel
 * run (the scenario booted in qemu) adds zram's mm_stat, the zone watermarks and `kernel`.
 */
export interface ObservedResult extends Pick<
  RunResult,
  'duration_s' | 'vmstat' | 'psi' | 'derived' | 'warnings'
> {
  histograms: Record<string, never>
  zram: Record<string, number> | null
  zswap: null
  watermarks?: Watermarks
  threads: []
  observed: true
  kernel?: KernelRunInfo
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] }

/**
 * What a stored result can be relied on to hold: runs of older simulator versions and observed runs
 * may lack any part, so readers of stored results take this and check.
 */
export type StoredResult = DeepPartial<RunResult> & {
  observed?: boolean
  kernel?: Partial<KernelRunInfo>
}
