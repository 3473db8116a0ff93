import type { Thread } from './thread'
import { WaitQueue } from './waitqueue'

/**
 * struct rw_semaphore in the part reclaim meets (kernel/locking/rwsem.c), for an anon_vma's lock.
 * Readers hold it for a few microseconds around each rmap walk, so the model tracks only the
 * readers that were switched out while holding it: rmap_walk_anon() calls cond_resched() with the
 * lock held (mm/rmap.c), the only place a reader can sleep on it under PREEMPT_VOLUNTARY. A writer
 * that finds such a reader waits for it; while a writer waits or holds the lock, every reader's
 * down_read_trylock() fails (RWSEM_FLAG_WAITERS is in RWSEM_READ_FAILED_MASK).
 */
export class RwSem {
  /** Readers switched out inside their critical section. */
  readers_switched_out = 0
  /** The writer that holds the lock or waits for it. */
  writer: Thread | null = null
  readonly wq: WaitQueue

  constructor(name: string) {
    this.wq = new WaitQueue(name)
  }

  /** down_read_trylock(): fails while a writer holds the lock or waits for it. */
  read_trylock(): boolean {
    return this.writer === null
  }

  /** A reader resumes and leaves its critical section: the last one wakes a waiting writer. */
  reader_resumes(): void {
    if (--this.readers_switched_out === 0) this.wq.wake_up_all()
  }
}
