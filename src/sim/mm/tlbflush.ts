import type { Kernel } from '../kernel'
import type { Thread, TState } from '../cpu/thread'

const T_RUNNING = 2 as TState

/**
 * mm/rmap.c: try_to_unmap_flush_dirty() / try_to_unmap_flush() after try_to_unmap() of a folio
 * of process `pid`: the stale TLB entries of the CPUs running that mm must go before the folio is
 * written (dirty) or freed. Another CPU running one of its threads takes an IPI
 * (arch_tlbbatch_flush() → flush_tlb_multi()); the reclaimer waits for it. A folio reclaimed on the
 * CPU its process runs on only needs a local flush (part of try_to_unmap_ns).
 * Simplified: the CPUs that run the mm are those running its threads now (lazy-TLB CPUs are
 * skipped, as x86 does); one flush per dirty folio, as try_to_unmap_flush_dirty() does before
 * pageout().
 */
export function flush_tlb_remote(k: Kernel, t: Thread, pid: number): void {
  if (k.sched.cores.length === 1) return
  const p = k.procs[pid]
  if (!p) return
  let sent = false
  for (const th of p.threads) {
    if (th.state !== T_RUNNING || th.cpu === t.cpu) continue
    k.sched.interrupt(th, k.costs.tlb_flush_irq_ns)
    sent = true
  }
  if (!sent) return
  k.acc += k.costs.tlb_flush_ipi_ns
  k.counters.tlb_remote_flushes++
}
