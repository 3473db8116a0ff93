import { describe, expect, it } from 'vitest'
import { Worker } from 'node:worker_threads'
import { resolve } from 'node:path'
import type { WorkerMessage } from '../../src/sim/worker'

/** Starts src/sim/worker.ts in a worker thread, with tsx registered to load TypeScript. */
function startWorker(): Worker {
  const file = resolve(__dirname, '../../src/sim/worker.ts')
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)})`, { eval: true })
}

describe('worker adapter', () => {
  it('runs a scenario in a worker thread and streams progress, samples and the result', async () => {
    const w = startWorker()
    const msgs: WorkerMessage[] = []
    const done = new Promise<void>((res, rej) => {
      w.on('message', (m: WorkerMessage) => {
        msgs.push(m)
        if (m.type === 'result' || m.type === 'error') res()
      })
      w.on('error', rej)
    })
    w.postMessage({
      scenario: {
        device: {
          mem_mb_per_node: 128,
          cpus: [{ class: 'big', count: 2, speed: 1 }],
          swap: { type: 'zram', zram: { disksize_mb: 128 } }
        },
        workload: { type: 'memory_eater', eat_mb: 160 },
        duration_s: 1
      },
      seed: 3
    })
    await done
    await w.terminate()
    const last = msgs[msgs.length - 1]
    expect(last.type).toBe('result')
    if (last.type === 'result') expect(last.result.vmstat.pswpout).toBeGreaterThan(0)
    expect(msgs.filter((m) => m.type === 'progress').length).toBe(100)
    expect(msgs.some((m) => m.type === 'samples')).toBe(true)
  })
  it('reports a bad scenario as an error message naming the field', async () => {
    const w = startWorker()
    const m = await new Promise<WorkerMessage>((res, rej) => {
      w.on('message', res)
      w.on('error', rej)
      w.postMessage({
        scenario: { workload: { type: 'memory_eater' }, kernel: { vm: { swappiness: -1 } } }
      })
    })
    await w.terminate()
    expect(m).toMatchObject({ type: 'error' })
    if (m.type === 'error') expect(m.message).toMatch(/kernel\.vm\.swappiness/)
  })
})
