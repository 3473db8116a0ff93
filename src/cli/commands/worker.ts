import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { packageRoot } from '../../lab/paths'
import { workerFactory } from '../../lab/pool/worker-factory'
import { checkRedisUrl } from '../../lab/queue/protocol'
import { startQueueWorker } from '../../lab/queue/queue-worker'
import { lastFlag, parseArgs } from '../args'
import { UsageError, type CliIO } from '../io'

export const workerUsage =
  'reclaim-lab worker --redis URL [--concurrency N] [--queue NAME] [--lock-seconds S]'

function positiveInt(name: string, text: string | undefined, fallback: number, max: number) {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new UsageError(`--${name} must be a whole number from 1 to ${max}, got ${text}`)
  return n
}

/**
 * `reclaim-lab worker`: runs notebook runs taken from a Redis queue, N at a time (one per CPU by
 * default), until interrupted. Runs it had started are taken up by another worker.
 */
export async function workerCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args, ['redis', 'concurrency', 'queue', 'lock-seconds'])
  if (parsed.positional.length) throw new UsageError(`unexpected argument ${parsed.positional[0]}`)
  const url = lastFlag(parsed, 'redis') ?? process.env.RECLAIM_LAB_REDIS
  if (!url) throw new UsageError(`--redis URL is required (or RECLAIM_LAB_REDIS)\n${workerUsage}`)
  try {
    checkRedisUrl(url)
  } catch (err) {
    throw new UsageError(`--redis ${(err as Error).message}`)
  }
  const concurrency = positiveInt(
    'concurrency',
    lastFlag(parsed, 'concurrency'),
    availableParallelism(),
    256
  )
  const lockSeconds = positiveInt('lock-seconds', lastFlag(parsed, 'lock-seconds'), 30, 3600)
  const worker = startQueueWorker({
    url,
    queue: lastFlag(parsed, 'queue'),
    concurrency,
    createWorker: workerFactory(join(packageRoot(), 'src', 'sim', 'worker.ts')),
    lockMs: lockSeconds * 1000,
    log: (line) => io.stderr(`${line}\n`)
  })
  await worker.ready
  await new Promise<void>((done) => {
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
  await worker.close()
  return 0
}
