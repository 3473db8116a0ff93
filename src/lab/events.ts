import type { EventName, Events } from '../shared/contract'

type Listener = (event: EventName, payload: Events[EventName]) => void

/** Server-side fan-out of contract events to whichever transports are listening. */
export class EventBus {
  private readonly listeners = new Set<Listener>()

  emit<E extends EventName>(event: E, payload: Events[E]): void {
    for (const listener of this.listeners) listener(event, payload)
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
