import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The better-sqlite3 binding built for Electron's ABI: shipped under resources/native when packaged,
 * prepared into native/electron/ by scripts/prepare-electron.mjs in a checkout.
 */
export function electronNativeBinding(
  isPackaged: boolean,
  resourcesPath: string,
  root: string
): string {
  const file = isPackaged
    ? join(resourcesPath, 'native', 'better_sqlite3.node')
    : join(root, 'native', 'electron', 'better_sqlite3.node')
  if (!existsSync(file)) {
    throw new Error(
      `The Electron build of better-sqlite3 is missing at ${file}: run \`npm start\` or \`npm run dev\`, which prepare it.`
    )
  }
  return file
}
