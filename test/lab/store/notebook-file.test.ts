import { spawnSync } from 'node:child_process'
import { chmodSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs'
import { closeSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/lab/store/database'
import { ExperimentRepository } from '../../../src/lab/store/repositories/experiments'
import { openLabElsewhere } from '../../helpers/spawn-lab'
import { MIGRATIONS_DIR, useTempDir } from '../../helpers/tmp'

const BIN = join(__dirname, '..', '..', '..', 'bin', 'reclaim-lab.js')
const mode = (path: string) => statSync(path).mode & 0o777

/** A notebook with an experiment, closed (so its WAL is folded into the file). */
function notebookWithData(path: string): void {
  const { db } = openDatabase(path, { migrationsDir: MIGRATIONS_DIR })
  const experiments = new ExperimentRepository(db)
  for (let i = 0; i < 20; i++)
    experiments.create({ title: `e${i}`, hypothesis: '', notes: 'n'.repeat(3000), tags: [] })
  db.close()
}

describe('the notebook file', () => {
  const tempDir = useTempDir()

  it("is made this user's only: a new data folder 0700, the notebook and its -wal, -shm 0600", () => {
    const folder = join(tempDir(), 'reclaim-lab')
    const path = join(folder, 'notebook.sqlite')
    const { db } = openDatabase(path, { migrationsDir: MIGRATIONS_DIR })
    new ExperimentRepository(db).create({ title: 'x', hypothesis: '', notes: '', tags: [] })
    expect(mode(folder)).toBe(0o700)
    expect([path, `${path}-wal`, `${path}-shm`, `${path}.lock`].map(mode)).toEqual([
      0o600, 0o600, 0o600, 0o600
    ])
    db.close()
  })

  it('refuses a damaged notebook at open, naming it and leaving it as it was', () => {
    const dir = tempDir()
    const path = join(dir, 'notebook.sqlite')
    notebookWithData(path)
    const { db } = openDatabase(path, { migrationsDir: MIGRATIONS_DIR })
    const page = db.pragma('page_size', { simple: true }) as number
    const root = db
      .prepare("SELECT rootpage FROM sqlite_master WHERE name = 'experiments'")
      .pluck()
      .get() as number
    db.close()
    // The experiments table's first page overwritten, as a bad sector or a torn copy would.
    const fd = openSync(path, 'r+')
    writeSync(fd, Buffer.alloc(page, 0xa5), 0, page, (root - 1) * page + 100)
    closeSync(fd)
    const before = readFileSync(path)

    expect(() => openDatabase(path, { migrationsDir: MIGRATIONS_DIR })).toThrow(
      `Cannot open the notebook database ${path}: it is damaged (SQLite's check says: `
    )
    expect(readFileSync(path).equals(before)).toBe(true)
    expect(readdirSync(dir)).toEqual(['notebook.sqlite'])
  })

  it('refuses a read-only notebook by name, without leaving -wal, -shm or lock files', () => {
    const dir = tempDir()
    const path = join(dir, 'notebook.sqlite')
    notebookWithData(path)
    // Root writes any file, so as root the CLI runs as nobody: the notebook stays root's own.
    const root = process.getuid?.() === 0
    chmodSync(dir, 0o777)
    chmodSync(path, root ? 0o644 : 0o444)
    const as = root ? { uid: 65534, gid: 65534 } : {}
    const cli = spawnSync(
      process.execPath,
      [
        BIN,
        'run',
        '--preset',
        'single-cpu',
        '--set',
        'duration_s=1',
        '--db',
        path,
        '--experiment',
        '1'
      ],
      { encoding: 'utf8', ...as }
    )
    const problem = `its file is read-only for this user. Make it writable (chmod u+w ${path}) or open a copy`
    expect(cli.stderr).toBe(`reclaim-lab run: ${path} cannot be written: ${problem}\n`)
    expect(cli.status).toBe(1)
    // Serve and the app: the same, from the open itself.
    expect(openLabElsewhere(dir, path, as).stderr).toBe(
      `Cannot open the notebook database ${path}: ${problem}; the notebook was not changed.\n`
    )
    expect(readdirSync(dir).sort()).toEqual(['notebook.sqlite', 'open-lab.ts'])
  })
})
