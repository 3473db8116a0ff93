// Runs a TypeScript worker entry through tsx: serve mode from source and the tests use this;
// the desktop app runs the bundled out/main/sim-worker.js directly.
require('tsx/cjs/api').register()
require(require('node:worker_threads').workerData.entry)
