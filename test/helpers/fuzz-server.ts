/**
 * A serve-mode notebook in a process of its own, so a test can tell a hang or a crash from a slow
 * reply: `node --import tsx fuzz-server.ts DB_PATH STATIC_DIR` prints `{"port":N}` once listening.
 */
import { join } from 'node:path'
import { openLab } from '../../src/lab/lab'
import { startServer } from '../../src/lab/serve/server'

export const FUZZ_TOKEN = 'fuzz-token-0123456789abcdef'

async function serve(databasePath: string, staticDir: string): Promise<void> {
  const root = join(__dirname, '..', '..')
  const lab = openLab({
    databasePath,
    migrationsDir: join(root, 'migrations'),
    workerEntry: join(root, 'src', 'sim', 'worker.ts'),
    workers: 1,
    // Requests are checked as ever; no fuzzed request boots a kernel.
    kernelHost: { findTools: () => ({ missing: 'kernel runs are off in the fuzz server' }) }
  })
  const server = await startServer({
    handlers: lab.handlers,
    downloads: lab.downloads,
    events: lab.ctx.events,
    staticDir,
    token: FUZZ_TOKEN
  })
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`)
}

if (require.main === module) void serve(process.argv[2], process.argv[3])
