import type { Database } from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../../src/lab/dispatch'
import { openLab, type Lab } from '../../../src/lab/lab'
import type { Events } from '../../../src/shared/contract'
import type { LabErrorData } from '../../../src/shared/errors'
import { applySets, resolvePreset } from '../../../src/sim'
import { WORKER_ENTRY } from '../../helpers/lab'
import { MIGRATIONS_DIR, useTempDir } from '../../helpers/tmp'

async function call<T>(lab: Lab, channel: string, input?: unknown): Promise<T> {
  const reply = await dispatch(lab.handlers, channel, input)
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`)
  return reply.data as T
}

/**
 * Makes the notebook full as a full disk would, without root: no page may be added
 * (`max_page_count`), and `grow`'s value is made as large as the pages left take, so that no row
 * can grow and no write that needs room gets it.
 */
function fillUp(db: Database, grow: string, id: number): void {
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`)
  const set = db.prepare(`UPDATE ${grow} = zeroblob(?) WHERE id = ?`)
  let fits = 0
  let fails = 1 << 26
  while (fails - fits > 1) {
    const size = Math.floor((fits + fails) / 2)
    try {
      set.run(size, id)
      fits = size
    } catch {
      fails = size
    }
  }
  set.run(fits, id)
}

function makeRoom(db: Database, grow: string, id: number): void {
  db.prepare(`UPDATE ${grow} = '' WHERE id = ?`).run(id)
  db.pragma('max_page_count = 1073741823')
}

function onRun(lab: Lab, status: string, then: (runId: number) => void): Promise<number> {
  return new Promise((resolve) => {
    const off = lab.ctx.events.subscribe((name, payload) => {
      const p = payload as Events['run:progress']
      if (name !== 'run:progress' || p.status !== status) return
      off()
      then(p.runId)
      resolve(p.runId)
    })
  })
}

describe('a full notebook', () => {
  const tempDir = useTempDir()
  let lab: Lab | undefined
  afterEach(async () => {
    await lab?.close()
    lab = undefined
  })

  it('fails a run that cannot be saved, naming the file; the process lives and saves it later', async () => {
    const path = join(tempDir(), 'notebook.sqlite')
    lab = openLab({
      databasePath: path,
      migrationsDir: MIGRATIONS_DIR,
      workerEntry: WORKER_ENTRY,
      workers: 1
    })
    const db = lab.ctx.db
    const { id } = await call<{ id: number }>(lab, 'experiment:create', { title: 'full' })
    const scenario = applySets(resolvePreset('single-cpu'), ['duration_s=2'])
    await call(lab, 'experiment:setScenario', { id, preset: 'single-cpu', scenario })
    const start = { experimentId: id, variants: ['baseline'], seeds: '1' }

    // Full from the moment the run is running: neither its result nor its failure can be written.
    const running = onRun(lab, 'running', (runId) => fillUp(db, 'runs SET notes', runId))
    const failed = onRun(lab, 'failed', () => {})
    await call(lab, 'run:start', start)
    const runId = await running
    await failed

    const full = `The notebook ${path} is full (its disk, or a size limit on the file): free some space`
    const shown = await call<{ status: string; error: string }>(lab, 'run:get', { id: runId })
    expect(shown.status).toBe('failed')
    expect(shown.error).toBe(`The run finished but could not be saved: ${full}, then try again.`)
    const stored = () =>
      db.prepare('SELECT status, error FROM runs WHERE id = ?').get(runId) as {
        status: string
        error: string | null
      }
    expect(stored().status).toBe('running')

    // Every other write is refused as a storage error naming the file, not a crash or a bare code.
    const refused = await dispatch(lab.handlers, 'experiment:create', {
      title: 'more',
      notes: 'x'.repeat(100_000)
    })
    expect(refused).toEqual({
      ok: false,
      error: { code: 'storage', message: `${full}, then try again.` } satisfies LabErrorData
    })

    // With room again, the failure is written, and runs are saved as before.
    makeRoom(db, 'runs SET notes', runId)
    await expect.poll(stored, { timeout: 5000, interval: 100 }).toEqual({
      status: 'failed',
      error: shown.error
    })
    const done = onRun(lab, 'done', () => {})
    await call(lab, 'run:start', start)
    const second = await done
    expect((await call<{ status: string }>(lab, 'run:get', { id: second })).status).toBe('done')
  })

  it('cancels a run in a full notebook, and shows it cancelled until it can be written', async () => {
    const path = join(tempDir(), 'notebook.sqlite')
    lab = openLab({
      databasePath: path,
      migrationsDir: MIGRATIONS_DIR,
      workerEntry: WORKER_ENTRY,
      workers: 1
    })
    const db = lab.ctx.db
    const { id } = await call<{ id: number }>(lab, 'experiment:create', { title: 'full' })
    const long = applySets(resolvePreset('phone-8g-appswitch'), ['duration_s=3000'])
    await call(lab, 'experiment:setScenario', { id, preset: 'phone-8g-appswitch', scenario: long })
    const running = onRun(lab, 'running', (runId) => fillUp(db, 'runs SET notes', runId))
    await call(lab, 'run:start', { experimentId: id, variants: ['baseline'], seeds: '1' })
    const runId = await running

    const cancelled = onRun(lab, 'cancelled', () => {})
    expect(await call(lab, 'run:cancel', { runIds: [runId] })).toEqual({ cancelled: 1 })
    await cancelled
    const listed = await call<Array<{ status: string }>>(lab, 'run:list', { experimentId: id })
    expect(listed.map((r) => r.status)).toEqual(['cancelled'])
    expect(db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runId)).toBe('running')
    makeRoom(db, 'runs SET notes', runId)
    await lab.close() // a quit writes what is still unwritten
    lab = undefined
    const reopened = openLab({
      databasePath: path,
      migrationsDir: MIGRATIONS_DIR,
      workerEntry: WORKER_ENTRY,
      workers: 1
    })
    lab = reopened
    const after = await call<Array<{ status: string }>>(lab, 'run:list', { experimentId: id })
    expect(after.map((r) => r.status)).toEqual(['cancelled'])
  })
})
