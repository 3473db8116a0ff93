import type { Thread } from './thread'

/** wait_queue_head_t: threads parked until wake_up(). The scheduler resumes them. */
export class WaitQueue {
  waiters: Thread[] = []
  wake: (t: Thread, value: boolean) => void = () => {}

  constructor(readonly name: string) {}

  waitqueue_active(): boolean {
    return this.waiters.length > 0
  }

  wake_up_all(): void {
    if (this.waiters.length === 0) return
    const w = this.waiters
    this.waiters = []
    for (const t of w) this.wake(t, true)
  }

  wake_up_one(): void {
    const t = this.waiters.shift()
    if (t) this.wake(t, true)
  }

  remove(t: Thread): boolean {
    const i = this.waiters.indexOf(t)
    if (i < 0) return false
    this.waiters.splice(i, 1)
    return true
  }
}
