import { app, BrowserWindow, ipcMain, Menu, dialog } from 'electron'
import { join } from 'node:path'
import { forwardEvents, registerDownloads, registerIpc, saveDialog } from './ipc'
import { openLab, type Lab } from '../lab/lab'
import { menuTemplate, type MenuCommand } from './menu'
import { electronNativeBinding } from './native'
import { migrationsDir, packageRoot } from '../lab/paths'
import { openNotebookIn } from '../lab/store/location'
import { createMainWindow } from './window'

const appEntry =
  process.env.ELECTRON_RENDERER_URL ?? `file://${join(__dirname, '../renderer/index.html')}`
let lab: Lab | undefined

if (!app.requestSingleInstanceLock()) app.quit()

app.on('second-instance', () => {
  const window = BrowserWindow.getAllWindows()[0]
  if (window?.isMinimized()) window.restore()
  window?.focus()
})

app.enableSandbox()

void app.whenReady().then(() => {
  const root = packageRoot(app.getAppPath())
  const dataDir = app.getPath('userData')
  try {
    lab = openNotebookIn(dataDir, (databasePath) =>
      openLab({
        databasePath,
        dataDir,
        migrationsDir: migrationsDir(root),
        workerEntry: join(__dirname, 'sim-worker.js'),
        warmWorkers: true,
        nativeBinding: electronNativeBinding(app.isPackaged, process.resourcesPath, root)
      })
    )
  } catch (err) {
    dialog.showErrorBox('Reclaim Lab cannot open its notebook', (err as Error).message)
    app.exit(1)
    return
  }
  registerIpc(ipcMain, lab.handlers, appEntry)
  const window = createMainWindow(appEntry)
  registerDownloads(ipcMain, lab.downloads, appEntry, saveDialog(dialog, window))
  forwardEvents(lab.ctx.events, window.webContents)
  const send = (command: MenuCommand) => lab?.ctx.events.emit('menu:command', { command })
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(send, process.platform === 'darwin')))
})

app.on('window-all-closed', () => app.quit())
app.on('will-quit', () => void lab?.close())
