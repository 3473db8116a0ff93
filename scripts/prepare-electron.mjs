// Makes the desktop app runnable: fetches the Electron binary (electron >= 42 no longer does it on
// install) and builds better-sqlite3 for Electron's ABI into native/electron/, leaving node_modules'
// Node build alone for tests, the CLI and serve mode. Run before start, dev and dist; never on install.
import { spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const nativeDir = join(root, 'native', 'electron')
const bindingPath = join(nativeDir, 'better_sqlite3.node')
const stampPath = join(nativeDir, 'electron-version.txt')

function quiet(cmd, args, options = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options })
}

function lastLine(text) {
  const lines = (text || '').trim().split('\n').filter(Boolean)
  const error = lines.find((l) => /Error:|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|fetch failed/.test(l))
  return (error ?? lines.at(-1) ?? 'no output').trim()
}

function fetchElectron() {
  const result = quiet(process.execPath, [require.resolve('electron/install.js')])
  if (result.status === 0) return { ok: true }
  return {
    ok: false,
    reason: `the Electron binary could not be downloaded (${lastLine(result.stderr)})`
  }
}

/** node-gyp must not see this machine's npm `nodedir`, or it builds against Node's headers. */
function buildEnv() {
  const env = { ...process.env }
  for (const key of Object.keys(env)) if (/^npm_config_/i.test(key)) delete env[key]
  return env
}

function buildBinding(electronVersion) {
  if (
    existsSync(bindingPath) &&
    existsSync(stampPath) &&
    readFileSync(stampPath, 'utf8') === electronVersion
  ) {
    return { ok: true }
  }
  const work = mkdtempSync(join(tmpdir(), 'reclaim-lab-sqlite-'))
  try {
    const source = dirname(require.resolve('better-sqlite3/package.json'))
    const pkg = join(work, 'better-sqlite3')
    cpSync(source, pkg, { recursive: true, filter: (p) => !p.includes(`${join(source, 'build')}`) })
    const env = buildEnv()
    const target = ['--runtime=electron', `--target=${electronVersion}`, `--arch=${process.arch}`]
    let result = quiet(process.execPath, [require.resolve('prebuild-install/bin.js'), ...target], {
      cwd: pkg,
      env
    })
    if (result.status !== 0) {
      const gyp = require.resolve('node-gyp/bin/node-gyp.js')
      result = quiet(
        process.execPath,
        [gyp, 'rebuild', '--release', ...target, '--dist-url=https://electronjs.org/headers'],
        { cwd: pkg, env }
      )
    }
    const built = join(pkg, 'build', 'Release', 'better_sqlite3.node')
    if (result.status !== 0 || !existsSync(built)) {
      return {
        ok: false,
        reason: `better-sqlite3 could not be built for Electron ${electronVersion} (${lastLine(result.stderr || result.stdout)})`
      }
    }
    mkdirSync(nativeDir, { recursive: true })
    cpSync(built, bindingPath)
    writeFileSync(stampPath, electronVersion)
    return { ok: true }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

export function prepareElectron() {
  const electronVersion = require('electron/package.json').version
  const fetched = fetchElectron()
  if (!fetched.ok) return fetched
  return buildBinding(electronVersion)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = prepareElectron()
  if (!result.ok) {
    console.error(`Cannot prepare the desktop app: ${result.reason}.`)
    process.exit(1)
  }
}
