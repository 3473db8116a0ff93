import type { MenuItemConstructorOptions } from 'electron'

import type { Events } from '../shared/contract'

export type MenuCommand = Events['menu:command']['command']

/** The application menu; commands reach the renderer as the same shortcuts the web UI handles. */
export function menuTemplate(
  send: (command: MenuCommand) => void,
  isMac: boolean
): MenuItemConstructorOptions[] {
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'New Experiment',
          accelerator: 'CmdOrCtrl+N',
          click: () => send('new-experiment')
        },
        {
          label: 'Search Experiments',
          accelerator: 'CmdOrCtrl+K',
          click: () => send('focus-search')
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' }
      ]
    },
    {
      // No accelerators: the page handles Ctrl/⌘+Enter and Alt+C itself, with its own guards (an
      // open dialog, typing in a field); a menu accelerator could fire past them, or twice.
      label: 'Experiment',
      submenu: [
        { label: 'Run Batch', click: () => send('run-batch') },
        { label: 'Compare', click: () => send('compare') }
      ]
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' }
      ]
    },
    { role: 'windowMenu' }
  ]
}
