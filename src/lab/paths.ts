import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'

/**
 * The folder holding package.json and migrations/, found by walking up from this module: the same
 * code runs from src/ (tsx, vitest), out/main (electron-vite) and app.asar (packaged).
 */
export function packageRoot(start: string = __dirname): string {
  let dir = start
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) return dir
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`Cannot find the Reclaim Lab package root above ${start}`)
    dir = parent
  }
}

export function migrationsDir(root: string = packageRoot()): string {
  return join(root, 'migrations')
}

/** Where serve mode keeps the notebook (see store/location.ts): the XDG data folder, or the platform's own. */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform
): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Reclaim Lab')
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Reclaim Lab')
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'reclaim-lab')
}

/**
 * Where kernel runs keep what they build (the guest's initramfs) and KVM's verdict: the XDG cache
 * folder, or the platform's own.
 */
export function defaultCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform
): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'Reclaim Lab')
  if (platform === 'win32')
    return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'Reclaim Lab', 'Cache')
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'reclaim-lab')
}
