import BetterSqlite3 from 'better-sqlite3'
import type { Database } from 'better-sqlite3'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { LabError } from '../../shared/errors'
import { migrate, type MigrationResult } from './migrate'
import { loadMigrations } from './migrations'

export interface OpenOptions {
  /** Folder holding `NNNN_verb_noun.sql`. */
  migrationsDir: string
  /** Path to a better_sqlite3.node built for the running ABI (the Electron app passes its own). */
  nativeBinding?: string
}

export interface OpenDatabase {
  db: Database
  path: string
  schemaVersion: number
  migration: MigrationResult
}

function backupName(path: string, fromVersion: number): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  return `${path}.v${fromVersion}-${stamp}.bak`
}

/** Tables but no schema version: made by another program, not an empty or a notebook file. */
export function isForeignDatabase(db: Database): boolean {
  if ((db.pragma('user_version', { simple: true }) as number) > 0) return false
  return (
    (db
      .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .get() as number) > 0
  )
}

/**
 * A database with tables but no schema version was made by another program: migrating it would
 * write notebook tables into it (and switch it to WAL), so it is refused before anything is written.
 */
function refuseForeignDatabase(db: Database, path: string): void {
  if (path === ':memory:' || !isForeignDatabase(db)) return
  db.close()
  throw new LabError(
    'storage',
    `Cannot open the notebook database ${path}: it is a SQLite database of another program, not a ` +
      'Reclaim Lab notebook. The file is left untouched; choose another with --db.'
  )
}

/**
 * Opens (creating if needed) the notebook database with WAL, foreign keys and a busy timeout, and
 * migrates it. A file that is not a SQLite database, or is another program's, is refused with its
 * path in the message and is never written to.
 */
export function openDatabase(path: string, options: OpenOptions): OpenDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const existed = path !== ':memory:' && existsSync(path)
  let db: Database
  try {
    db = new BetterSqlite3(
      path,
      options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}
    )
    db.pragma('busy_timeout = 5000')
    refuseForeignDatabase(db, path)
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('synchronous = NORMAL')
  } catch (err) {
    if (err instanceof LabError) throw err
    const reason = err instanceof Error ? err.message : String(err)
    throw new LabError(
      'storage',
      `Cannot open the notebook database ${path}: ${reason}. ` +
        (existed ? 'The file is left untouched; move it aside or choose another with --db.' : '')
    )
  }
  try {
    const migration = migrate(db, loadMigrations(options.migrationsDir), (from) =>
      existed ? backupName(path, from) : undefined
    )
    return { db, path, schemaVersion: migration.to, migration }
  } catch (err) {
    db.close()
    throw err
  }
}
