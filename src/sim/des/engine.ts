import { EventHeap, type EventFn } from './heap'
import { TimerSlots } from './timers'

/**
 * The discrete-event environment (after SimPy's Environment): virtual integer time in nanoseconds,
 * `at`/`after` schedule plain callbacks; threads (src/sim/cpu) are the only processes. Timers
 * (`timer`/`arm`) are events that move: a CPU's end of burst is re-armed in place.
 */
export class Engine {
  now = 0
  events = 0
  private heap = new EventHeap()
  private timers = new TimerSlots()
  private stopped = false

  /** Calls f(arg) at time t (an integer argument avoids a closure per event). */
  at(t: number, f: EventFn, arg = 0): void {
    this.heap.push(t < this.now ? this.now : Math.ceil(t), f, arg)
  }

  after(delay: number, f: EventFn, arg = 0): void {
    this.heap.push(this.now + Math.ceil(delay > 0 ? delay : 0), f, arg)
  }

  /** A timer calling f, unarmed; returns its id for arm() and disarm(). */
  timer(f: EventFn): number {
    return this.timers.add(f)
  }

  /**
   * Arms timer id to call its function with arg at time t, replacing any time it was armed for;
   * it runs in the order an event that at() added now would.
   */
  arm(id: number, t: number, arg = 0): void {
    this.timers.set(id, t < this.now ? this.now : Math.ceil(t), this.heap.nextSequence(), arg)
  }

  disarm(id: number): void {
    this.timers.cancel(id)
  }

  stop(): void {
    this.stopped = true
  }

  /** Runs events with time <= until. Returns false if stopped early. */
  run(until: number): boolean {
    const heap = this.heap
    const timers = this.timers
    while (!this.stopped) {
      // The earlier of the event heap's first and the timers' first, by (time, sequence).
      let fromTimer = timers.size > 0
      let t: number
      if (heap.size > 0) {
        t = heap.peekTime()
        if (fromTimer) {
          const tt = timers.peekTime()
          fromTimer = tt < t || (tt === t && timers.peekSeq() < heap.peekSeq())
          if (fromTimer) t = tt
        }
      } else if (fromTimer) t = timers.peekTime()
      else break
      if (t > until) break
      this.now = t
      this.events++
      if (fromTimer) {
        const id = timers.pop()
        timers.fnOf(id)(timers.argOf(id))
      } else {
        const arg = heap.peekArg()
        heap.pop()(arg)
      }
    }
    if (!this.stopped && this.now < until) this.now = until
    return !this.stopped
  }
}
