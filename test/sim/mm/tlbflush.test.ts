import { describe, expect, it } from 'vitest'
import { Folios, smallKernel } from '../helpers'
import { shrink_inactive_list } from '../../../src/sim/mm/vmscan'
import { new_scan_control } from '../../../src/sim/mm/scan_control'
import { LRU_INACTIVE_ANON, PG_dirty, PG_mapped, PG_swapbacked } from '../../../src/sim/mm/types'
import { cpu, sleep, type Thread } from '../../../src/sim/cpu/thread'

/*
 * try_to_unmap_flush_dirty() before pageout(): a dirty folio unmapped from a process that runs on
 * another CPU costs an IPI (Linux 6.12 counts it in nr_tlb_remote_flush; the twin guest showed one
 * per page kswapd reclaimed at 2 vCPUs, none at 1: docs/twin.md).
 */
function reclaimBeside(ownerBusy: boolean) {
  const k = smallKernel()
  const f = new Folios(k)
  for (let i = 0; i < 8; i++) f.add(`A${i}`, PG_swapbacked | PG_mapped | PG_dirty)
  let owner: Thread | null = null
  // The folios' process: a CPU-bound thread (running) or one asleep the whole time.
  k.sched.spawn(
    'owner',
    'app',
    0,
    function* (t) {
      owner = t
      if (ownerBusy) yield cpu(50_000_000)
      else yield sleep(50_000_000)
    },
    f.proc.pid
  )
  f.proc.threads.push(k.sched.threads[k.sched.threads.length - 1])
  k.sched.spawn('kswapd', 'kswapd', 0, function* (t) {
    yield sleep(1000)
    yield* shrink_inactive_list(k, t, 8, k.pgdats[0], new_scan_control(1, 2, 32), LRU_INACTIVE_ANON)
  })
  k.env.run(1e9)
  return { k, owner: owner as unknown as Thread }
}

describe('remote TLB flushes from reclaim', () => {
  it('one IPI per dirty folio while its process runs on another CPU; the target pays too', () => {
    const { k, owner } = reclaimBeside(true)
    expect(k.vmstat.pgsteal_kswapd).toBe(8)
    expect(k.counters.tlb_remote_flushes).toBe(8)
    // The owner's 50 ms of work took 8 interrupts' handling longer.
    expect(owner.cpu_ns).toBe(50_000_000 + 8 * k.costs.tlb_flush_irq_ns)
  })
  it('none when the process is not running (its CPU flushes lazily on the next switch)', () => {
    const { k, owner } = reclaimBeside(false)
    expect(k.vmstat.pgsteal_kswapd).toBe(8)
    expect(k.counters.tlb_remote_flushes).toBe(0)
    expect(owner.cpu_ns).toBe(0)
  })
})
