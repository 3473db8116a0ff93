import type { LabBridge, Reply } from '@shared/contract'
import { saveBlob } from './download'

const TOKEN_KEY = 'reclaim-lab.token'
/** How often a lost notebook is asked again whether it is back. */
const RETRY_MS = 2000

/**
 * Whether serve mode answers this tab: `online`; `unreachable` (the server stopped, or the SSH
 * tunnel to it dropped); `refused` (a server answers but not to this tab's token: it was restarted,
 * and a restart makes a new token).
 */
export type Connection = 'online' | 'unreachable' | 'refused'

/** Serve mode: the token arrives once in `?token=`, is kept for the tab and removed from the URL. */
function takeToken(): string {
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl)
    url.searchParams.delete('token')
    window.history.replaceState(window.history.state, '', url.toString())
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? ''
}

function fileNameOf(disposition: string | null): string | undefined {
  return disposition ? /filename="([^"]+)"/.exec(disposition)?.[1] : undefined
}

export interface HttpBridge extends LabBridge {
  connection(): Connection
  onConnection(listener: (state: Connection) => void): () => void
  /** Takes the token of a restarted server from the address it printed; a message if it cannot. */
  reconnectWith(address: string): string | null
}

/**
 * The lab over HTTP and server-sent events. A dropped event stream or a failed request makes it ask
 * the server every 2 s whether it is back, and with which answer, until it is; then the stream is
 * opened again and listeners hear `online` (stores reload what they show: events were missed).
 */
export function httpBridge(): HttpBridge {
  let token = takeToken()
  let state: Connection = 'online'
  let source: EventSource | undefined
  let retry: ReturnType<typeof setTimeout> | undefined
  const handlers = new Map<string, Set<(e: MessageEvent<string>) => void>>()
  const connectionListeners = new Set<(state: Connection) => void>()

  function openStream(): EventSource {
    const stream = new EventSource(`/api/events?token=${encodeURIComponent(token)}`)
    for (const [event, set] of handlers)
      for (const handler of set) stream.addEventListener(event, handler)
    // The browser would retry on its own, but not after a refusal: one path for both.
    stream.onerror = () => lost()
    return stream
  }

  function setState(next: Connection): void {
    if (next === state) return
    state = next
    connectionListeners.forEach((l) => l(next))
  }

  function lost(): void {
    source?.close()
    source = undefined
    if (retry === undefined) void check()
  }

  async function check(): Promise<void> {
    retry = undefined
    let status: number
    try {
      const response = await fetch('/api/invoke/app:info', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
        cache: 'no-store'
      })
      status = response.status
    } catch {
      status = 0
    }
    if (status === 200) {
      source ??= handlers.size ? openStream() : undefined
      setState('online')
      return
    }
    setState(status === 401 ? 'refused' : 'unreachable')
    retry = setTimeout(() => void check(), RETRY_MS)
  }

  async function post(kind: 'invoke' | 'download', channel: string, input: unknown) {
    try {
      const response = await fetch(`/api/${kind}/${channel}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: input === undefined ? '' : JSON.stringify(input)
      })
      if (response.status === 401) lost()
      return response
    } catch (err) {
      lost()
      throw err
    }
  }

  return {
    async invoke(channel, input) {
      return (await (await post('invoke', channel, input)).json()) as Reply<never>
    },
    // The server streams the file; the browser keeps it as a blob and saves it as a download.
    async download(channel, input) {
      const response = await post('download', channel, input)
      if (!response.ok) return (await response.json()) as Reply<never>
      const fileName = fileNameOf(response.headers.get('Content-Disposition')) ?? channel
      saveBlob(fileName, await response.blob())
      return { ok: true, data: { fileName, saved: true, path: null } }
    },
    on(event, listener) {
      const handler = (e: MessageEvent<string>) => listener(JSON.parse(e.data) as never)
      if (!handlers.has(event)) handlers.set(event, new Set())
      handlers.get(event)!.add(handler)
      if (source) source.addEventListener(event, handler)
      else if (state === 'online') source = openStream()
      return () => {
        handlers.get(event)?.delete(handler)
        source?.removeEventListener(event, handler)
      }
    },
    connection: () => state,
    onConnection(listener) {
      connectionListeners.add(listener)
      return () => connectionListeners.delete(listener)
    },
    reconnectWith(address) {
      let url: URL
      try {
        url = new URL(address.trim(), window.location.href)
      } catch {
        return 'That is not an address: paste the whole line serve printed after "Open".'
      }
      const next = url.searchParams.get('token')
      if (!next) return 'That address has no ?token=…: paste the whole line serve printed.'
      if (url.origin !== window.location.origin)
        return `That notebook is at ${url.origin}, this tab at ${window.location.origin}: open the address instead.`
      token = next
      sessionStorage.setItem(TOKEN_KEY, next)
      clearTimeout(retry)
      void check()
      return null
    }
  }
}
