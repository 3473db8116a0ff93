#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `reclaim-lab` works straight after `npm install`.
require('tsx/cjs/api').register()
const { main } = require('../src/cli/index.ts')

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
