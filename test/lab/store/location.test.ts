import BetterSqlite3 from 'better-sqlite3'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../../src/lab/dispatch'
import { openLab, type Lab } from '../../../src/lab/lab'
import { openDatabase } from '../../../src/lab/store/database'
import {
  backToDefaultHint,
  checkChosenNotebookPresent,
  checkNotebookPath,
  chooseNotebookPath,
  locationFile,
  markChosenNotebookOpened,
  notebookPathFor
} from '../../../src/lab/store/location'
import { loadMigrations } from '../../../src/lab/store/migrations'
import type { AppInfo } from '../../../src/shared/dto'
import { WORKER_ENTRY, memoryLab } from '../../helpers/lab'
import { MIGRATIONS_DIR, useTempDir } from '../../helpers/tmp'

const LATEST = loadMigrations(MIGRATIONS_DIR).length

/** The message a check refuses `path` with (the file left byte for byte as it was). */
function refusal(path: string): string {
  const before = existsSync(path) && statSync(path).isFile() ? readFileSync(path) : null
  try {
    checkNotebookPath(path, LATEST)
  } catch (err) {
    if (before) expect(readFileSync(path).equals(before)).toBe(true)
    return (err as Error).message
  }
  throw new Error(`${path} was accepted`)
}

describe('choosing where the notebook lives', () => {
  const tempDir = useTempDir()

  it('accepts a new file in a writable folder, or an existing notebook', () => {
    const dir = tempDir()
    expect(checkNotebookPath(join(dir, 'new.sqlite'), LATEST)).toBe(join(dir, 'new.sqlite'))
    expect(existsSync(join(dir, 'new.sqlite'))).toBe(false)
    const existing = join(dir, 'lab.sqlite')
    openDatabase(existing, { migrationsDir: MIGRATIONS_DIR }).db.close()
    expect(checkNotebookPath(existing, LATEST)).toBe(existing)
  })

  it('refuses what a start could not open, naming the path, and writes nothing', () => {
    const dir = tempDir()
    expect(refusal('notebooks/lab.sqlite')).toBe('notebooks/lab.sqlite is not an absolute path')
    expect(refusal(join(dir, 'missing', 'lab.sqlite'))).toBe(
      `the folder ${join(dir, 'missing')} does not exist`
    )
    mkdirSync(join(dir, 'folder.sqlite'))
    expect(refusal(join(dir, 'folder.sqlite'))).toBe(
      `${join(dir, 'folder.sqlite')} is a folder; name a file in it`
    )
    // Never another program's file (a key list, a config), and never a pipe that blocks on open.
    writeFileSync(join(dir, 'authorized_keys'), '')
    expect(refusal(join(dir, 'authorized_keys'))).toBe(
      `${join(dir, 'authorized_keys')} does not end in .sqlite, .sqlite3, .db`
    )
    execFileSync('mkfifo', [join(dir, 'pipe.sqlite')])
    expect(refusal(join(dir, 'pipe.sqlite'))).toBe(
      `${join(dir, 'pipe.sqlite')} is not a regular file`
    )

    const garbage = join(dir, 'garbage.sqlite')
    writeFileSync(garbage, 'not sqlite at all '.repeat(300))
    expect(refusal(garbage)).toMatch(
      new RegExp(`^${garbage} cannot be opened as a notebook: file is not a database`)
    )

    const other = join(dir, 'other.db')
    const db = new BetterSqlite3(other)
    db.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY)')
    db.close()
    expect(refusal(other)).toBe(
      `${other} is a SQLite database of another program, not a Reclaim Lab notebook`
    )

    const newer = join(dir, 'newer.sqlite')
    const opened = openDatabase(newer, { migrationsDir: MIGRATIONS_DIR })
    opened.db.pragma(`user_version = ${LATEST + 1}`)
    opened.db.close()
    expect(refusal(newer)).toBe(
      `${newer} has schema version ${LATEST + 1}, newer than this Reclaim Lab understands`
    )
  })

  it('remembers the choice for the next start, and forgets it to go back to the default', () => {
    const dataDir = tempDir()
    expect(notebookPathFor(dataDir)).toBe(join(dataDir, 'notebook.sqlite'))
    expect(backToDefaultHint(dataDir)).toBe('')
    chooseNotebookPath(dataDir, '/srv/lab/phone.sqlite')
    expect(notebookPathFor(dataDir)).toBe('/srv/lab/phone.sqlite')
    expect(backToDefaultHint(dataDir)).toContain(`delete ${locationFile(dataDir)}`)
    chooseNotebookPath(dataDir, null)
    expect(existsSync(locationFile(dataDir))).toBe(false)
    expect(notebookPathFor(dataDir)).toBe(join(dataDir, 'notebook.sqlite'))
    // Once opened, a chosen notebook that goes missing stops the start instead of being recreated.
    const chosen = join(dataDir, 'lab.sqlite')
    chooseNotebookPath(dataDir, chosen)
    checkChosenNotebookPresent(dataDir) // not opened yet: this start creates it
    markChosenNotebookOpened(dataDir)
    expect(() => checkChosenNotebookPresent(dataDir)).toThrow(
      `The notebook chosen in Settings, ${chosen}, is missing`
    )
    chooseNotebookPath(dataDir, null)
    // A damaged record is ignored rather than stopping the app.
    writeFileSync(locationFile(dataDir), '{"path": "relative.sqlite"')
    expect(notebookPathFor(dataDir)).toBe(join(dataDir, 'notebook.sqlite'))
  })
})

describe('settings:setNotebookLocation through the contract', () => {
  const tempDir = useTempDir()
  let lab: Lab | undefined
  afterEach(async () => {
    await lab?.close()
    lab = undefined
  })

  async function call<T>(channel: string, input?: unknown): Promise<T> {
    const reply = await dispatch(lab!.handlers, channel, input)
    if (!reply.ok) throw new Error(reply.error.message)
    return reply.data as T
  }

  const open = (dataDir: string) =>
    openLab({
      databasePath: notebookPathFor(dataDir),
      dataDir,
      migrationsDir: MIGRATIONS_DIR,
      workerEntry: WORKER_ENTRY,
      workers: 1
    })

  it('opens the chosen file at the next start and leaves the default notebook as it was', async () => {
    const dataDir = tempDir()
    const elsewhere = join(tempDir(), 'phone-lab.sqlite')
    lab = open(dataDir)
    await call('experiment:create', { title: 'kept in the default notebook' })
    const before = await call<AppInfo>('app:info')
    expect(before.notebookLocation).toEqual({
      next: join(dataDir, 'notebook.sqlite'),
      default: join(dataDir, 'notebook.sqlite')
    })
    const after = await call<AppInfo>('settings:setNotebookLocation', { path: elsewhere })
    expect(after.databasePath).toBe(join(dataDir, 'notebook.sqlite'))
    expect(after.notebookLocation?.next).toBe(elsewhere)
    await lab.close()

    lab = open(dataDir)
    expect((await call<AppInfo>('app:info')).databasePath).toBe(elsewhere)
    expect(await call('experiment:list', {})).toEqual([])
    await call('settings:setNotebookLocation', { path: null })
    await lab.close()

    lab = open(dataDir)
    const titles = (await call<Array<{ title: string }>>('experiment:list', {})).map((e) => e.title)
    expect(titles).toEqual(['kept in the default notebook'])
  })

  it('refuses a bad choice with the field named, and keeps the previous one', async () => {
    const dataDir = tempDir()
    lab = open(dataDir)
    const reply = await dispatch(lab.handlers, 'settings:setNotebookLocation', {
      path: join(dataDir, 'no-such-folder', 'lab.sqlite')
    })
    expect(reply.ok).toBe(false)
    if (reply.ok) return
    expect(reply.error.issues).toEqual([
      { path: 'path', message: `the folder ${join(dataDir, 'no-such-folder')} does not exist` }
    ])
    expect(existsSync(locationFile(dataDir))).toBe(false)
  })

  it('leaves the choice to the command line when the database was named there', async () => {
    lab = memoryLab()
    expect((await call<AppInfo>('app:info')).notebookLocation).toBeNull()
    await expect(call('settings:setNotebookLocation', { path: '/tmp/x.sqlite' })).rejects.toThrow(
      /opened with --db/
    )
  })
})
