import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** Hosts a browser on this machine sends for our port; anything else is DNS rebinding or a proxy. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`])
}

export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host
  return typeof host === 'string' && allowedHosts(port).has(host.toLowerCase())
}

/** Same-origin requests only: a page from any other origin gets no answer (no CORS either). */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin
  if (origin === undefined) return true
  return [...allowedHosts(port)].some((host) => origin === `http://${host}`)
}

export function tokenMatches(expected: string, given: string | undefined | null): boolean {
  if (!given) return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization
  const match = header ? /^Bearer (\S+)$/.exec(header) : null
  return match?.[1]
}
