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
import { httpBridge, type Connection, type HttpBridge } from './http-bridge'

export type { Connection }

const http: HttpBridge | undefined = window.lab ? undefined : httpBridge()
const bridge: LabBridge = window.lab ?? http!

export const transport: 'ipc' | 'http' = window.lab ? 'ipc' : 'http'

/** Whether the notebook answers; the desktop app's own process always does. */
export function connection(): Connection {
  return http?.connection() ?? 'online'
}

export function onConnection(listener: (state: Connection) => void): () => void {
  return http?.onConnection(listener) ?? (() => undefined)
}

/** Serve mode after a restart: carries on with the token of the address the new server printed. */
export function reconnectWith(address: string): string | null {
  return http ? http.reconnectWith(address) : null
}

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
