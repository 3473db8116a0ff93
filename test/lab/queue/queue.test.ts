import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../../src/lab/dispatch'
import { openLab, type Lab } from '../../../src/lab/lab'
import { workerFactory } from '../../../src/lab/pool/worker-factory'
import type { PoolListener } from '../../../src/lab/pool/sim-pool'
import { QueueExecutor } from '../../../src/lab/queue/queue-executor'
import { startQueueWorker, type QueueWorker } from '../../../src/lab/queue/queue-worker'
import type { Events } from '../../../src/shared/contract'
import { applySets, resolvePreset, runSimulationSync } from '../../../src/sim'
import { WORKER_ENTRY } from '../../helpers/lab'
import { hasRedisServer, startRedis, type RedisServer } from '../../helpers/redis'
import { MIGRATIONS_DIR, useTempDir } from '../../helpers/tmp'

const ROOT = join(__dirname, '..', '..', '..')
/** About 0.7 s of wall time per run: long enough to be killed in the middle of. */
const scenario = applySets(resolvePreset('phone-8g-appswitch'), ['duration_s=8'])

// CI (.ci/run) installs redis-server and asks for these tests never to be skipped.
const skip = !hasRedisServer && !process.env.RECLAIM_LAB_REQUIRE_REDIS
if (skip)
  console.warn('queue tests skipped: redis-server is not installed (apt-get install redis-server)')

async function call<T>(lab: Lab, channel: string, input?: unknown): Promise<T> {
  const reply = await dispatch(lab.handlers, channel, input)
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`)
  return reply.data as T
}

/** `reclaim-lab worker` as its own process; its log lines are collected. */
function spawnWorker(url: string): { child: ChildProcess; log: () => string } {
  let log = ''
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/index.ts',
      'worker',
      '--redis',
      url,
      '--concurrency',
      '1',
      '--lock-seconds',
      '2'
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] }
  )
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()))
  return { child, log: () => log }
}

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('queue settings', () => {
  it('refuses a queue without a URL and a URL that is not redis:// or rediss://', async () => {
    const lab = openLab({
      databasePath: ':memory:',
      migrationsDir: MIGRATIONS_DIR,
      workerEntry: WORKER_ENTRY,
      workers: 1
    })
    try {
      const noUrl = await dispatch(lab.handlers, 'settings:update', { runOn: 'queue' })
      expect(noUrl.ok || noUrl.error.message).toBe(
        'A Redis queue needs its URL: enter redis://host:port'
      )
      const http = await dispatch(lab.handlers, 'settings:update', {
        runOn: 'queue',
        redisUrl: 'http://example.com'
      })
      expect(http.ok || http.error.message).toMatch(/redisUrl.*expected redis:\/\//)
      expect(await call(lab, 'settings:get')).toMatchObject({ runOn: 'local', redisUrl: null })
    } finally {
      await lab.close()
    }
  })
})

describe.skipIf(skip)('queue mode on a real redis-server', () => {
  const tempDir = useTempDir()
  let redis: RedisServer
  const children: ChildProcess[] = []
  const closers: Array<() => Promise<unknown>> = []

  beforeAll(async () => {
    redis = await startRedis()
  })
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close()
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
  })
  afterAll(async () => {
    await redis?.stop()
  })

  it('runs a batch on two worker processes, one killed mid-run, storing every run once as locally', async () => {
    const workers = [spawnWorker(redis.url), spawnWorker(redis.url)]
    children.push(...workers.map((w) => w.child))
    const lab = openLab({
      databasePath: join(tempDir(), 'lab.sqlite'),
      migrationsDir: MIGRATIONS_DIR,
      workerEntry: WORKER_ENTRY,
      workers: 1
    })
    closers.push(() => lab.close())
    await call(lab, 'settings:update', { runOn: 'queue', redisUrl: redis.url })
    const { id: experimentId } = await call<{ id: number }>(lab, 'experiment:create', {
      title: 'q'
    })
    await call(lab, 'experiment:setScenario', {
      id: experimentId,
      preset: 'phone-8g-appswitch',
      scenario
    })
    const done = new Map<number, number>()
    lab.ctx.events.subscribe((name, payload) => {
      const p = payload as Events['run:progress']
      if (name === 'run:progress' && p.status === 'done')
        done.set(p.runId, (done.get(p.runId) ?? 0) + 1)
    })
    await until('both workers to connect', () =>
      workers.every((w) => w.log().includes('at a time'))
    )
    const { runIds } = await call<{ runIds: number[] }>(lab, 'run:start', {
      experimentId,
      variants: ['baseline', 'v2'],
      seeds: '1-4'
    })

    // Kill the first worker once it has finished a run and started the next.
    const [victim] = workers
    await until(
      'a worker in its second run',
      () => (victim.log().match(/: started/g) ?? []).length >= 2
    )
    victim.child.kill('SIGKILL')
    const startedLines = victim.log().match(/: started/g)!.length
    const doneLines = (victim.log().match(/: done in/g) ?? []).length
    expect(startedLines).toBeGreaterThan(doneLines)

    await until('every run done', () => runIds.every((id) => done.has(id)), 40_000)
    const runs = await call<Array<{ id: number; status: string; seed: number; variant: string }>>(
      lab,
      'run:list',
      { experimentId }
    )
    expect(runs.map((r) => r.status)).toEqual(runIds.map(() => 'done'))
    expect([...done.values()]).toEqual(runIds.map(() => 1))
    for (const run of runs) {
      const detail = await call<{ result: unknown }>(lab, 'run:get', { id: run.id })
      const local = runSimulationSync(scenario, {}, { seed: run.seed, variant: run.variant })
      expect(detail.result, `${run.variant} seed ${run.seed}`).toEqual(
        JSON.parse(JSON.stringify(local))
      )
      const series = await call<{ t_s: number[] }>(lab, 'run:series', { id: run.id })
      expect(series.t_s.length).toBeGreaterThan(0)
    }
    // The survivor took up the killed worker's run.
    expect(workers[1].log()).toMatch(/: started/)
  }, 60_000)

  function listen(): PoolListener & { log: string[] } {
    const log: string[] = []
    return {
      log,
      started: (id) => log.push(`started ${id}`),
      progress: () => {},
      samples: () => {},
      done: (id) => log.push(`done ${id}`),
      failed: (id, message) => log.push(`failed ${id}: ${message}`),
      cancelled: (id) => log.push(`cancelled ${id}`)
    }
  }

  function worker(): QueueWorker {
    const w = startQueueWorker({
      url: redis.url,
      queue: 'versions',
      concurrency: 1,
      createWorker: workerFactory(WORKER_ENTRY),
      log: () => {}
    })
    closers.push(() => w.close())
    return w
  }

  it('a worker of another simulator version refuses the run, naming both versions', async () => {
    await worker().ready
    const listener = listen()
    const executor = new QueueExecutor(
      { url: redis.url, queue: 'versions', simulatorVersion: '0.0.0-other' },
      listener
    )
    closers.push(() => executor.close())
    executor.submit({ runId: 7, scenario, variant: 'baseline', seed: 1 })
    await until('the refusal', () => listener.log.some((l) => l.startsWith('failed 7')))
    const refusal = listener.log.find((l) => l.startsWith('failed 7'))!
    expect(refusal).toMatch(/needs 0\.0\.0-other: refused/)
    expect(listener.log).not.toContain('done 7')
  }, 30_000)

  it('cancels a run a worker is running, which frees that worker', async () => {
    await worker().ready
    const listener = listen()
    const executor = new QueueExecutor(
      {
        url: redis.url,
        queue: 'versions',
        simulatorVersion: (await import('../../../src/sim')).SIMULATOR_VERSION
      },
      listener
    )
    closers.push(() => executor.close())
    const long = applySets(resolvePreset('phone-8g-appswitch'), ['duration_s=3000'])
    executor.submit({ runId: 8, scenario: long, variant: 'baseline', seed: 1 })
    await until('the run to start', () => listener.log.includes('started 8'))
    expect(executor.cancel(8)).toBe(true)
    expect(listener.log).toContain('cancelled 8')
    expect(executor.running + executor.queued).toBe(0)
    // The worker's one slot is free again: the cancelled run no longer occupies it.
    executor.submit({ runId: 9, scenario, variant: 'baseline', seed: 1 })
    await until('the next run', () => listener.log.includes('done 9'), 15_000)
  }, 30_000)
})
