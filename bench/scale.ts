// Queue-mode throughput with 1 and 2 local `reclaim-lab worker` processes against a real
// redis-server on loopback (a benchmark, not a test): runs/s and the gain per added worker.
import { spawn, type ChildProcess } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { SimPool, type PoolListener } from '../src/lab/pool/sim-pool'
import { workerFactory } from '../src/lab/pool/worker-factory'
import { QueueExecutor } from '../src/lab/queue/queue-executor'
import { applySets, resolvePreset, SIMULATOR_VERSION } from '../src/sim'
import { hasRedisServer, startRedis } from '../test/helpers/redis'

const RUNS = Number(process.env.BENCH_RUNS ?? 16)
const scenario = applySets(resolvePreset('phone-8g-appswitch'), ['duration_s=30'])
const root = join(__dirname, '..')

function startWorkers(url: string, queue: string, n: number): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from({ length: n }, () => {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          'src/cli/index.ts',
          'worker',
          '--redis',
          url,
          '--queue',
          queue,
          '--concurrency',
          '1'
        ],
        { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] }
      )
      return new Promise<ChildProcess>((resolve) => {
        child.stderr!.on('data', (d: Buffer) => {
          if (d.toString().includes('at a time')) resolve(child)
        })
      })
    })
  )
}

/** Wall seconds from enqueueing `count` runs to the last result stored back. */
async function batch(
  executor: { submit: QueueExecutor['submit'] },
  done: Set<number>,
  first: number,
  count: number
) {
  const t0 = performance.now()
  for (let i = 0; i < count; i++)
    executor.submit({ runId: first + i, scenario, variant: 'baseline', seed: first + i })
  while ([...Array(count).keys()].some((i) => !done.has(first + i)))
    await new Promise((r) => setTimeout(r, 20))
  return (performance.now() - t0) / 1000
}

async function measure(url: string, n: number): Promise<number> {
  const queue = `bench-${n}`
  const workers = await startWorkers(url, queue, n)
  const done = new Set<number>()
  const listener: PoolListener = {
    started: () => {},
    progress: () => {},
    samples: () => {},
    done: (id) => done.add(id),
    failed: (id, message) => {
      throw new Error(`run ${id} failed: ${message}`)
    },
    cancelled: () => {}
  }
  const executor = new QueueExecutor({ url, queue, simulatorVersion: SIMULATOR_VERSION }, listener)
  await batch(executor, done, 1, n) // warm-up: worker threads started and compiled
  const seconds = await batch(executor, done, 1000, RUNS)
  await executor.close()
  for (const w of workers) w.kill('SIGTERM')
  const rate = RUNS / seconds
  console.log(
    `${n} worker${n === 1 ? ' ' : 's'}: ${RUNS} runs in ${seconds.toFixed(2)} s = ${rate.toFixed(2)} runs/s`
  )
  return rate
}

/** The same runs on this process's worker threads: what the machine itself gives per added CPU. */
async function measureLocal(n: number): Promise<number> {
  const done = new Set<number>()
  const pool = new SimPool(n, workerFactory(join(root, 'src', 'sim', 'worker.ts')), {
    started: () => {},
    progress: () => {},
    samples: () => {},
    done: (id) => done.add(id),
    failed: (id, message) => {
      throw new Error(`run ${id} failed: ${message}`)
    },
    cancelled: () => {}
  })
  await batch(pool, done, 1, n)
  const seconds = await batch(pool, done, 1000, RUNS)
  await pool.close()
  return RUNS / seconds
}

async function main(): Promise<void> {
  if (!hasRedisServer)
    throw new Error('bench:scale needs redis-server (apt-get install redis-server)')
  const redis = await startRedis()
  try {
    console.log(
      `queue mode, ${RUNS} runs of phone-8g-appswitch 30 s, ${availableParallelism()} CPUs`
    )
    const one = await measure(redis.url, 1)
    const two = await measure(redis.url, 2)
    console.log(
      `speed-up with 2 workers: ${(two / one).toFixed(2)}×; gain per added worker: ${((two - one) / one).toFixed(2)}× (goal ≥ 0.9)`
    )
    const [t1, t2] = [await measureLocal(1), await measureLocal(2)]
    console.log(
      `for reference, worker threads in one process: ${t1.toFixed(2)} → ${t2.toFixed(2)} runs/s, gain per added thread ${((t2 - t1) / t1).toFixed(2)}×`
    )
  } finally {
    await redis.stop()
  }
}

void main().then(
  () => process.exit(0),
  (err: Error) => {
    console.error(err.message)
    process.exit(1)
  }
)
