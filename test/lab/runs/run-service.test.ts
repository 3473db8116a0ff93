import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../../src/lab/dispatch'
import { openLab, type Lab } from '../../../src/lab/lab'
import type { Events } from '../../../src/shared/contract'
import { applySets, resolvePreset, runSimulationSync } from '../../../src/sim'
import { memoryLab, WORKER_ENTRY } from '../../helpers/lab'
import { MIGRATIONS_DIR, useTempDir } from '../../helpers/tmp'

async function call<T>(lab: Lab, channel: string, input?: unknown): Promise<T> {
  const reply = await dispatch(lab.handlers, channel, input)
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`)
  return reply.data as T
}

function waitFor(lab: Lab, runIds: number[], status: string): Promise<void> {
  const pending = new Set(runIds)
  return new Promise((resolve) => {
    const off = lab.ctx.events.subscribe((name, payload) => {
      const p = payload as Events['run:progress']
      if (name === 'run:progress' && p.status === status) pending.delete(p.runId)
      if (!pending.size) {
        off()
        resolve()
      }
    })
  })
}

const short = (seconds: number) => applySets(resolvePreset('single-cpu'), [`duration_s=${seconds}`])
/** Minutes of wall time: the phone's app switching goes on for the whole duration, unlike
 * single-cpu's eater, which is done within seconds of wall time whatever the duration. */
const long = () => applySets(resolvePreset('phone-8g-appswitch'), ['duration_s=3000'])

async function experimentWith(lab: Lab, scenario: unknown, preset = 'single-cpu'): Promise<number> {
  const { id } = await call<{ id: number }>(lab, 'experiment:create', { title: 'runs' })
  await call(lab, 'experiment:setScenario', { id, preset, scenario })
  return id
}

describe('runs through the pool', () => {
  const tempDir = useTempDir()
  let lab: Lab | undefined
  afterEach(async () => {
    await lab?.close()
    lab = undefined
  })

  it('runs variants × seeds, stores results equal to a direct run, series and key metrics', async () => {
    lab = memoryLab()
    const experimentId = await experimentWith(lab, short(2))
    const queue: Array<Events['queue:changed']> = []
    lab.ctx.events.subscribe((name, payload) => {
      if (name === 'queue:changed') queue.push(payload as Events['queue:changed'])
    })
    const started = await call<{ batchId: number; runIds: number[] }>(lab, 'run:start', {
      experimentId,
      variants: ['baseline'],
      seeds: '1-2'
    })
    expect(started.runIds).toHaveLength(2)
    await waitFor(lab, started.runIds, 'done')
    // The queue's and the batch's fractions only grow while the batch runs, and it ends idle.
    const busy = queue.slice(0, -1)
    for (let i = 1; i < busy.length; i++) {
      expect(busy[i].fraction).toBeGreaterThanOrEqual(busy[i - 1].fraction)
      expect(busy[i].batches[0].fraction).toBeGreaterThanOrEqual(busy[i - 1].batches[0].fraction)
    }
    expect(busy[0].batches).toMatchObject([{ batchId: started.batchId, experimentId, runs: 2 }])
    expect(queue.at(-1)).toMatchObject({ fraction: 1, etaS: 0, batches: [] })
    const runs = await call<Array<{ id: number; seed: number; status: string; metrics: unknown }>>(
      lab,
      'run:list',
      {
        experimentId
      }
    )
    expect(runs.map((r) => [r.seed, r.status])).toEqual([
      [1, 'done'],
      [2, 'done']
    ])
    const detail = await call<{ result: unknown; scenario: unknown }>(lab, 'run:get', {
      id: started.runIds[1]
    })
    const direct = runSimulationSync(short(2), {}, { seed: 2, variant: 'baseline' })
    expect(detail.result).toEqual(JSON.parse(JSON.stringify(direct)))
    expect(runs[1].metrics).toEqual({
      allocstall: direct.derived.allocstall,
      pgsteal_anon_per_s: direct.derived.pgsteal_anon_per_s,
      psi_some_avg10: direct.psi.some.avg10,
      alloc_p99_us: direct.derived.alloc_slowpath_p99_us,
      kswapd_cpu_pct: direct.derived.kswapd_cpu_pct
    })
    const series = await call<{ t_s: number[]; series: Record<string, number[]> }>(
      lab,
      'run:series',
      {
        id: started.runIds[0]
      }
    )
    expect(series.t_s).toHaveLength(20)
    expect(series.series.nr_free_pages).toHaveLength(20)
    expect(series.series.pswpout.at(-1)).toBe(
      (
        await call<{ result: { vmstat: Record<string, number> } }>(lab, 'run:get', {
          id: started.runIds[0]
        })
      ).result.vmstat.pswpout
    )
  })

  it('refuses an out-of-range knob or unknown variant before storing any run', async () => {
    lab = memoryLab()
    const experimentId = await experimentWith(lab, short(1))
    const badKnob = await dispatch(lab.handlers, 'experiment:setScenario', {
      id: experimentId,
      preset: null,
      scenario: { ...(short(1) as object), duration_s: -1 }
    })
    expect(!badKnob.ok && badKnob.error.issues?.[0].path).toBe('scenario.duration_s')
    const badVariant = await dispatch(lab.handlers, 'run:start', {
      experimentId,
      variants: ['baseline', 'v9'],
      seeds: '1-3'
    })
    expect(!badVariant.ok && badVariant.error.issues?.[0].path).toBe('variants.1')
    const badSeeds = await dispatch(lab.handlers, 'run:start', {
      experimentId,
      variants: ['baseline'],
      seeds: '3-1'
    })
    expect(!badSeeds.ok && badSeeds.error.issues?.[0]).toEqual({
      path: 'seeds',
      message: '"3-1" must be increasing'
    })
    expect(await call<unknown[]>(lab, 'run:list', { experimentId })).toEqual([])
  })

  it('expands a sweep into one run per point with the knob applied', async () => {
    lab = memoryLab()
    const experimentId = await experimentWith(lab, short(1))
    const started = await call<{ runIds: number[] }>(lab, 'run:start', {
      experimentId,
      variants: ['baseline'],
      seeds: [1],
      sweep: [{ knob: 'kernel.vm.swappiness', values: [0, 200] }]
    })
    await waitFor(lab, started.runIds, 'done')
    const details = await Promise.all(
      started.runIds.map((id) =>
        call<{ sweepPoint: object; scenario: { kernel: { vm: { swappiness: number } } } }>(
          lab!,
          'run:get',
          { id }
        )
      )
    )
    expect(details.map((d) => [d.sweepPoint, d.scenario.kernel.vm.swappiness])).toEqual([
      [{ 'kernel.vm.swappiness': 0 }, 0],
      [{ 'kernel.vm.swappiness': 200 }, 200]
    ])
  })

  it('cancels a batch, and marks runs cut by a quit as interrupted at the next start', async () => {
    const path = join(tempDir(), 'notebook.sqlite')
    const options = {
      databasePath: path,
      migrationsDir: MIGRATIONS_DIR,
      workerEntry: WORKER_ENTRY,
      workers: 1
    }
    lab = openLab(options)
    const experimentId = await experimentWith(lab, long(), 'phone-8g-appswitch')
    const first = await call<{ batchId: number; runIds: number[] }>(lab, 'run:start', {
      experimentId,
      variants: ['baseline'],
      seeds: '1-2'
    })
    const cancelled = waitFor(lab, first.runIds, 'cancelled')
    expect(await call(lab, 'run:cancel', { batchId: first.batchId })).toEqual({ cancelled: 2 })
    await cancelled
    const second = await call<{ runIds: number[] }>(lab, 'run:start', {
      experimentId,
      variants: ['baseline'],
      seeds: '3'
    })
    await expect
      .poll(
        async () =>
          (await call<Array<{ status: string }>>(lab!, 'run:list', { experimentId }))[2].status
      )
      .toBe('running')
    await lab.close() // as a quit would, with the run unfinished
    lab = openLab(options)
    const after = await call<Array<{ id: number; status: string; error: string | null }>>(
      lab,
      'run:list',
      {
        experimentId
      }
    )
    expect(after.map((r) => r.status)).toEqual(['cancelled', 'cancelled', 'interrupted'])
    expect(after[2].id).toBe(second.runIds[0])
    expect(after[2].error).toBe('The app stopped before this run finished.')
  })

  it('answers a running run’s series with the samples sent so far, growing', async () => {
    lab = memoryLab()
    const experimentId = await experimentWith(lab, long(), 'phone-8g-appswitch')
    const { runIds } = await call<{ runIds: number[] }>(lab, 'run:start', {
      experimentId,
      variants: ['baseline'],
      seeds: '1'
    })
    const [id] = runIds
    type Series = { t_s: number[]; series: Record<string, number[]> }
    const samples = async () =>
      (await call<Series>(lab!, 'run:series', { id, names: ['nr_free_pages'] })).t_s.length
    await expect.poll(samples, { timeout: 30_000 }).toBeGreaterThan(0)
    const first = await call<Series>(lab, 'run:series', { id, names: ['nr_free_pages'] })
    // Batches of 50 samples every 0.1 s of simulated time, in step with each other.
    expect(first.t_s.length % 50).toBe(0)
    expect(first.series.nr_free_pages).toHaveLength(first.t_s.length)
    expect(first.t_s.slice(0, 3)).toEqual([0.1, 0.2, 0.3])
    await expect.poll(samples, { timeout: 30_000 }).toBeGreaterThan(first.t_s.length)
    // Only what is new: the samples after the ones already drawn.
    const more = await call<Series>(lab, 'run:series', {
      id,
      names: ['nr_free_pages'],
      from: first.t_s.length
    })
    expect(more.t_s[0]).toBeCloseTo(first.t_s.at(-1)! + 0.1, 9)
    expect(more.series.nr_free_pages).toHaveLength(more.t_s.length)
    expect(await call(lab, 'run:cancel', { runIds: [id] })).toEqual({ cancelled: 1 })
  })

  it('pins annotations to a run and refuses one that ends before it starts', async () => {
    lab = memoryLab()
    const experimentId = await experimentWith(lab, short(1))
    const { runIds } = await call<{ runIds: number[] }>(lab, 'run:start', {
      experimentId,
      variants: ['baseline'],
      seeds: [1]
    })
    await call(lab, 'annotation:create', { runId: runIds[0], tStartS: 0.4, text: 'kswapd wakes' })
    await call(lab, 'annotation:create', {
      runId: runIds[0],
      tStartS: 0.1,
      tEndS: 0.3,
      text: 'burst'
    })
    const bad = await dispatch(lab.handlers, 'annotation:create', {
      runId: runIds[0],
      tStartS: 0.5,
      tEndS: 0.2,
      text: 'x'
    })
    expect(!bad.ok && bad.error.issues).toEqual([
      { path: 'tEndS', message: 'must not be before the start' }
    ])
    const list = await call<Array<{ text: string; tStartS: number; tEndS: number | null }>>(
      lab,
      'annotation:list',
      {
        runId: runIds[0]
      }
    )
    expect(list.map((a) => [a.text, a.tStartS, a.tEndS])).toEqual([
      ['burst', 0.1, 0.3],
      ['kswapd wakes', 0.4, null]
    ])

    // Pinned to the compare view: the experiment's, listed apart from every run's.
    const pinned = await call<{ runId: number | null; experimentId: number }>(
      lab,
      'annotation:create',
      { experimentId, tStartS: 0.2, text: 'v2 falls behind here' }
    )
    expect(pinned).toMatchObject({ runId: null, experimentId })
    const compare = await call<Array<{ text: string }>>(lab, 'annotation:list', { experimentId })
    expect(compare.map((a) => a.text)).toEqual(['v2 falls behind here'])
    expect(
      (await call<Array<{ text: string }>>(lab, 'annotation:list', { runId: runIds[0] })).length
    ).toBe(2)
    const both = await dispatch(lab.handlers, 'annotation:create', {
      runId: runIds[0],
      experimentId,
      tStartS: 1,
      text: 'x'
    })
    expect(!both.ok && both.error.issues).toEqual([
      { path: 'runId', message: 'give either runId or experimentId' }
    ])
    const missing = await dispatch(lab.handlers, 'annotation:list', { experimentId: 999 })
    expect(!missing.ok && missing.error.code).toBe('not_found')
    await call(lab, 'experiment:delete', { id: experimentId })
    expect(lab.ctx.db.prepare('SELECT count(*) FROM annotations').pluck().get()).toBe(0)
  })

  it('deletes a run with its series and notes, and says the experiment changed', async () => {
    lab = memoryLab()
    const experimentId = await experimentWith(lab, short(1))
    const { runIds } = await call<{ runIds: number[] }>(lab, 'run:start', {
      experimentId,
      variants: ['baseline'],
      seeds: '1-2'
    })
    await waitFor(lab, runIds, 'done')
    await call(lab, 'annotation:create', { runId: runIds[0], tStartS: 0.2, text: 'gone with it' })
    const changed: unknown[] = []
    lab.ctx.events.subscribe((name, payload) => {
      if (name === 'experiment:changed') changed.push(payload)
    })
    expect(await call(lab, 'run:delete', { id: runIds[0] })).toEqual({ id: runIds[0] })
    expect(changed).toEqual([{ id: experimentId, kind: 'updated' }])
    const left = await call<Array<{ id: number }>>(lab, 'run:list', { experimentId })
    expect(left.map((r) => r.id)).toEqual([runIds[1]])
    const count = (table: string) =>
      lab!.ctx.db.prepare(`SELECT count(*) FROM ${table} WHERE run_id = ?`).pluck().get(runIds[0])
    expect([count('run_series'), count('annotations')]).toEqual([0, 0])
    const again = await dispatch(lab.handlers, 'run:delete', { id: runIds[0] })
    expect(!again.ok && again.error.code).toBe('not_found')
  })

  it('deletes a running run without counting it as failed', async () => {
    lab = memoryLab()
    const experimentId = await experimentWith(lab, long(), 'phone-8g-appswitch')
    const { runIds } = await call<{ runIds: number[] }>(lab, 'run:start', {
      experimentId,
      variants: ['baseline'],
      seeds: [1]
    })
    const statuses: string[] = []
    lab.ctx.events.subscribe((name, payload) => {
      if (name === 'run:progress') statuses.push((payload as { status: string }).status)
    })
    await expect
      .poll(
        async () =>
          (await call<Array<{ status: string }>>(lab!, 'run:list', { experimentId }))[0].status
      )
      .toBe('running')
    await call(lab, 'run:delete', { id: runIds[0] })
    expect(await call(lab, 'run:list', { experimentId })).toEqual([])
    const queue = await call<{ running: number; queued: number; failed: number }>(
      lab,
      'queue:state'
    )
    expect(queue).toMatchObject({ running: 0, queued: 0, failed: 0 })
    expect(statuses).not.toContain('failed')
  })

  it('resizes the pool from the workers setting and keeps it across restarts', async () => {
    const path = join(tempDir(), 'notebook.sqlite')
    const options = { databasePath: path, migrationsDir: MIGRATIONS_DIR, workerEntry: WORKER_ENTRY }
    lab = openLab(options)
    expect(await call(lab, 'settings:update', { workers: 3 })).toEqual({
      theme: 'system',
      workers: 3,
      runOn: 'local',
      redisUrl: null
    })
    // The pool never outnumbers the CPUs, whatever the setting says.
    const pool = Math.min(3, availableParallelism())
    expect((await call<{ workers: number }>(lab, 'queue:state')).workers).toBe(pool)
    expect(await call(lab, 'settings:update', { workers: 64 })).toMatchObject({ workers: 64 })
    expect((await call<{ workers: number }>(lab, 'queue:state')).workers).toBe(
      availableParallelism()
    )
    await call(lab, 'settings:update', { workers: 3 })
    const bad = await dispatch(lab.handlers, 'settings:update', { workers: 0 })
    expect(!bad.ok && bad.error.issues).toEqual([{ path: 'workers', message: 'at least 1' }])
    await lab.close()
    lab = openLab(options)
    expect((await call<{ workers: number }>(lab, 'queue:state')).workers).toBe(pool)
  })
})
