/**
 * Binary min-heap of events ordered by (time, sequence). Parallel arrays keep it allocation-free.
 * The sequence number makes the order of simultaneous events deterministic (FIFO).
 */
export type EventFn = (arg: number) => void

export class EventHeap {
  private time: number[] = []
  private seq: number[] = []
  private fn: EventFn[] = []
  private arg: number[] = []
  private nextSeq = 0

  get size(): number {
    return this.time.length
  }

  peekTime(): number {
    return this.time.length ? this.time[0] : Infinity
  }

  push(t: number, f: EventFn, a = 0): void {
    const time = this.time
    const seq = this.seq
    const fns = this.fn
    const args = this.arg
    const s = this.nextSeq++
    let i = time.length
    time.push(t)
    seq.push(s)
    fns.push(f)
    args.push(a)
    while (i > 0) {
      const p = (i - 1) >> 1
      if (time[p] < t || (time[p] === t && seq[p] < s)) break
      time[i] = time[p]
      seq[i] = seq[p]
      fns[i] = fns[p]
      args[i] = args[p]
      i = p
    }
    time[i] = t
    seq[i] = s
    fns[i] = f
    args[i] = a
  }

  peekSeq(): number {
    return this.seq[0]
  }

  /** A sequence number from the counter push() uses (for events kept elsewhere, TimerSlots). */
  nextSequence(): number {
    return this.nextSeq++
  }

  /** The argument of the earliest event (read before pop()). */
  peekArg(): number {
    return this.arg[0]
  }

  /** Removes the earliest event and returns its function; the caller reads the time first. */
  pop(): EventFn {
    const time = this.time
    const seq = this.seq
    const fns = this.fn
    const args = this.arg
    const top = fns[0]
    const lt = time.pop() as number
    const ls = seq.pop() as number
    const lf = fns.pop() as EventFn
    const la = args.pop() as number
    const n = time.length
    if (n === 0) return top
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      let c = l
      if (r < n && (time[r] < time[l] || (time[r] === time[l] && seq[r] < seq[l]))) c = r
      if (time[c] > lt || (time[c] === lt && seq[c] > ls)) break
      time[i] = time[c]
      seq[i] = seq[c]
      fns[i] = fns[c]
      args[i] = args[c]
      i = c
    }
    time[i] = lt
    seq[i] = ls
    fns[i] = lf
    args[i] = la
    return top
  }
}
