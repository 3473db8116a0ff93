import type { IncomingMessage, ServerResponse } from 'node:http'
import type { EventBus } from '../events'
import { SECURITY_HEADERS } from './csp'

const KEEPALIVE_MS = 25_000

/** Server-sent events: one `event:` per contract event, JSON in `data:`. */
export function openEventStream(req: IncomingMessage, res: ServerResponse, events: EventBus): void {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive'
  })
  res.write('retry: 2000\n\n')
  const unsubscribe = events.subscribe((event, payload) => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`)
  })
  const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS)
  req.on('close', () => {
    clearInterval(keepalive)
    unsubscribe()
  })
}
