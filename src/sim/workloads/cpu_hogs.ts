import type { Kernel } from '../kernel'
import type { ThreadBody } from '../cpu/thread'
import * as cpu_thread_mod from '../cpu/thread'
import * as weights_mod from '../cpu/weights'

// Local bindings of imported values: the transpiled modules expose them through getters.
const { cpu, sleep } = cpu_thread_mod
const { TICK_NSEC } = weights_mod

/** A hog asks for a second of work at a time; the scheduler's ticks and wakeups cut it up. */
const HOG_BURST_NS = 1_000_000_000

/**
 * cpu_hogs: `count` CPU-bound tasks that never allocate (the twin's hog.c, stress-ng --cpu). They
 * are not processes the OOM killer or lmkd could pick: they hold no memory. Each starts at a
 * random point of the first two ticks (seeded), as tasks started by a shell do: which of the
 * threads sharing a CPU runs in which tick then differs from CPU to CPU.
 */
export function start_cpu_hogs(k: Kernel, count: number, nice: number): void {
  const rng = k.rng.get('workload.hogs')
  for (let i = 0; i < count; i++) {
    const start = Math.floor(rng.next() * 2 * TICK_NSEC)
    k.sched.spawn(`hog/${i}`, 'other', nice, function* (): ThreadBody {
      yield sleep(start)
      for (;;) yield cpu(HOG_BURST_NS)
    })
  }
}
