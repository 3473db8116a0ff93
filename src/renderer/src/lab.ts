import type {
  Channel,
  DownloadChannel,
  DownloadInput,
  EventName,
  Events,
  LabBridge,
  Reply,
  RequestInput,
  Responses
} from '@shared/contract'
import type { SavedFile } from '@shared/dto'
import { LabError } from '@shared/errors'
import { saveBlob } from './download'

const TOKEN_KEY = 'reclaim-lab.token'

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

function httpBridge(): LabBridge {
  const token = takeToken()
  let source: EventSource | undefined
  const stream = () =>
    (source ??= new EventSource(`/api/events?token=${encodeURIComponent(token)}`))
  return {
    async invoke(channel, input) {
      const response = await fetch(`/api/invoke/${channel}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: input === undefined ? '' : JSON.stringify(input)
      })
      return (await response.json()) as Reply<never>
    },
    // The server streams the file; the browser keeps it as a blob and saves it as a download.
    async download(channel, input) {
      const response = await fetch(`/api/download/${channel}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: input === undefined ? '' : JSON.stringify(input)
      })
      if (!response.ok) return (await response.json()) as Reply<never>
      const fileName = fileNameOf(response.headers.get('Content-Disposition')) ?? channel
      saveBlob(fileName, await response.blob())
      return { ok: true, data: { fileName, saved: true, path: null } }
    },
    on(event, listener) {
      const handler = (e: MessageEvent<string>) => listener(JSON.parse(e.data) as never)
      stream().addEventListener(event, handler)
      return () => stream().removeEventListener(event, handler)
    }
  }
}

const bridge: LabBridge = window.lab ?? httpBridge()

export const transport: 'ipc' | 'http' = window.lab ? 'ipc' : 'http'

/** Calls a channel and returns its data, or throws a LabError carrying the field issues. */
export async function call<C extends Channel>(
  channel: C,
  input?: RequestInput<C>
): Promise<Responses[C]> {
  let reply: Reply<Responses[C]>
  try {
    reply = await bridge.invoke(channel, input)
  } catch (err) {
    throw new LabError(
      'internal',
      `The notebook did not answer ${channel}: ${(err as Error).message}`
    )
  }
  if (!reply.ok) throw LabError.from(reply.error)
  return reply.data
}

/** Saves a download channel's file where the user chooses; throws a LabError as `call` does. */
export async function download<C extends DownloadChannel>(
  channel: C,
  input?: DownloadInput<C>
): Promise<SavedFile> {
  let reply: Reply<SavedFile>
  try {
    reply = await bridge.download(channel, input)
  } catch (err) {
    throw new LabError(
      'internal',
      `The notebook did not answer ${channel}: ${(err as Error).message}`
    )
  }
  if (!reply.ok) throw LabError.from(reply.error)
  return reply.data
}

export function on<E extends EventName>(
  event: E,
  listener: (payload: Events[E]) => void
): () => void {
  return bridge.on(event, listener)
}
