import BetterSqlite3 from 'better-sqlite3'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/lab/store/database'
import { loadMigrations } from '../../../src/lab/store/migrations'
import { MIGRATIONS_DIR, useTempDir } from '../../helpers/tmp'

const migrations = loadMigrations(MIGRATIONS_DIR)
const LATEST = migrations.length

function userVersion(path: string): number {
  const db = new BetterSqlite3(path, { readonly: true })
  try {
    return db.pragma('user_version', { simple: true }) as number
  } finally {
    db.close()
  }
}

/** A database as an older app would have left it: the first `version` migrations applied. */
function databaseAt(path: string, version: number): void {
  const db = new BetterSqlite3(path)
  for (const m of migrations.slice(0, version)) {
    db.exec(m.sql)
    db.pragma(`user_version = ${m.version}`)
  }
  if (version >= 1) {
    db.prepare(
      "INSERT INTO experiments (title, hypothesis, notes, created_at, updated_at) VALUES ('kept', 'h', 'swap storm notes', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')"
    ).run()
  }
  db.close()
}

describe('migrations', () => {
  const tempDir = useTempDir()

  it('are numbered from 1 without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1))
    expect(LATEST).toBeGreaterThanOrEqual(4)
  })

  it('build a fresh database to the newest version with WAL and foreign keys, and no backup', () => {
    const dir = tempDir()
    const path = join(dir, 'fresh.sqlite')
    const opened = openDatabase(path, { migrationsDir: MIGRATIONS_DIR })
    expect(opened.schemaVersion).toBe(LATEST)
    expect(opened.migration).toEqual({ from: 0, to: LATEST, backupPath: undefined })
    expect(opened.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(opened.db.pragma('foreign_keys', { simple: true })).toBe(1)
    const tables = opened.db
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name")
      .pluck()
      .all()
    expect(tables).toEqual(
      expect.arrayContaining([
        'experiments',
        'tags',
        'experiment_tags',
        'experiments_fts',
        'settings'
      ])
    )
    opened.db.close()
    expect(readdirSync(dir).filter((f) => f.endsWith('.bak'))).toEqual([])
  })

  for (let from = 1; from < LATEST; from++) {
    it(`upgrade a version-${from} database, keeping its data and a backup of it`, () => {
      const dir = tempDir()
      const path = join(dir, 'old.sqlite')
      databaseAt(path, from)
      const opened = openDatabase(path, { migrationsDir: MIGRATIONS_DIR })
      expect(opened.migration.from).toBe(from)
      expect(opened.schemaVersion).toBe(LATEST)
      expect(opened.db.prepare('SELECT title, notes FROM experiments').all()).toEqual([
        { title: 'kept', notes: 'swap storm notes' }
      ])
      // Search covers rows written before the search table existed.
      expect(
        opened.db
          .prepare("SELECT rowid FROM experiments_fts WHERE experiments_fts MATCH 'storm'")
          .pluck()
          .all()
      ).toEqual([1])
      opened.db.close()
      const backup = opened.migration.backupPath!
      expect(existsSync(backup)).toBe(true)
      expect(userVersion(backup)).toBe(from)
    })
  }

  it('refuse a database from a newer app and leave it untouched', () => {
    const path = join(tempDir(), 'newer.sqlite')
    databaseAt(path, LATEST)
    const db = new BetterSqlite3(path)
    db.pragma(`user_version = ${LATEST + 3}`)
    db.close()
    expect(() => openDatabase(path, { migrationsDir: MIGRATIONS_DIR })).toThrow(
      new RegExp(
        `schema version ${LATEST + 3}, newer than this Reclaim Lab understands \\(${LATEST}\\)`
      )
    )
    expect(userVersion(path)).toBe(LATEST + 3)
  })

  it('refuse a file that is not a database, naming it, without writing to it', () => {
    const path = join(tempDir(), 'corrupt.sqlite')
    const garbage = 'this is not sqlite '.repeat(400)
    writeFileSync(path, garbage)
    expect(() => openDatabase(path, { migrationsDir: MIGRATIONS_DIR })).toThrow(
      /Cannot open the notebook database .*corrupt\.sqlite: file is not a database/
    )
    expect(readFileSync(path, 'utf8')).toBe(garbage)
  })

  it("refuse another program's SQLite database, byte for byte untouched", () => {
    const path = join(tempDir(), 'photos.db')
    const other = new BetterSqlite3(path)
    other.exec(
      "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos VALUES (1, 'a')"
    )
    other.close()
    const before = readFileSync(path)
    expect(() => openDatabase(path, { migrationsDir: MIGRATIONS_DIR })).toThrow(
      `Cannot open the notebook database ${path}: it is a SQLite database of another program, not a Reclaim Lab notebook.`
    )
    expect(readFileSync(path).equals(before)).toBe(true)
    expect(existsSync(`${path}-wal`)).toBe(false)
  })

  it('roll back a failing migration as a whole and name it', () => {
    const dir = tempDir()
    const migDir = join(dir, 'migrations')
    const path = join(dir, 'db.sqlite')
    mkdirSync(migDir)
    writeFileSync(join(migDir, '0001_create_a.sql'), 'CREATE TABLE a (x);')
    writeFileSync(
      join(migDir, '0002_break_things.sql'),
      'CREATE TABLE b (x); INSERT INTO nope VALUES (1);'
    )
    expect(() => openDatabase(path, { migrationsDir: migDir })).toThrow(
      /Migration 0002_break_things\.sql failed .*no such table: nope.*left at schema version 1/
    )
    const db = new BetterSqlite3(path)
    expect(db.pragma('user_version', { simple: true })).toBe(1)
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").all()).toEqual([])
    db.close()
  })
})
