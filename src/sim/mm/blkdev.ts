import type { Engine } from '../des/engine'
import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { PAGE_SIZE } = mm_types

/** BLKDEV_DEFAULT_RQ (include/linux/blkdev.h): requests a queue holds before submitters sleep. */
export const BLKDEV_DEFAULT_RQ = 128

/**
 * A block device with a single FIFO queue: each 4 KiB request takes PAGE_SIZE / bandwidth of device
 * time after the ones queued before it, plus a fixed latency. A submitter that finds more than
 * nr_requests queued sleeps until a request slot frees (blk-mq waiting for a tag).
 * Simplified: no merging, reads and writes share one queue.
 */
export class BlockDevice {
  private busyUntil = 0
  reads = 0
  writes = 0

  constructor(
    private env: Engine,
    readonly read_latency_ns: number,
    readonly write_latency_ns: number,
    readonly bandwidth_bytes_per_ns: number
  ) {}

  readonly nr_requests = BLKDEV_DEFAULT_RQ

  /** How long a submitter must sleep until the queue is back to nr_requests (0 if it is not full). */
  congestion_wait_ns(): number {
    const per = PAGE_SIZE / this.bandwidth_bytes_per_ns
    const backlog = (this.busyUntil - this.env.now) / per
    return backlog > this.nr_requests ? Math.ceil((backlog - this.nr_requests) * per) : 0
  }

  /** Returns the completion time of a request of `pages` pages submitted now. */
  submit(pages: number, write: boolean): number {
    const now = this.env.now
    const start = Math.max(now, this.busyUntil)
    this.busyUntil = start + (pages * PAGE_SIZE) / this.bandwidth_bytes_per_ns
    if (write) this.writes += pages
    else this.reads += pages
    return Math.ceil(this.busyUntil + (write ? this.write_latency_ns : this.read_latency_ns))
  }
}
