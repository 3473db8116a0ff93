import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { main } from '../../../src/cli/index'
import { dispatch, prepareDownload } from '../../../src/lab/dispatch'
import type { Lab } from '../../../src/lab/lab'
import { resolvePreset, scenarioSchema } from '../../../src/sim'
import type { Experiment } from '../../../src/shared/dto'
import { exportText } from '../../../src/lab/export/stream'
import type { LabErrorData } from '../../../src/shared/errors'
import { captureIO } from '../../helpers/io'
import { memoryLab } from '../../helpers/lab'
import { useTempDir } from '../../helpers/tmp'

const SCENARIO = scenarioSchema.parse(resolvePreset('single-cpu'))

let labs: Lab[] = []
afterEach(async () => {
  await Promise.all(labs.map((lab) => lab.close()))
  labs = []
})

function lab(): Lab {
  const opened = memoryLab()
  labs.push(opened)
  return opened
}

async function call<T>(on: Lab, channel: string, input?: unknown): Promise<T> {
  const reply = await dispatch(on.handlers, channel, input)
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`)
  return reply.data as T
}

async function refused(on: Lab, channel: string, input: unknown): Promise<LabErrorData> {
  const reply = await dispatch(on.handlers, channel, input)
  if (reply.ok) throw new Error(`${channel} was accepted`)
  return reply.error
}

const tempDir = useTempDir()

const runCount = (on: Lab) => on.ctx.db.prepare('SELECT count(*) FROM runs').pluck().get()

describe('free-text limits through the contract', () => {
  it('refuses over-long scenario text and run-start text, naming the field', async () => {
    const l = lab()
    const { id } = await call<Experiment>(l, 'experiment:create', { title: 'limits' })
    const long = { ...SCENARIO, description: 'd'.repeat(4001) }
    expect(
      await refused(l, 'experiment:setScenario', { id, preset: null, scenario: long })
    ).toEqual({
      code: 'invalid',
      message: 'The scenario is not valid: scenario.description: must be at most 4,000 characters',
      issues: [{ path: 'scenario.description', message: 'must be at most 4,000 characters' }]
    })
    const named = { ...SCENARIO, name: 'n'.repeat(201) }
    expect(
      (await refused(l, 'experiment:setScenario', { id, preset: null, scenario: named })).issues
    ).toEqual([{ path: 'scenario.name', message: 'must be at most 200 characters' }])
    await call(l, 'experiment:setScenario', { id, preset: null, scenario: SCENARIO })

    const start = { experimentId: id, variants: ['baseline'], seeds: '1' }
    const refusals = await Promise.all([
      refused(l, 'run:start', { ...start, variants: ['v'.repeat(101)] }),
      refused(l, 'run:start', { ...start, sweep: [{ knob: 'k'.repeat(201), values: [1] }] }),
      refused(l, 'run:start', {
        ...start,
        sweep: [{ knob: 'workload.type', values: ['w'.repeat(201)] }]
      })
    ])
    expect(refusals.map((r) => r.issues?.map((i) => i.path))).toEqual([
      ['variants.0'],
      ['sweep.0.knob'],
      ['sweep.0.values.0']
    ])
    expect(refusals.map((r) => r.issues?.[0].message)).toEqual([
      'must be at most 100 characters',
      'must be at most 200 characters',
      'must be at most 200 characters'
    ])
    expect(runCount(l)).toBe(0)
  })

  it('still opens an experiment stored with over-long text before the limits; new writes refuse it', async () => {
    const l = lab()
    const { id } = await call<Experiment>(l, 'experiment:create', { title: 'from before' })
    const hypothesis = 'h'.repeat(10_000)
    const description = 'd'.repeat(100_000)
    l.ctx.db
      .prepare('UPDATE experiments SET hypothesis = ?, scenario = ?, preset = ? WHERE id = ?')
      .run(hypothesis, JSON.stringify({ ...SCENARIO, description }), 'single-cpu', id)

    const stored = await call<Experiment>(l, 'experiment:get', { id })
    expect(stored.hypothesis).toBe(hypothesis)
    expect((stored.scenario as { description: string }).description).toBe(description)
    expect((await call<Experiment[]>(l, 'experiment:list')).map((e) => e.id)).toEqual([id])
    // Edits to the other fields keep the stored text as it is.
    const renamed = await call<Experiment>(l, 'experiment:update', { id, title: 'renamed' })
    expect(renamed.hypothesis).toBe(hypothesis)
    const copy = await call<Experiment>(l, 'experiment:duplicate', { id })
    expect(copy.hypothesis).toBe(hypothesis)

    // What would copy the text somewhere new is refused, naming the field to shorten.
    expect((await refused(l, 'share:encode', { id })).issues).toEqual([
      { path: 'description', message: 'must be at most 4000 characters' }
    ])
    expect(
      (await refused(l, 'run:start', { experimentId: id, variants: ['baseline'], seeds: '1' }))
        .issues
    ).toEqual([{ path: 'scenario.description', message: 'must be at most 4,000 characters' }])
    expect(runCount(l)).toBe(0)
    const prepared = prepareDownload(l.downloads, 'bundle:export', { id })
    if (!prepared.ok) throw new Error(prepared.error.message)
    const imported = await refused(lab(), 'bundle:import', {
      text: await exportText(prepared.data)
    })
    expect(imported.issues).toEqual([
      { path: 'experiment.hypothesis', message: 'must be at most 4000 characters' }
    ])

    // Shortening the text makes it shareable again.
    await call(l, 'experiment:setScenario', { id, preset: 'single-cpu', scenario: SCENARIO })
    expect(await call<{ code: string }>(l, 'share:encode', { id })).toMatchObject({
      code: expect.stringMatching(/^rl1-/)
    })
  })

  it('the CLI refuses an over-long description from --set or --scenario, naming the field', async () => {
    const tooLong = captureIO()
    const set = ['run', '--preset', 'single-cpu', '--set', `description=${'d'.repeat(4001)}`]
    expect(await main(set, tooLong)).toBe(2)
    expect(tooLong.err).toBe('reclaim-lab run: description: must be at most 4,000 characters\n')
    const file = join(tempDir(), 'long.json')
    writeFileSync(file, JSON.stringify({ ...SCENARIO, name: 'n'.repeat(201) }))
    const fromFile = captureIO()
    expect(await main(['run', '--scenario', file], fromFile)).toBe(2)
    expect(fromFile.err).toBe(
      `reclaim-lab run: --scenario ${file}: name: must be at most 200 characters\n`
    )
    expect(tooLong.out + fromFile.out).toBe('')
  })
})
