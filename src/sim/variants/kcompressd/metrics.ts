import type { Kernel } from '../../kernel'
import type { KcompressdWriteout } from './kcompressd'

/*
 * The kcompressd variants' metrics: queue depth over time, queue-full
 * fallbacks, CPU per thread, folios kept and re-scanned, folios stuck locked, fault waits.
 */

const r2 = (x: number): number => (Number.isFinite(x) ? Math.round(x * 100) / 100 : 0)

/** Series and metric prefix of queue i's thread (v1's `kcompressd:0` is `kcompressd0` here). */
function threadName(_kc: KcompressdWriteout, i: number): string {
  return `kcompressd${i}`
}

/**
 * Series names: the total queue depth, and per thread its CPU share and the folios it wrote per
 * second (0 until it starts).
 */
export function kcompressd_series(kc: KcompressdWriteout): string[] {
  return [
    'kcompressd_queue_depth',
    ...kc.queues.map((_, i) => `${threadName(kc, i)}_cpu_pct`),
    ...kc.queues.map((_, i) => `${threadName(kc, i)}_folios_per_s`)
  ]
}

export function kcompressd_sample(
  kc: KcompressdWriteout,
  s: Record<string, number[]>,
  dt: number
): void {
  s.kcompressd_queue_depth.push(kc.vc.depth_now)
  for (let i = 0; i < kc.queues.length; i++) {
    const q = kc.queues[i]
    const c = q.thread ? q.thread.cpu_ns : 0
    s[`${threadName(kc, i)}_cpu_pct`].push(dt > 0 ? r2(((c - q.lastCpu) / dt) * 100) : 0)
    q.lastCpu = c
    s[`${threadName(kc, i)}_folios_per_s`].push(
      dt > 0 ? r2(((q.handled - q.lastHandled) * 1e9) / dt) : 0
    )
    q.lastHandled = q.handled
  }
}

/** Derived metrics, all prefixed kcompressd_ (queue depth mean is time-weighted). */
export function kcompressd_derived(
  kc: KcompressdWriteout,
  k: Kernel,
  duration_s: number
): Record<string, number> {
  const vc = kc.vc
  kc.depth_change(0)
  const d: Record<string, number> = {
    kcompressd_queue_depth_mean: r2(vc.depth_area / Math.max(1, k.env.now)),
    kcompressd_queue_depth_max: vc.depth_max,
    kcompressd_queued: vc.queued,
    kcompressd_completed: vc.completed,
    kcompressd_queue_full: vc.queue_full,
    kcompressd_folios_kept: vc.queued,
    kcompressd_rescanned_queued: vc.rescanned_queued,
    kcompressd_rescanned_done: vc.rescanned_done,
    kcompressd_stuck_locked: vc.nr_locked,
    kcompressd_fault_waits: vc.fault_waits,
    kcompressd_fault_wait_ms: r2(vc.fault_wait_ns / 1e6),
    kcompressd_fault_waits_blocked: kc.folio_wait.waiters.length,
    kcompressd_direct_reclaim: vc.direct_reclaim
  }
  let total = 0
  let folios = 0
  let top = 0
  for (let i = 0; i < kc.queues.length; i++) {
    const q = kc.queues[i]
    const ns = q.thread ? q.thread.cpu_ns : 0
    total += ns
    d[`${threadName(kc, i)}_cpu_pct`] = r2((100 * ns) / (duration_s * 1e9))
    d[`${threadName(kc, i)}_folios`] = q.handled
    folios += q.handled
    if (q.handled > top) top = q.handled
  }
  d.kcompressd_cpu_pct = r2((100 * total) / (duration_s * 1e9))
  // How unevenly the threads share the work: 100% when one thread wrote every folio.
  d.kcompressd_folios_top_share_pct = folios ? r2((100 * top) / folios) : 0
  return d
}

/** End-of-run warnings (proto as posted: what stayed locked, who waited on it). */
export function kcompressd_finish(kc: KcompressdWriteout): string[] {
  const w: string[] = []
  const vc = kc.vc
  if (kc.cfg.wake === 'never' && vc.queued > 0)
    w.push(
      `${kc.name}: ${vc.nr_locked} folios were still locked in the never-woken kcompressd fifo at the end of the run; ${vc.fault_waits} faults waited on them (${kc.folio_wait.waiters.length} still blocked: those tasks hang in folio_lock())`
    )
  return w
}
