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
      nativeTheme: { shouldUseDarkColors: false }
    }
  }
})

vi.mock('electron', () => fake.electron)

import { registerIpc, trustedSender } from '../../src/main/ipc'
import { menuTemplate } from '../../src/main/menu'
import { createMainWindow } from '../../src/main/window'
import { channelNames } from '../../src/shared/contract'
import { memoryLab } from '../helpers/lab'

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
