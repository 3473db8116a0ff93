import type { Engine } from '../des/engine'
import type { Thread } from '../cpu/thread'

import type { TraceEvent } from '../../shared/result'
export type { TraceEvent }

/**
 * Event trace named after the kernel tracepoints (mm_vmscan_kswapd_wake,
 * mm_vmscan_direct_reclaim_begin/end, lmkd kill, oom_kill), plus CPU bursts per thread. Exports the
 * Chrome/Perfetto trace-event JSON format (timestamps in µs).
 */
export class Tracer {
  events: TraceEvent[] = []
  dropped = 0
  private named = new Set<number>()

  constructor(
    private env: Engine,
    private max_events: number
  ) {}

  private push(e: TraceEvent, t: Thread | null): void {
    if (this.events.length >= this.max_events) {
      this.dropped++
      return
    }
    if (t && !this.named.has(t.tid)) {
      this.named.add(t.tid)
      this.events.push({
        name: 'thread_name',
        ph: 'M',
        ts: 0,
        pid: 1,
        tid: t.tid,
        args: { name: t.name }
      })
    }
    this.events.push(e)
  }

  begin(name: string, t: Thread, args?: Record<string, number | string>): void {
    this.push({ name, ph: 'B', ts: this.env.now / 1000, pid: 1, tid: t.tid, args }, t)
  }

  end(name: string, t: Thread, args?: Record<string, number | string>): void {
    this.push({ name, ph: 'E', ts: this.env.now / 1000, pid: 1, tid: t.tid, args }, t)
  }

  instant(name: string, t: Thread | null, args?: Record<string, number | string>): void {
    this.push(
      { name, ph: 'i', s: 't', ts: this.env.now / 1000, pid: 1, tid: t ? t.tid : 0, args },
      t
    )
  }

  complete(
    name: string,
    t: Thread,
    start_ns: number,
    end_ns: number,
    args?: Record<string, number | string>
  ): void {
    this.push(
      {
        name,
        ph: 'X',
        ts: start_ns / 1000,
        dur: (end_ns - start_ns) / 1000,
        pid: 1,
        tid: t.tid,
        args
      },
      t
    )
  }

  counter(name: string, values: Record<string, number>): void {
    this.push({ name, ph: 'C', ts: this.env.now / 1000, pid: 1, tid: 0, args: values }, null)
  }

  toChromeJSON(): {
    traceEvents: TraceEvent[]
    displayTimeUnit: string
    otherData: Record<string, number>
  } {
    return {
      traceEvents: this.events,
      displayTimeUnit: 'ns',
      otherData: { dropped_events: this.dropped }
    }
  }
}
