#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `reclaim-lab` works straight after `npm install`.
const { spawnSync } = require('node:child_process')
const { join } = require('node:path')

const tsx = require.resolve('tsx/cli')
const cli = join(__dirname, '..', 'src', 'cli', 'index.ts')
const result = spawnSync(process.execPath, [tsx, cli, ...process.argv.slice(2)], {
  stdio: 'inherit'
})
process.exitCode = result.status ?? 1
