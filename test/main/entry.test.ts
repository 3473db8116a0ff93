import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { channelNames } from '../../src/shared/contract'
import { DOWNLOAD_IPC } from '../../src/shared/channels'

// A stand-in for the electron module, enough to run the real entry point's startup.
const fake = vi.hoisted(() => {
  const calls: string[] = []
  const handled: string[] = []
  const appListeners = new Map<string, () => void>()
  let ready!: () => void
  const whenReady = new Promise<void>((resolve) => (ready = resolve))
  const windows: Array<{ url?: string }> = []
  const session = {
    registerPreloadScript: () => 'id',
    setPermissionRequestHandler: () => undefined,
    setPermissionCheckHandler: () => undefined
  }
  class BrowserWindow {
    static getAllWindows = () => windows
    url?: string
    webContents = {
      session,
      on: () => undefined,
      setWindowOpenHandler: () => undefined,
      isDestroyed: () => false,
      send: () => undefined
    }
    constructor() {
      windows.push(this)
    }
    once() {}
    loadURL(url: string) {
      this.url = url
      return Promise.resolve()
    }
  }
  return {
    calls,
    handled,
    appListeners,
    windows,
    ready: () => ready(),
    userData: '',
    electron: {
      app: {
        requestSingleInstanceLock: () => (calls.push('requestSingleInstanceLock'), true),
        enableSandbox: () => calls.push('enableSandbox'),
        whenReady: () => whenReady,
        on: (name: string, fn: () => void) => appListeners.set(name, fn),
        getAppPath: () => join(__dirname, '..', '..'),
        getPath: () => fake.userData,
        isPackaged: false,
        quit: () => calls.push('quit'),
        exit: (code: number) => calls.push(`exit ${code}`)
      },
      ipcMain: { handle: (channel: string) => handled.push(channel) },
      Menu: {
        buildFromTemplate: (t: unknown[]) => t,
        setApplicationMenu: () => calls.push('setApplicationMenu')
      },
      dialog: {
        showErrorBox: (title: string, text: string) => calls.push(`error: ${title}: ${text}`)
      },
      nativeTheme: { shouldUseDarkColors: false },
      BrowserWindow
    }
  }
})

vi.mock('electron', () => fake.electron)
// The Electron-ABI binding cannot be built here; the Node build stands in for it.
vi.mock('../../src/main/native', () => ({
  electronNativeBinding: () =>
    join(
      __dirname,
      '..',
      '..',
      'node_modules',
      'better-sqlite3',
      'build',
      'Release',
      'better_sqlite3.node'
    )
}))

describe('Electron entry point', () => {
  it('locks to one instance, sandboxes, opens the notebook, registers every channel and shows the app', async () => {
    fake.userData = mkdtempSync(join(tmpdir(), 'reclaim-lab-entry-'))
    await import('../../src/main/index')
    expect(fake.calls).toEqual(['requestSingleInstanceLock', 'enableSandbox'])
    fake.ready()
    await new Promise((r) => setTimeout(r, 50))
    expect(fake.calls).toEqual(['requestSingleInstanceLock', 'enableSandbox', 'setApplicationMenu'])
    expect([...fake.handled].sort()).toEqual([...channelNames, DOWNLOAD_IPC].sort())
    expect(fake.windows).toHaveLength(1)
    // From out/main at run time, so the page is the built renderer beside it.
    expect(fake.windows[0].url).toMatch(/^file:\/\/.*\/renderer\/index\.html$/)
    expect(existsSync(join(fake.userData, 'notebook.sqlite'))).toBe(true)
    expect([...fake.appListeners.keys()].sort()).toEqual([
      'second-instance',
      'will-quit',
      'window-all-closed'
    ])
    fake.appListeners.get('will-quit')!()
  })
})
