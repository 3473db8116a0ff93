import { compressToEncodedURIComponent } from 'lz-string'
import { afterEach, describe, expect, it } from 'vitest'
import { envelopeChecksum } from '../../../src/lab/bundle/share-code'
import { dispatch } from '../../../src/lab/dispatch'
import type { Lab } from '../../../src/lab/lab'
import type { Events } from '../../../src/shared/contract'
import { applySets, resolvePreset } from '../../../src/sim'
import { MAX_SAMPLES_PER_SERIES } from '../../../src/shared/scenario/schema'
import { memoryLab } from '../../helpers/lab'

async function call<T>(lab: Lab, channel: string, input?: unknown): Promise<T> {
  const reply = await dispatch(lab.handlers, channel, input)
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`)
  return reply.data as T
}

const eater = (...sets: string[]) => applySets(resolvePreset('single-cpu'), sets)

describe('scenarios within the limits, and only those', () => {
  let lab: Lab | undefined
  afterEach(async () => {
    await lab?.close()
    lab = undefined
  })

  it('refuses a day sampled every millisecond, naming the field and the interval that fits', async () => {
    lab = memoryLab()
    const { id } = await call<{ id: number }>(lab, 'experiment:create', { title: 'limits' })
    const reply = await dispatch(lab.handlers, 'experiment:setScenario', {
      id,
      preset: null,
      scenario: eater('duration_s=86400', 'sample_interval_ms=1')
    })
    expect(reply.ok).toBe(false)
    expect(!reply.ok && reply.error.issues?.[0]).toEqual({
      path: 'scenario.sample_interval_ms',
      message:
        'gives 86400000 samples per series over duration_s=86400; at most 100000 (use 864 ms or more)'
    })
    // The same day at 864 ms is accepted.
    await call(lab, 'experiment:setScenario', {
      id,
      preset: null,
      scenario: eater('duration_s=86400', 'sample_interval_ms=864')
    })
  })

  it('setScenario makes the cross-field checks run:start makes', async () => {
    lab = memoryLab()
    const { id } = await call<{ id: number }>(lab, 'experiment:create', { title: 'limits' })
    const reply = await dispatch(lab.handlers, 'experiment:setScenario', {
      id,
      preset: null,
      scenario: eater('device.mem_mb_per_node=256', 'device.reserved_mb=250')
    })
    expect(!reply.ok && reply.error.issues?.[0]).toEqual({
      path: 'scenario.device.reserved_mb',
      message: 'leaves less than 16 MiB of managed memory per node'
    })
  })

  it('refuses a share code carrying a scenario over the sample limit', async () => {
    lab = memoryLab()
    const body = {
      v: 1,
      preset: null,
      scenario: eater('duration_s=86400', 'sample_interval_ms=1')
    }
    const code = `rl1-${compressToEncodedURIComponent(JSON.stringify({ ...body, sum: envelopeChecksum(body) }))}`
    const reply = await dispatch(lab.handlers, 'share:import', { code })
    expect(!reply.ok && reply.error.issues?.map((i) => i.path)).toEqual(['sample_interval_ms'])
  })

  it('runs the largest scenarios the limits allow with the main process under 1 GB', async () => {
    lab = memoryLab()
    let peakRss = 0
    let peakHeap = 0
    const watch = setInterval(() => {
      const m = process.memoryUsage()
      peakRss = Math.max(peakRss, m.rss)
      peakHeap = Math.max(peakHeap, m.heapUsed)
    }, 20)
    const mostSamples = eater(
      'duration_s=100',
      `sample_interval_ms=${100_000 / MAX_SAMPLES_PER_SERIES}`,
      'device.mem_mb_per_node=256'
    )
    const mostMemory = applySets(resolvePreset('memory-eater'), [
      'duration_s=2',
      'device.nodes=4',
      'device.mem_mb_per_node=16384'
    ])
    const runIds: number[] = []
    for (const scenario of [mostSamples, mostMemory]) {
      const { id } = await call<{ id: number }>(lab, 'experiment:create', { title: 'largest' })
      await call(lab, 'experiment:setScenario', { id, preset: null, scenario })
      const started = await call<{ runIds: number[] }>(lab, 'run:start', {
        experimentId: id,
        variants: ['baseline'],
        seeds: '1'
      })
      runIds.push(...started.runIds)
    }
    await new Promise<void>((resolve) => {
      const pending = new Set(runIds)
      lab!.ctx.events.subscribe((name, payload) => {
        const p = payload as Events['run:progress']
        if (name === 'run:progress' && p.status !== 'running') pending.delete(p.runId)
        if (!pending.size) resolve()
      })
    })
    clearInterval(watch)
    const statuses = await Promise.all(
      runIds.map((id) => call<{ status: string }>(lab!, 'run:get', { id }))
    )
    expect(statuses.map((s) => s.status)).toEqual(['done', 'done'])
    const series = await call<{ t_s: number[] }>(lab, 'run:series', { id: runIds[0] })
    expect(series.t_s).toHaveLength(MAX_SAMPLES_PER_SERIES)
    expect(peakRss).toBeLessThan(1024 ** 3)
    expect(peakHeap).toBeLessThan(512 * 1024 ** 2)
  }, 60_000)
})
