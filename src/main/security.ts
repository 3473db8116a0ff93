/**
 * Decides which URLs the renderer may be at: the bundled index.html (file://) in a packaged or
 * built app, or the dev server origin under `electron-vite dev`. Everything else is foreign.
 */
export function isAppUrl(url: string, appEntry: string): boolean {
  let target: URL
  let entry: URL
  try {
    target = new URL(url)
    entry = new URL(appEntry)
  } catch {
    return false
  }
  if (entry.protocol === 'file:')
    return target.protocol === 'file:' && target.pathname === entry.pathname
  return target.origin === entry.origin
}

/** The URLs the app's pages live at, as a glob for session preload registration. */
export function appUrlGlob(appEntry: string): string {
  const entry = new URL(appEntry)
  return entry.protocol === 'file:' ? `file://${entry.pathname}*` : `${entry.origin}/*`
}
