import { EventHeap, type EventFn } from './heap'

/**
 * The discrete-event environment (after SimPy's Environment): virtual integer time in nanoseconds,
 * `at`/`after` schedule plain callbacks; threads (src/sim/cpu) are the only processes.
 */
export class Engine {
  now = 0
  events = 0
  private heap = new EventHeap()
  private stopped = false

  /** Calls f(arg) at time t (an integer argument avoids a closure per event). */
  at(t: number, f: EventFn, arg = 0): void {
    this.heap.push(t < this.now ? this.now : Math.ceil(t), f, arg)
  }

  after(delay: number, f: EventFn, arg = 0): void {
    this.heap.push(this.now + Math.ceil(delay > 0 ? delay : 0), f, arg)
  }

  stop(): void {
    this.stopped = true
  }

  /** Runs events with time <= until. Returns false if stopped early. */
  run(until: number): boolean {
    const heap = this.heap
    while (!this.stopped && heap.size > 0 && heap.peekTime() <= until) {
      this.now = heap.peekTime()
      const arg = heap.peekArg()
      const f = heap.pop()
      this.events++
      f(arg)
    }
    if (!this.stopped && this.now < until) this.now = until
    return !this.stopped
  }
}
