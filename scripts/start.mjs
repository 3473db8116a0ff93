// `npm start`: the desktop app where Electron can be had, serve mode in a browser where it cannot.
import { spawnSync } from 'node:child_process'
import { prepareElectron } from './prepare-electron.mjs'

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
const passthrough = process.argv.slice(2)

const prepared = prepareElectron()
let result
if (prepared.ok) {
  result = spawnSync(npx, ['electron-vite', 'preview'], { stdio: 'inherit' })
} else {
  console.log(
    `Desktop app unavailable: ${prepared.reason}. Starting serve mode instead; open the URL below in a browser.`
  )
  result = spawnSync(npm, ['run', '--silent', 'serve', '--', ...passthrough], { stdio: 'inherit' })
}
process.exit(result.status ?? 1)
