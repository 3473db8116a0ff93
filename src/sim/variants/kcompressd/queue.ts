import type { Thread } from '../../cpu/thread'
import { WaitQueue } from '../../cpu/waitqueue'
import { SWAP_CLUSTER_MAX } from '../../mm/types'

/**
 * One kcompressd fifo (a kfifo of folio pointers or write_work records) and its thread.
 * Entries are (pfn, swap slot) pairs in a ring. `inflight` counts the entries the thread took out
 * for its current CPU burst: the kernel takes them one at a time, so all but the first still
 * occupy the fifo for the capacity check and the depth series.
 */
export class KcompressdQueue {
  readonly pfn: Int32Array
  readonly slot: Int32Array
  head = 0
  len = 0
  inflight = 0
  /** kcompressd_wait */
  readonly wq: WaitQueue
  thread: Thread | null = null
  sleeping = false
  /** The thread's current batch (taken out for one CPU burst). */
  readonly batch_pfn = new Int32Array(SWAP_CLUSTER_MAX)
  readonly batch_slot = new Int32Array(SWAP_CLUSTER_MAX)
  /** Work into the burst at which each folio of the batch is written (reference ns). */
  readonly batch_done = new Float64Array(SWAP_CLUSTER_MAX)
  /** Folios of the batch already completed (seen written before the burst's end). */
  completed = 0
  /** The thread is in the CPU burst that writes the batch (batch_done is valid). */
  writing = false
  /** CPU time at the last sample, for the per-thread CPU series. */
  lastCpu = 0
  /** Folios this queue's thread took out and wrote (first-fit dispatch loads thread 0 first). */
  handled = 0
  /** `handled` at the last sample, for the per-thread rate series. */
  lastHandled = 0

  constructor(
    readonly id: number,
    readonly nid: number,
    readonly capacity: number
  ) {
    this.pfn = new Int32Array(capacity)
    this.slot = new Int32Array(capacity)
    this.wq = new WaitQueue(`kcompressd_wait${id}`)
  }

  /** What the fifo holds as the kernel sees it. */
  depth(): number {
    return this.len + Math.max(0, this.inflight - 1)
  }

  /** kfifo_avail() >= one entry */
  avail(): boolean {
    return this.depth() < this.capacity
  }

  /** kfifo_in() */
  push(pfn: number, slot: number): void {
    const i = (this.head + this.len) % this.capacity
    this.pfn[i] = pfn
    this.slot[i] = slot
    this.len++
  }

  /** kfifo_out(): the oldest entry's index into pfn/slot (valid until the next push). */
  shift(): number {
    const i = this.head
    this.head = (this.head + 1) % this.capacity
    this.len--
    return i
  }
}
