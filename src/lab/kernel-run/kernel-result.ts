import type { KernelRunInfo } from '../../shared/kernel-run'
import type { ObservedResult, Watermarks } from '../../shared/result'
import { parseObserved, type ObservedRun } from '../observed'
import { observedTexts, type Sample } from './sample-stream'

const PAGE = 4096
const r2 = (x: number): number => (Number.isFinite(x) ? Math.round(x * 100) / 100 : 0)

/** zram's mm_stat columns (Documentation/admin-guide/blockdev/zram.rst), bytes except the pages. */
const MM_STAT = [
  'orig_data_size',
  'compr_data_size',
  'mem_used_total',
  'mem_limit',
  'mem_used_max',
  'same_pages',
  'pages_compacted',
  'huge_pages'
]

export interface KernelObserved {
  result: ObservedResult
  series: ObservedRun['series']
  durationS: number
}

/**
 * A kernel run's samples as an observed run: /proc/vmstat and PSI through the observed-run parser
 * (so the same checks and derived metrics apply), plus what the import format has no place for:
 * zram's size over time, the zone watermarks, and the kernel the run booted.
 */
export function kernelObserved(
  samples: Sample[],
  kernel: KernelRunInfo,
  notes: string[]
): KernelObserved {
  const texts = observedTexts(samples)
  const observed = parseObserved({
    text: texts.vmstat,
    fileName: 'the guest\u2019s samples',
    pressure: texts.pressure
  })
  const result = observed.result
  const series = observed.series
  const later = samples.slice(1)
  const last = samples[samples.length - 1]
  if (last.zram) {
    const zram = Object.fromEntries(MM_STAT.map((k, i) => [k, last.zram![i] ?? 0]))
    result.zram = zram
    series.series.zram_orig_pages = later.map((s) => Math.round((s.zram?.[0] ?? 0) / PAGE))
    series.series.zram_mem_used_pages = later.map((s) => Math.round((s.zram?.[2] ?? 0) / PAGE))
    const mb = (bytes: number): number => r2(bytes / 1048576)
    Object.assign(result.derived, {
      zram_orig_mb: mb(zram.orig_data_size),
      zram_compr_mb: mb(zram.compr_data_size),
      zram_mem_used_mb: mb(zram.mem_used_total),
      zram_ratio: r2(zram.orig_data_size / Math.max(1, zram.compr_data_size))
    })
  }
  const wm = watermarks(last, kernel.min_free_kbytes)
  if (wm) result.watermarks = wm
  result.kernel = kernel
  result.warnings = [...result.warnings, ...notes, ...oomWarnings(result)]
  return { result, series, durationS: observed.durationS }
}

/** Summed over the zones that manage memory, as the model's one zone per node. */
function watermarks(s: Sample, minFreeKbytes: number | null): Watermarks | null {
  const zones = s.zones.filter((z) => z.managed > 0)
  if (!zones.length) return null
  const sum = (k: 'min' | 'low' | 'high'): number => zones.reduce((n, z) => n + z[k], 0)
  return {
    min: sum('min'),
    low: sum('low'),
    high: sum('high'),
    min_free_kbytes: minFreeKbytes ?? 0
  }
}

function oomWarnings(result: ObservedResult): string[] {
  const kills = result.vmstat.oom_kill ?? 0
  if (!kills) return []
  return [
    `The OOM killer killed ${kills} process${kills === 1 ? '' : 'es'} in the guest (an OOM exit): ` +
      'the counters after that are of a guest without the eater.'
  ]
}
