import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { channelNames, type Handlers } from '../shared/contract'
import type { LabErrorData } from '../shared/errors'
import { dispatch } from './dispatch'
import type { EventBus } from './events'
import { isAppUrl } from './security'

/** Accepts calls only from the app's own top-level frame. */
export function trustedSender(event: IpcMainInvokeEvent, appEntry: string): boolean {
  const frame = event.senderFrame
  return frame !== null && frame.parent === null && isAppUrl(frame.url, appEntry)
}

/** One `ipcMain.handle` per contract channel, each through the same validating dispatcher. */
export function registerIpc(ipcMain: IpcMain, handlers: Handlers, appEntry: string): void {
  for (const channel of channelNames) {
    ipcMain.handle(channel, async (event, input: unknown) => {
      if (!trustedSender(event, appEntry)) {
        const error: LabErrorData = {
          code: 'unauthorized',
          message: `Refused ${channel} from an untrusted frame`
        }
        return { ok: false, error }
      }
      return dispatch(handlers, channel, input)
    })
  }
}

/** Forwards contract events to a window's renderer. */
export function forwardEvents(events: EventBus, contents: WebContents): () => void {
  return events.subscribe((name, payload) => {
    if (!contents.isDestroyed()) contents.send(name, payload)
  })
}
