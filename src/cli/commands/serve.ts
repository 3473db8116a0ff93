import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { openLab } from '../../lab/lab'
import { defaultDataDir, migrationsDir, packageRoot } from '../../lab/paths'
import { openNotebookIn } from '../../lab/store/location'
import { startServer } from '../../lab/serve/server'
import { lastFlag, parseArgs } from '../args'
import { UsageError, type CliIO } from '../io'

/** Whether 127.0.0.1:port can be listened on now (0 always can). */
function portFree(port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(true)
  return new Promise((done) => {
    const probe = createServer()
    probe.once('error', () => done(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)))
  })
}

/** Serves the notebook on 127.0.0.1 until interrupted; prints the URL (with its token) to open. */
export async function serveCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args, ['port', 'db', 'accel'])
  if (parsed.positional.length) throw new UsageError(`unexpected argument ${parsed.positional[0]}`)
  const accel = lastFlag(parsed, 'accel')
  if (accel !== undefined && accel !== 'kvm' && accel !== 'tcg')
    throw new UsageError(`--accel ${accel}: expected kvm or tcg (kernel runs' accelerator)`)
  const portText = lastFlag(parsed, 'port')
  const port = portText === undefined ? null : Number(portText)
  if (port !== null && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, got ${portText}`)
  }
  // Before the notebook is opened: a serve that cannot listen must not touch it.
  if (port !== null && !(await portFree(port))) {
    io.stderr(
      `Port ${port} on 127.0.0.1 is in use (another serve, or another program): choose another ` +
        'with --port, or --port 0 for a free one.\n'
    )
    return 1
  }
  const root = packageRoot()
  const staticDir = join(root, 'out', 'web')
  if (!existsSync(join(staticDir, 'index.html'))) {
    io.stderr(
      `The notebook UI is not built in ${staticDir}: run \`npm run build:web\` (npm run serve does).\n`
    )
    return 1
  }
  // --db names the file for this launch; without it, the one chosen in Settings (or the default).
  const named = lastFlag(parsed, 'db')
  const dataDir = defaultDataDir()
  const open = (databasePath: string) =>
    openLab({
      databasePath,
      dataDir: named ? undefined : dataDir,
      migrationsDir: migrationsDir(root),
      workerEntry: join(root, 'src', 'sim', 'worker.ts'),
      warmWorkers: true,
      accel
    })
  const lab = named ? open(resolve(named)) : openNotebookIn(dataDir, open)
  const databasePath = lab.ctx.databasePath
  // Without --port, the port this notebook was last served on: an open tab, a bookmark and an SSH
  // forward keep pointing at it across restarts. Taken by something else, any free port does.
  const remembered = port === null ? lab.ctx.settings.servePort() : null
  const serve = (on: number) =>
    startServer({
      handlers: lab.handlers,
      downloads: lab.downloads,
      events: lab.ctx.events,
      staticDir,
      port: on
    })
  let server: Awaited<ReturnType<typeof startServer>>
  try {
    server = await (remembered !== null && (await portFree(remembered))
      ? serve(remembered).catch(() => serve(0))
      : serve(port ?? 0))
  } catch (err) {
    await lab.close()
    throw err
  }
  if (remembered !== null && server.port !== remembered)
    io.stdout(`Port ${remembered}, this notebook's last, is taken: serving on ${server.port}.\n`)
  lab.ctx.settings.rememberServePort(server.port)
  io.stdout(`Reclaim Lab notebook: ${databasePath}\n`)
  io.stdout(`Open ${server.url}\n`)
  await new Promise<void>((done) => {
    const stop = () => done()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await server.close()
  await lab.close()
  return 0
}
