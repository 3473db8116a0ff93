import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { DOWNLOAD_IPC, isChannel, isDownloadChannel, isEventName } from '../shared/channels'

// Only declared channels and events cross the bridge; ipcRenderer itself never does.
const lab = {
  invoke(channel: string, input?: unknown): Promise<unknown> {
    if (!isChannel(channel)) return Promise.reject(new Error(`Unknown channel ${channel}`))
    return ipcRenderer.invoke(channel, input)
  },
  /** The main process asks where to save and writes the file there. */
  download(channel: string, input?: unknown): Promise<unknown> {
    if (!isDownloadChannel(channel)) return Promise.reject(new Error(`Unknown download ${channel}`))
    return ipcRenderer.invoke(DOWNLOAD_IPC, channel, input)
  },
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (!isEventName(event)) throw new Error(`Unknown event ${event}`)
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(event, wrapped)
    return () => {
      ipcRenderer.removeListener(event, wrapped)
    }
  }
}

contextBridge.exposeInMainWorld('lab', lab)
