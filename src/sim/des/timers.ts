import type { EventFn } from './heap'

/**
 * Timers that are re-armed far more often than they fire: a CPU's end-of-burst timer moves with
 * every interrupt charged to the running thread and every preemption. Each timer is one entry,
 * moved in place when re-armed or dropped when cancelled, so no stale copy is left to pop.
 * Ordered by (time, sequence) as EventHeap is, with sequences from the engine's one counter.
 */
export class TimerSlots {
  private time: number[] = []
  private seq: number[] = []
  private fn: EventFn[] = []
  private arg: number[] = []
  /** Each timer's index in `order`, -1 while not armed. */
  private pos: number[] = []
  /** The armed timers' ids as a binary min-heap. */
  private order: number[] = []

  /** A new, unarmed timer calling f; returns its id. */
  add(f: EventFn): number {
    const id = this.fn.length
    this.time.push(0)
    this.seq.push(0)
    this.fn.push(f)
    this.arg.push(0)
    this.pos.push(-1)
    return id
  }

  get size(): number {
    return this.order.length
  }

  peekTime(): number {
    return this.time[this.order[0]]
  }

  peekSeq(): number {
    return this.seq[this.order[0]]
  }

  /** Arms timer id for (t, s) with argument a, replacing its pending time. */
  set(id: number, t: number, s: number, a: number): void {
    this.time[id] = t
    this.seq[id] = s
    this.arg[id] = a
    let i = this.pos[id]
    if (i < 0) {
      i = this.order.length
      this.order.push(id)
    }
    this.sift(i, id)
  }

  cancel(id: number): void {
    const i = this.pos[id]
    if (i < 0) return
    this.pos[id] = -1
    const last = this.order.pop() as number
    if (last !== id) this.sift(i, last)
  }

  /** Disarms the earliest timer and returns it; call fnOf(id)(argOf(id)). */
  pop(): number {
    const id = this.order[0]
    this.cancel(id)
    return id
  }

  fnOf(id: number): EventFn {
    return this.fn[id]
  }

  argOf(id: number): number {
    return this.arg[id]
  }

  private before(a: number, b: number): boolean {
    const ta = this.time[a]
    const tb = this.time[b]
    return ta < tb || (ta === tb && this.seq[a] < this.seq[b])
  }

  /** Places timer id at index i of `order`, moving it up or down to where it belongs. */
  private sift(i: number, id: number): void {
    const order = this.order
    const pos = this.pos
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.before(id, order[p])) break
      order[i] = order[p]
      pos[order[i]] = i
      i = p
    }
    const n = order.length
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      const c = r < n && this.before(order[r], order[l]) ? r : l
      if (!this.before(order[c], id)) break
      order[i] = order[c]
      pos[order[i]] = i
      i = c
    }
    order[i] = id
    pos[id] = i
  }
}
