import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch, prepareDownload } from '../../../src/lab/dispatch'
import { exportText } from '../../../src/lab/export/stream'
import type { Lab } from '../../../src/lab/lab'
import { firstDifference } from '../../../src/lab/runs/trace'
import type { Events } from '../../../src/shared/contract'
import type { RunDetail, TraceSummary } from '../../../src/shared/dto'
import type { RunResult } from '../../../src/shared/result'
import { applySets, resolvePreset, runSimulationSync, SIMULATOR_VERSION } from '../../../src/sim'
import { memoryLab } from '../../helpers/lab'

async function call<T>(lab: Lab, channel: string, input?: unknown) {
  const reply = await dispatch(lab.handlers, channel, input)
  return reply as { ok: true; data: T } | { ok: false; error: { code: string; message: string } }
}

async function data<T>(lab: Lab, channel: string, input?: unknown): Promise<T> {
  const reply = await call<T>(lab, channel, input)
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`)
  return reply.data
}

describe("a run's event trace for Perfetto", () => {
  let lab: Lab
  let runId: number
  const scenario = applySets(resolvePreset('memory-eater'), ['duration_s=3'])

  beforeAll(async () => {
    lab = memoryLab()
    const { id } = await data<{ id: number }>(lab, 'experiment:create', { title: 'Traced' })
    await data(lab, 'experiment:setScenario', { id, preset: 'memory-eater', scenario })
    const { runIds } = await data<{ runIds: number[] }>(lab, 'run:start', {
      experimentId: id,
      variants: ['proto'],
      seeds: '2'
    })
    runId = runIds[0]
    await new Promise<void>((resolve) => {
      const off = lab.ctx.events.subscribe((name, payload) => {
        if (name === 'run:progress' && (payload as Events['run:progress']).status === 'done') {
          off()
          resolve()
        }
      })
    })
  })
  afterAll(() => lab.close())

  it('is regenerated from scenario, variant and seed, and is exactly the simulator’s trace', async () => {
    const before = prepareDownload(lab.downloads, 'export:trace', { id: runId })
    expect(before.ok || before.error.message).toBe(
      `The trace of run #${runId} is not prepared: ask for it with run:trace first.`
    )
    const summary = await data<TraceSummary>(lab, 'run:trace', { id: runId })
    const detail = await data<RunDetail>(lab, 'run:get', { id: runId })
    const direct = runSimulationSync(
      { ...(detail.scenario as object), trace: { enabled: true } },
      {},
      { seed: 2, variant: 'proto' }
    )
    expect(summary).toEqual({
      runId,
      fileName: `traced-run-${runId}-proto-seed-2.trace.json`,
      events: direct.trace!.traceEvents.length,
      dropped: 0,
      simulatorVersion: SIMULATOR_VERSION
    })
    const file = prepareDownload(lab.downloads, 'export:trace', { id: runId })
    if (!file.ok) throw new Error(file.error.message)
    expect(file.data.fileName).toBe(summary.fileName)
    const text = await exportText(file.data)
    expect(text).toBe(JSON.stringify(direct.trace))
    const trace = JSON.parse(text) as NonNullable<RunResult['trace']>
    expect(trace.displayTimeUnit).toBe('ns')
    const names = trace.traceEvents.filter((e) => e.ph === 'M').map((e) => e.args?.name)
    expect(names).toContain('kswapd0')
    expect(trace.traceEvents.some((e) => e.name === 'mm_vmscan_kswapd_wake')).toBe(true)
  })

  it('is refused for a run of another simulator version, naming both', async () => {
    lab.ctx.db.prepare('UPDATE runs SET simulator_version = ? WHERE id = ?').run('0.0.9', runId)
    try {
      const reply = await call(lab, 'run:trace', { id: runId })
      expect(reply).toMatchObject({ ok: false, error: { code: 'conflict' } })
      if (reply.ok) return
      expect(reply.error.message).toContain(
        `Run #${runId} was simulated by simulator 0.0.9; this notebook runs ${SIMULATOR_VERSION}`
      )
    } finally {
      lab.ctx.db
        .prepare('UPDATE runs SET simulator_version = ? WHERE id = ?')
        .run(SIMULATOR_VERSION, runId)
    }
  })

  it('is refused when the regenerated run is not the stored one', async () => {
    const row = lab.ctx.db.prepare('SELECT result FROM runs WHERE id = ?').get(runId) as {
      result: string
    }
    const changed = JSON.parse(row.result) as RunResult
    changed.vmstat.pgscan_kswapd += 1
    lab.ctx.db
      .prepare('UPDATE runs SET result = ? WHERE id = ?')
      .run(JSON.stringify(changed), runId)
    // The trace prepared before belongs to the unchanged run: ask for a fresh one.
    await lab.ctx.traces.close()
    try {
      const reply = await call(lab, 'run:trace', { id: runId })
      expect(reply).toMatchObject({ ok: false, error: { code: 'conflict' } })
      if (reply.ok) return
      expect(reply.error.message).toContain(
        `(vmstat.pgscan_kswapd: stored ${changed.vmstat.pgscan_kswapd}, regenerated ${changed.vmstat.pgscan_kswapd - 1})`
      )
    } finally {
      lab.ctx.db.prepare('UPDATE runs SET result = ? WHERE id = ?').run(row.result, runId)
    }
  })

  it('names the first difference between a stored result and its regeneration', () => {
    const again = { events: 10, vmstat: { a: 1, b: 2 }, derived: { c: 3 } } as unknown as RunResult
    expect(firstDifference({ events: 10, vmstat: { a: 1, b: 2 }, derived: { c: 3 } }, again)).toBe(
      null
    )
    expect(firstDifference({ events: 9, vmstat: {}, derived: {} }, again)).toBe(
      'simulated events: stored 9, regenerated 10'
    )
    expect(firstDifference({ events: 10, vmstat: { a: 1 }, derived: { c: 3 } }, again)).toBe(
      'vmstat.b: stored undefined, regenerated 2'
    )
  })
})
