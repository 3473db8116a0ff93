import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { main } from '../../../src/cli/index'
import { dispatch } from '../../../src/lab/dispatch'
import { openLab, type Lab } from '../../../src/lab/lab'
import { openDatabase } from '../../../src/lab/store/database'
import { applySets, resolvePreset } from '../../../src/sim'
import { captureIO } from '../../helpers/io'
import { WORKER_ENTRY } from '../../helpers/lab'
import { openLabElsewhere } from '../../helpers/spawn-lab'
import { MIGRATIONS_DIR, useTempDir } from '../../helpers/tmp'

const BIN = join(__dirname, '..', '..', '..', 'bin', 'reclaim-lab.js')

async function call<T>(lab: Lab, channel: string, input?: unknown): Promise<T> {
  const reply = await dispatch(lab.handlers, channel, input)
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`)
  return reply.data as T
}

/** The PID of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''])
  return child.pid!
}

describe('one process per notebook', () => {
  const tempDir = useTempDir()
  let lab: Lab | undefined
  afterEach(async () => {
    await lab?.close()
    lab = undefined
  })

  const open = (path: string) =>
    openLab({
      databasePath: path,
      migrationsDir: MIGRATIONS_DIR,
      workerEntry: WORKER_ENTRY,
      workers: 1
    })

  it("refuses a second process by the first one's PID, leaving its running runs running", async () => {
    const dir = tempDir()
    const path = join(dir, 'notebook.sqlite')
    lab = open(path)
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(`${process.pid}\n${hostname()}\n`)
    const { id } = await call<{ id: number }>(lab, 'experiment:create', { title: 'held' })
    const long = applySets(resolvePreset('phone-8g-appswitch'), ['duration_s=3000'])
    await call(lab, 'experiment:setScenario', { id, preset: 'phone-8g-appswitch', scenario: long })
    const { runIds } = await call<{ runIds: number[] }>(lab, 'run:start', {
      experimentId: id,
      variants: ['baseline'],
      seeds: '1'
    })

    const second = openLabElsewhere(dir, path)
    expect(second.stdout).toBe('')
    expect(second.stderr).toContain(`The notebook ${path} is in use by PID ${process.pid}:`)
    expect(second.stderr).toContain(`delete ${path}.lock`)

    const cli = spawnSync(
      process.execPath,
      [BIN, 'run', '--preset', 'single-cpu', '--set', 'duration_s=1', '--db', path, '--title', 'x'],
      { encoding: 'utf8' }
    )
    expect(cli.status).toBe(1)
    expect(cli.stderr).toContain(`The notebook ${path} is in use by PID ${process.pid}:`)

    const runs = await call<Array<{ status: string }>>(lab, 'run:list', { experimentId: id })
    expect(runs.map((r) => r.status)).not.toContain('interrupted')
    expect(await call<unknown[]>(lab, 'experiment:list', {})).toHaveLength(1)
    await call(lab, 'run:cancel', { runIds })
  })

  it('refuses a second open in the same process, and lets readers (compare) in', async () => {
    const path = join(tempDir(), 'notebook.sqlite')
    lab = open(path)
    expect(() => openDatabase(path, { migrationsDir: MIGRATIONS_DIR })).toThrow(
      `The notebook ${path} is in use by PID ${process.pid} (this one)`
    )
    const io = captureIO()
    expect(await main(['compare', '--db', path, '--experiment', '1'], io)).toBe(2)
    expect(io.err).toContain('Experiment 1 does not exist')
  })

  it('takes over the lock of a process that is gone, and releases it on close and on exit', async () => {
    const dir = tempDir()
    const path = join(dir, 'notebook.sqlite')
    writeFileSync(`${path}.lock`, `${deadPid()}\n${hostname()}\n`)
    lab = open(path)
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(`${process.pid}\n${hostname()}\n`)
    await lab.close()
    lab = undefined
    expect(existsSync(`${path}.lock`)).toBe(false)

    // Exiting without closing (process.exit) leaves no lock behind either.
    expect(openLabElsewhere(dir, path).stdout).toBe('opened\n')
    expect(existsSync(`${path}.lock`)).toBe(false)
  })
})
