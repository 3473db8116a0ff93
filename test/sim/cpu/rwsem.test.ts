import { describe, expect, it } from 'vitest'
import { Engine } from '../../../src/sim/des/engine'
import { Scheduler } from '../../../src/sim/cpu/scheduler'
import { RwSem } from '../../../src/sim/cpu/rwsem'
import { cpu, type Thread } from '../../../src/sim/cpu/thread'
import { TICK_NSEC } from '../../../src/sim/cpu/weights'
import { VMA_MERGE_NS, anon_vma_lock_write } from '../../../src/sim/mm/mmap'
import type { Kernel } from '../../../src/sim/kernel'
import type { Mapping } from '../../../src/sim/mm/mapping'

/*
 * One CPU: a reclaimer runs a long burst that takes the anon_vma lock object by object; the tick
 * switches it out for a thread that then maps memory (anon_vma_lock_write()).
 */
function contention(opts: { lead_ns: number; units: number; share: number }) {
  const env = new Engine()
  const s = new Scheduler(env, [{ class: 'c', speed: 1 }])
  const sem = new RwSem('anon_vma')
  const k = { anon_vma_writers: 0 } as Kernel
  const m = { anon_vma: sem } as Mapping
  const log: Record<string, number> = {}
  const trylock_while_waiting: boolean[] = []
  const reader = s.spawn('kswapd', 'kswapd', 0, function* (t: Thread) {
    if (opts.lead_ns) yield cpu(opts.lead_ns)
    t.read_sem = sem
    t.read_sem_units = opts.units
    t.read_sem_share = opts.share
    yield cpu(16_000_000)
    t.read_sem = null
    log.reader_done = env.now
  })
  s.spawn('eater', 'app', 0, function* (t: Thread) {
    yield cpu(1_000_000)
    log.mmap = env.now
    const waiting = anon_vma_lock_write(k, t, m)
    for (let r = waiting.next(); !r.done; r = waiting.next(undefined)) {
      trylock_while_waiting.push(sem.read_trylock())
      yield r.value
    }
    log.locked = env.now
  })
  env.run(1e9)
  return { log, trylock_while_waiting, sem, k, reader }
}

describe('an rwsem held by a reader switched out inside it (rmap_walk_anon()’s cond_resched())', () => {
  it('the writer waits until the reader runs again, and readers fail their trylock until the writer has run', () => {
    const { log, trylock_while_waiting, sem, k } = contention({ lead_ns: 0, units: 1, share: 1 })
    // The tick at 4 ms switches the reader out inside the lock; the eater maps at 5 ms and waits.
    expect(log.mmap).toBe(TICK_NSEC + 1_000_000)
    // The waiting writer blocks the read side (wait, then the burst that takes the lock).
    expect(trylock_while_waiting).toEqual([false, false])
    // The reader, alone on the run queue, ran again at once and left the lock; the woken writer,
    // its lag earned while asleep, preempted it and took the lock.
    expect(log.locked).toBe(log.mmap + VMA_MERGE_NS)
    expect(log.reader_done).toBe(16_000_000 + 1_000_000 + VMA_MERGE_NS)
    expect(sem.writer).toBeNull()
    expect(sem.readers_switched_out).toBe(0)
    expect(k.anon_vma_writers).toBe(0)
  })
  it('a switch-out between objects leaves the lock free: the writer goes straight on', () => {
    // 4 objects of 4 ms, the first quarter of each inside the lock; 1 ms of other work first puts
    // the tick at 3 ms into the first object.
    const { log, trylock_while_waiting } = contention({ lead_ns: 1_000_000, units: 4, share: 0.25 })
    expect(trylock_while_waiting).toEqual([])
    expect(log.locked).toBe(log.mmap)
  })
  it('the same burst switched out 0 ms into an object holds the lock', () => {
    const { trylock_while_waiting } = contention({ lead_ns: 0, units: 4, share: 0.25 })
    expect(trylock_while_waiting).toEqual([false, false])
  })
})
