import type { Thread } from './cpu/thread'
import type { Mapping } from './mm/mapping'

/** A simulated user process (task + mm), for the OOM killer, lmkd and the workloads. */
export class Proc {
  alive = true
  threads: Thread[] = []
  mappings: Mapping[] = []
  /** Last time it was in the foreground (lmkd picks the least recently used background app). */
  last_used = 0
  constructor(
    readonly pid: number,
    readonly name: string,
    public oom_score_adj: number
  ) {}

  rss(): number {
    let n = 0
    for (const m of this.mappings) if (m.anon) n += m.nr_resident
    return n
  }

  swapents(): number {
    let n = 0
    for (const m of this.mappings) n += m.nr_swap
    return n
  }
}
