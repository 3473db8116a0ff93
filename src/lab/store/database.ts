import BetterSqlite3 from 'better-sqlite3'
import type { Database } from 'better-sqlite3'
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { LabError } from '../../shared/errors'
import { migrate, type MigrationResult } from './migrate'
import { loadMigrations } from './migrations'
import { lockNotebook, type NotebookLock } from './notebook-lock'
import { storageError } from './storage-errors'

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
 * Why this user may not write the notebook at `path`, or null. Checked before SQLite opens it:
 * SQLite would open it read-only, leave empty -wal and -shm files beside it and fail at the first
 * change without naming it.
 */
export function readOnlyProblem(path: string): string | null {
  for (const [target, what] of [
    [path, 'file'],
    [dirname(path), 'folder, where its journal is kept,']
  ]) {
    try {
      accessSync(target, constants.W_OK)
    } catch {
      return (
        `its ${what} is read-only for this user. Make it writable (chmod u+w ${target}) or ` +
        'open a copy'
      )
    }
  }
  return null
}

function refuseReadOnly(path: string): void {
  const problem = readOnlyProblem(path)
  if (problem)
    throw new LabError(
      'storage',
      `Cannot open the notebook database ${path}: ${problem}; the notebook was not changed.`
    )
}

/**
 * A damaged file would open and then fail every request: it is checked page by page first
 * (`PRAGMA quick_check`: about 2 s per GiB from the page cache, longer from a cold disk) and
 * refused with its path.
 */
function refuseDamaged(db: Database, path: string): void {
  const problem = db.pragma('quick_check(1)', { simple: true }) as string
  if (problem === 'ok') return
  throw new LabError(
    'storage',
    `Cannot open the notebook database ${path}: it is damaged (SQLite's check says: ${problem}). ` +
      'The file is left untouched; restore a backup of it (a notebook.sqlite.vN-….bak beside it is ' +
      'one), or choose another with --db.'
  )
}

/** A new notebook file is this user's only (0600), as are the -wal and -shm files SQLite copies it to. */
function createPrivate(path: string): void {
  closeSync(openSync(path, 'a', 0o600))
}

/** Closing the database also releases its lock, whoever closes it. */
function releaseOnClose(db: Database, lock: NotebookLock): void {
  const close = db.close.bind(db)
  db.close = () => {
    try {
      return close()
    } finally {
      lock.release()
    }
  }
}

/**
 * Opens (creating if needed) the notebook database with WAL, foreign keys and a busy timeout, and
 * migrates it. A file that is not a SQLite database, is another program's, is damaged or cannot be
 * written is refused with its path in the message and is never written to. A file is opened by one
 * process at a time (see notebook-lock.ts): closing the database releases it.
 */
export function openDatabase(path: string, options: OpenOptions): OpenDatabase {
  const file = path !== ':memory:'
  // The data folder holds the user's notebooks: this user's only, when it is made here.
  if (file) mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const existed = file && existsSync(path)
  if (existed) refuseReadOnly(path)
  const lock = file ? lockNotebook(path) : null
  let db: Database | undefined
  try {
    if (file && !existed) createPrivate(path)
    try {
      db = new BetterSqlite3(
        path,
        options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}
      )
      db.pragma('busy_timeout = 5000')
      refuseForeignDatabase(db, path)
      if (existed) refuseDamaged(db, path)
      db.pragma('journal_mode = WAL')
      db.pragma('foreign_keys = ON')
      db.pragma('synchronous = NORMAL')
    } catch (err) {
      if (err instanceof LabError) throw err
      throw new LabError(
        'storage',
        `Cannot open the notebook database ${path}: ${(err as Error).message}. ` +
          (existed ? 'The file is left untouched; move it aside or choose another with --db.' : '')
      )
    }
    const migration = migrate(db, loadMigrations(options.migrationsDir), (from) =>
      existed ? backupName(path, from) : undefined
    )
    if (lock) releaseOnClose(db, lock)
    return { db, path, schemaVersion: migration.to, migration }
  } catch (err) {
    if (db?.open) db.close()
    lock?.release()
    const mapped = storageError(err, path)
    throw mapped instanceof LabError
      ? mapped
      : new LabError(
          'storage',
          `Cannot open the notebook database ${path}: ${(err as Error).message}`
        )
  }
}
