import type { Kernel } from '../kernel'
import type { Mapping } from './mapping'
import { cpu, wait, type Sub, type Thread } from '../cpu/thread'

/**
 * The kernel work of a VMA merge under the anon_vma's write lock (vma_prepare() to
 * vma_complete()): a few hundred instructions, assumed; charged only to a writer that waited,
 * whose lock is taken when it runs again.
 */
export const VMA_MERGE_NS = 1000

/**
 * mm/vma.c: an anonymous mmap() next to the previous one merges into it (vma_merge_new_range() →
 * vma_expand()), and the first mapping attaches its anon_vma (__anon_vma_prepare()); both update
 * the anon_vma under anon_vma_lock_write(). The write hold is short and has no preemption point,
 * so the model gives it no time unless a reader switched out inside the lock (rmap_walk_anon()'s
 * cond_resched()) makes the writer wait: then every rmap walk of this memory fails its trylock
 * until the writer has run (its reclaim keeps those folios: folio_referenced() returns -1).
 */
export function* anon_vma_lock_write(k: Kernel, t: Thread, m: Mapping): Sub<void> {
  const sem = m.anon_vma
  if (sem === null || sem.readers_switched_out === 0) return
  sem.writer = t
  k.anon_vma_writers++
  while (sem.readers_switched_out > 0) yield wait(sem.wq)
  yield cpu(VMA_MERGE_NS, 1)
  sem.writer = null
  k.anon_vma_writers--
}
