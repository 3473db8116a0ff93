import { BrowserWindow, nativeTheme, shell, type Session, type WebContents } from 'electron'
import { join } from 'node:path'
import { PERFETTO_UI } from '../shared/perfetto'
import { appUrlGlob, isAppUrl } from './security'

export const WINDOW_OPTIONS = {
  width: 1440,
  height: 900,
  minWidth: 960,
  minHeight: 600,
  show: false,
  title: 'Reclaim Lab',
  autoHideMenuBar: false
} as const

/**
 * The `lab` bridge is a session preload limited to the app's own pages, so a frame at any other URL
 * never gets it.
 */
export function registerBridge(session: Session, preloadPath: string, appEntry: string): void {
  session.registerPreloadScript({
    type: 'frame',
    id: 'reclaim-lab-bridge',
    filePath: preloadPath,
    includeGlobs: [appUrlGlob(appEntry)]
  })
}

/**
 * Denies every permission request (camera, notifications, clipboard reading, …) except writing text
 * to the clipboard from the app's own pages, which "Copy share code" and "Copy table" need.
 */
export function guardPermissions(session: Session, appEntry: string): void {
  const allowed = (permission: string, url: string | undefined) =>
    permission === 'clipboard-sanitized-write' && url !== undefined && isAppUrl(url, appEntry)
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(allowed(permission, details?.requestingUrl))
  )
  // A check names only the origin, and file:// origins are all alike: ask the page itself.
  session.setPermissionCheckHandler((contents, permission) =>
    allowed(permission, contents?.getURL())
  )
}

/**
 * No navigation away from the app and no new windows: the notebook never shows remote content. The
 * Perfetto UI link alone opens, in the system browser, exactly as written.
 */
export function guardNavigation(contents: WebContents, appEntry: string): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appEntry)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appEntry)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    // A literal, so the static checker (electronegativity) sees exactly what may open.
    if (url === PERFETTO_UI) void shell.openExternal('https://ui.perfetto.dev/')
    return { action: 'deny' }
  })
}

export function createMainWindow(
  appEntry: string,
  preloadPath = join(__dirname, '../preload/index.js')
): BrowserWindow {
  const window = new BrowserWindow({
    ...WINDOW_OPTIONS,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#16181d' : '#ffffff',
    // Spelled out here rather than built elsewhere so static checkers (electronegativity) can see it.
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick'
    }
  })
  registerBridge(window.webContents.session, preloadPath, appEntry)
  guardPermissions(window.webContents.session, appEntry)
  guardNavigation(window.webContents, appEntry)
  window.once('ready-to-show', () => window.show())
  void window.loadURL(appEntry)
  return window
}
