import { beforeEach, describe, expect, it, vi } from 'vitest'

// The Electron binary cannot be fetched here: a stand-in records what the main process asks of it.
const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => void
  class FakeContents {
    listeners = new Map<string, Listener>()
    openHandler?: (details: { url: string }) => { action: string }
    session = {
      preloads: [] as unknown[],
      registerPreloadScript(script: unknown) {
        this.preloads.push(script)
        return 'id'
      },
      permissionHandler: undefined as
        | undefined
        | ((
            c: unknown,
            p: string,
            cb: (ok: boolean) => void,
            details: { requestingUrl: string }
          ) => void),
      checkHandler: undefined as
        undefined | ((c: { getURL(): string } | null, p: string) => boolean),
      setPermissionRequestHandler(h: never) {
        this.permissionHandler = h
      },
      setPermissionCheckHandler(h: never) {
        this.checkHandler = h
      }
    }
    on(name: string, listener: Listener) {
      this.listeners.set(name, listener)
      return this
    }
    setWindowOpenHandler(h: never) {
      this.openHandler = h
    }
    emit(name: string, url?: string) {
      const event = {
        defaultPrevented: false,
        preventDefault() {
          this.defaultPrevented = true
        }
      }
      this.listeners.get(name)?.(event, url)
      return event.defaultPrevented
    }
  }
  const windows: Array<{
    options: Record<string, unknown>
    loaded?: string
    webContents: FakeContents
  }> = []
  class BrowserWindow {
    webContents = new FakeContents()
    loaded?: string
    constructor(public options: Record<string, unknown>) {
      windows.push(this)
    }
    once() {}
    loadURL(url: string) {
      this.loaded = url
      return Promise.resolve()
    }
  }
  return {
    windows,
    electron: {
      BrowserWindow,
      nativeTheme: { shouldUseDarkColors: false },
      shell: { openExternal: vi.fn() }
    }
  }
})

vi.mock('electron', () => fake.electron)

import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { registerDownloads, registerIpc, saveDialog, trustedSender } from '../../src/main/ipc'
import { menuTemplate } from '../../src/main/menu'
import { createMainWindow } from '../../src/main/window'
import { channelNames } from '../../src/shared/contract'
import { DOWNLOAD_IPC } from '../../src/shared/channels'
import { memoryLab } from '../helpers/lab'
import { useTempDir } from '../helpers/tmp'

const APP = 'file:///opt/reclaim-lab/out/renderer/index.html'

describe('main window', () => {
  beforeEach(() => {
    fake.windows.length = 0
  })

  it('is created isolated, sandboxed and without Node in the renderer', () => {
    createMainWindow(APP, '/opt/reclaim-lab/out/preload/index.js')
    const prefs = fake.windows[0].options.webPreferences as Record<string, unknown>
    expect(prefs.preload).toBeUndefined()
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick'
    })
    expect(fake.windows[0].loaded).toBe(APP)
  })

  it('gives the lab bridge only to pages at the app URL', () => {
    createMainWindow(APP, '/opt/reclaim-lab/out/preload/index.js')
    expect(fake.windows[0].webContents.session.preloads).toEqual([
      {
        type: 'frame',
        id: 'reclaim-lab-bridge',
        filePath: '/opt/reclaim-lab/out/preload/index.js',
        includeGlobs: ['file:///opt/reclaim-lab/out/renderer/index.html*']
      }
    ])
  })

  it('denies navigation away from the app and every new window', () => {
    createMainWindow(APP)
    const contents = fake.windows[0].webContents
    expect(contents.emit('will-navigate', 'https://evil.example/')).toBe(true)
    expect(contents.emit('will-navigate', 'file:///etc/passwd')).toBe(true)
    expect(contents.emit('will-redirect', 'http://127.0.0.1:1/')).toBe(true)
    expect(contents.emit('will-navigate', `${APP}#/experiments/3`)).toBe(false)
    expect(contents.emit('will-attach-webview')).toBe(true)
    expect(contents.openHandler!({ url: 'https://lore.kernel.org/linux-mm/' })).toEqual({
      action: 'deny'
    })
    expect(contents.openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(fake.electron.shell.openExternal).not.toHaveBeenCalled()
    // The Perfetto UI link goes to the system browser, and only that exact address.
    expect(contents.openHandler!({ url: 'https://ui.perfetto.dev/' })).toEqual({ action: 'deny' })
    expect(contents.openHandler!({ url: 'https://ui.perfetto.dev/#!/?url=x' })).toEqual({
      action: 'deny'
    })
    expect(fake.electron.shell.openExternal.mock.calls).toEqual([['https://ui.perfetto.dev/']])
  })

  it('denies every permission request and check but writing to the clipboard from the app', () => {
    createMainWindow(APP)
    const session = fake.windows[0].webContents.session
    const answers: boolean[] = []
    const ask = (permission: string, requestingUrl: string) =>
      session.permissionHandler!(null, permission, (ok) => answers.push(ok), { requestingUrl })
    ask('media', `${APP}#/`)
    ask('notifications', `${APP}#/`)
    ask('clipboard-read', `${APP}#/`)
    ask('clipboard-sanitized-write', 'https://example.com/')
    ask('clipboard-sanitized-write', `${APP}#/experiments/1`)
    expect(answers).toEqual([false, false, false, false, true])
    const page = (url: string) => ({ getURL: () => url })
    expect(session.checkHandler!(page(`${APP}#/`), 'notifications')).toBe(false)
    expect(session.checkHandler!(page('https://example.com/'), 'clipboard-sanitized-write')).toBe(
      false
    )
    expect(session.checkHandler!(page(`${APP}#/`), 'clipboard-sanitized-write')).toBe(true)
    expect(session.checkHandler!(null, 'clipboard-sanitized-write')).toBe(false)
  })
})

describe('IPC registration', () => {
  function register() {
    const handlers = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>()
    const ipcMain = { handle: (channel: string, fn: never) => handlers.set(channel, fn) }
    const lab = memoryLab()
    registerIpc(ipcMain as never, lab.handlers, APP)
    return { handlers, lab }
  }
  const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } })

  it('handles exactly the contract channels', () => {
    expect([...register().handlers.keys()].sort()).toEqual([...channelNames].sort())
  })

  it('answers the app frame and refuses other frames without running the handler', async () => {
    const { handlers, lab } = register()
    const create = handlers.get('experiment:create')!
    expect(await create(frame(`${APP}#/`), { title: 'from the app' })).toMatchObject({ ok: true })
    for (const event of [
      frame('https://evil.example/'),
      frame(APP, { url: APP }),
      { senderFrame: null }
    ]) {
      expect(await create(event, { title: 'intruder' })).toMatchObject({
        ok: false,
        error: { code: 'unauthorized' }
      })
    }
    expect(lab.ctx.db.prepare('SELECT title FROM experiments').pluck().all()).toEqual([
      'from the app'
    ])
  })

  it('trusts the dev server origin only when the app runs from it', () => {
    const dev = 'http://localhost:5173/'
    expect(trustedSender(frame('http://localhost:5173/#/settings') as never, dev)).toBe(true)
    expect(trustedSender(frame('http://localhost:5174/') as never, dev)).toBe(false)
  })
})

describe('downloads on the desktop', () => {
  const tempDir = useTempDir()
  const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } })

  function register(choose: (fileName: string) => Promise<string | null>) {
    const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>()
    const ipcMain = { handle: (channel: string, fn: never) => handlers.set(channel, fn) }
    const lab = memoryLab()
    const asked: string[] = []
    registerDownloads(ipcMain as never, lab.downloads, APP, (fileName) => {
      asked.push(fileName)
      return choose(fileName)
    })
    return { download: handlers.get(DOWNLOAD_IPC)!, lab, asked }
  }

  it('asks where to save, then streams the export into that file', async () => {
    const path = join(tempDir(), 'chosen.json')
    const { download, lab, asked } = register(() => Promise.resolve(path))
    try {
      const { id } = lab.ctx.experiments.create({
        title: 'Desktop export',
        hypothesis: '',
        notes: '',
        tags: [],
        preset: null,
        scenario: null
      })
      expect(await download(frame(`${APP}#/`), 'bundle:export', { id })).toEqual({
        ok: true,
        data: { fileName: 'desktop-export.reclaimlab.json', saved: true, path }
      })
      expect(asked).toEqual(['desktop-export.reclaimlab.json'])
      expect(JSON.parse(readFileSync(path, 'utf8')).experiment.title).toBe('Desktop export')
    } finally {
      await lab.close()
    }
  })

  it('writes nothing when the dialog is cancelled, and asks nothing for a refused request', async () => {
    const { download, lab, asked } = register(() => Promise.resolve(null))
    try {
      const { id } = lab.ctx.experiments.create({
        title: 'Cancelled',
        hypothesis: '',
        notes: '',
        tags: [],
        preset: null,
        scenario: null
      })
      expect(await download(frame(`${APP}#/`), 'export:seriesCsv', { experimentId: id })).toEqual({
        ok: true,
        data: { fileName: 'cancelled-series.csv', saved: false, path: null }
      })
      expect(await download(frame('https://evil.example/'), 'bundle:export', { id })).toMatchObject(
        { ok: false, error: { code: 'unauthorized' } }
      )
      expect(
        await download(frame(`${APP}#/`), 'export:seriesCsv', { experimentId: 'x' })
      ).toMatchObject({ ok: false, error: { code: 'invalid' } })
      expect(await download(frame(`${APP}#/`), 'experiment:delete', { id })).toMatchObject({
        ok: false,
        error: { code: 'unknown_channel' }
      })
      expect(asked).toEqual(['cancelled-series.csv'])
    } finally {
      await lab.close()
    }
  })

  it("uses Electron's save dialog on the window, proposing the export's name", async () => {
    const calls: unknown[][] = []
    const answers = [
      { canceled: false, filePath: '/home/me/lab-series.csv' },
      { canceled: true, filePath: '' }
    ]
    const dialog = {
      showSaveDialog: (...args: unknown[]) => (calls.push(args), Promise.resolve(answers.shift()))
    }
    const window = { id: 1 }
    const choose = saveDialog(dialog as never, window as never)
    expect(await choose('lab-series.csv')).toBe('/home/me/lab-series.csv')
    expect(await choose('lab-series.csv')).toBeNull()
    expect(calls).toEqual([
      [window, { defaultPath: 'lab-series.csv' }],
      [window, { defaultPath: 'lab-series.csv' }]
    ])
    expect(existsSync('/home/me/lab-series.csv')).toBe(false)
  })
})

describe('application menu', () => {
  it('offers new experiment and search with their accelerators', () => {
    const sent: string[] = []
    const file = menuTemplate((c) => sent.push(c), false).find((m) => m.label === 'File')!
    const items = file.submenu as Array<{
      label?: string
      accelerator?: string
      click?: () => void
    }>
    const byLabel = Object.fromEntries(items.filter((i) => i.label).map((i) => [i.label, i]))
    expect(byLabel['New Experiment'].accelerator).toBe('CmdOrCtrl+N')
    expect(byLabel['Search Experiments'].accelerator).toBe('CmdOrCtrl+K')
    byLabel['New Experiment'].click!()
    byLabel['Search Experiments'].click!()
    expect(sent).toEqual(['new-experiment', 'focus-search'])
  })

  it('runs and compares the open experiment, leaving the keys to the page', () => {
    const sent: string[] = []
    const menu = menuTemplate((c) => sent.push(c), true).find((m) => m.label === 'Experiment')!
    const items = menu.submenu as Array<{ label: string; accelerator?: string; click: () => void }>
    expect(items.map((i) => [i.label, i.accelerator])).toEqual([
      ['Run Batch', undefined],
      ['Compare', undefined]
    ])
    for (const item of items) item.click()
    expect(sent).toEqual(['run-batch', 'compare'])
  })
})
