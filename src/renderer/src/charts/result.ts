/**
 * A typed, defensive reading of a stored run result (src/shared/result.ts): runs of older simulator
 * versions and observed runs may lack parts of it.
 */

import type { HistogramSummary, PsiLine, ThreadStat, Watermarks } from '../../../shared/result'

export type { HistogramSummary, PsiLine, ThreadStat }

export interface RunResultView {
  durationS: number
  vmstat: Record<string, number>
  psi: { some: PsiLine; full: PsiLine } | null
  derived: Record<string, number>
  histograms: Record<string, HistogramSummary>
  zram: Record<string, number> | null
  zswap: Record<string, number> | null
  watermarks: Watermarks | null
  threads: ThreadStat[]
  warnings: string[]
}

type Obj = Record<string, unknown>

const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x)

function numbers(x: unknown): Record<string, number> {
  const out: Record<string, number> = {}
  if (isObj(x)) for (const [k, v] of Object.entries(x)) if (typeof v === 'number') out[k] = v
  return out
}

function psiLine(x: unknown): PsiLine | null {
  const n = numbers(x)
  return 'total_us' in n
    ? { avg10: n.avg10 ?? 0, avg60: n.avg60 ?? 0, avg300: n.avg300 ?? 0, total_us: n.total_us }
    : null
}

export function readResult(raw: Record<string, unknown> | null): RunResultView | null {
  if (!raw) return null
  const psi = isObj(raw.psi) ? raw.psi : {}
  const some = psiLine(psi.some)
  const full = psiLine(psi.full)
  const histograms: Record<string, HistogramSummary> = {}
  if (isObj(raw.histograms))
    for (const [name, h] of Object.entries(raw.histograms)) {
      const n = numbers(h)
      if ('count' in n) histograms[name] = n as unknown as HistogramSummary
    }
  const wm = numbers(raw.watermarks)
  return {
    durationS: typeof raw.duration_s === 'number' ? raw.duration_s : 0,
    vmstat: numbers(raw.vmstat),
    psi: some && full ? { some, full } : null,
    derived: numbers(raw.derived),
    histograms,
    zram: isObj(raw.zram) ? numbers(raw.zram) : null,
    zswap: isObj(raw.zswap) ? numbers(raw.zswap) : null,
    watermarks:
      'min' in wm && 'low' in wm && 'high' in wm
        ? { min: wm.min, low: wm.low, high: wm.high, min_free_kbytes: wm.min_free_kbytes ?? 0 }
        : null,
    threads: Array.isArray(raw.threads)
      ? raw.threads.filter(isObj).map((t) => ({
          name: String(t.name ?? '?'),
          count: Number(t.count ?? 1),
          cpu_ms: Number(t.cpu_ms ?? 0),
          ...(t.sys_ms === undefined ? {} : { sys_ms: Number(t.sys_ms) }),
          runnable_wait_ms: Number(t.runnable_wait_ms ?? 0),
          memstall_ms: Number(t.memstall_ms ?? 0)
        }))
      : [],
    warnings: Array.isArray(raw.warnings) ? raw.warnings.map(String) : []
  }
}
