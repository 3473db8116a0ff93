import type { BrowserWindow, Dialog, IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { DOWNLOAD_IPC } from '../shared/channels'
import { channelNames, type Handlers, type Reply } from '../shared/contract'
import type { SavedFile } from '../shared/dto'
import { toErrorData, type LabErrorData } from '../shared/errors'
import { dispatch, prepareDownload } from '../lab/dispatch'
import type { EventBus } from '../lab/events'
import { writeExport, type DownloadHandlers } from '../lab/export/stream'
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

/** Where to save a file: a path, or null when the user cancelled. */
export type ChooseSavePath = (fileName: string) => Promise<string | null>

/** The save dialog, attached to the window, proposing the export's own name. */
export function saveDialog(dialog: Dialog, window: BrowserWindow): ChooseSavePath {
  return async (fileName) => {
    const { canceled, filePath } = await dialog.showSaveDialog(window, { defaultPath: fileName })
    return canceled || !filePath ? null : filePath
  }
}

/**
 * Downloads on the desktop: validated as over HTTP, then the user picks the file and the export is
 * streamed into it chunk by chunk. A failed write leaves no partial file behind.
 */
export function registerDownloads(
  ipcMain: IpcMain,
  downloads: DownloadHandlers,
  appEntry: string,
  choosePath: ChooseSavePath
): void {
  ipcMain.handle(
    DOWNLOAD_IPC,
    async (event, channel: unknown, input: unknown): Promise<Reply<SavedFile>> => {
      if (!trustedSender(event, appEntry)) {
        const message = `Refused a download from an untrusted frame`
        return { ok: false, error: { code: 'unauthorized', message } }
      }
      const file = prepareDownload(downloads, String(channel), input)
      if (!file.ok) return file
      const { fileName } = file.data
      const path = await choosePath(fileName)
      if (path === null) return { ok: true, data: { fileName, saved: false, path: null } }
      try {
        await writeExport(file.data, createWriteStream(path))
      } catch (err) {
        await rm(path, { force: true })
        const { message } = toErrorData(err)
        return {
          ok: false,
          error: { code: 'storage', message: `Could not write ${path}: ${message}` }
        }
      }
      return { ok: true, data: { fileName, saved: true, path } }
    }
  )
}

/** Forwards contract events to a window's renderer. */
export function forwardEvents(events: EventBus, contents: WebContents): () => void {
  return events.subscribe((name, payload) => {
    if (!contents.isDestroyed()) contents.send(name, payload)
  })
}
