/**
 * Where the notebook database lives. The default is `notebook.sqlite` in the app's data folder; a
 * file chosen in Settings is remembered in `notebook-location.json` beside it (not in a database,
 * so it outlives the database it points away from) and is opened from the next start on.
 */
import BetterSqlite3 from 'better-sqlite3'
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { accessSync, constants } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { LabError } from '../../shared/errors'
import { isForeignDatabase, readOnlyProblem } from './database'

export const LOCATION_FILE = 'notebook-location.json'

export function locationFile(dataDir: string): string {
  return join(dataDir, LOCATION_FILE)
}

export function defaultNotebookPath(dataDir: string): string {
  return join(dataDir, 'notebook.sqlite')
}

interface LocationRecord {
  path: string
  /** Set once a start has opened it: from then on a missing file is a lost notebook, not a new one. */
  opened: boolean
}

function readRecord(dataDir: string): LocationRecord | null {
  try {
    const { path, opened } = JSON.parse(readFileSync(locationFile(dataDir), 'utf8')) as {
      path?: unknown
      opened?: unknown
    }
    return typeof path === 'string' && isAbsolute(path) ? { path, opened: opened === true } : null
  } catch {
    return null
  }
}

function writeRecord(dataDir: string, record: LocationRecord): void {
  const file = locationFile(dataDir)
  const partial = `${file}.partial`
  writeFileSync(partial, `${JSON.stringify(record, null, 2)}\n`)
  renameSync(partial, file)
}

/** The file chosen in Settings, or null (none chosen, or the record is unreadable). */
export function chosenNotebookPath(dataDir: string): string | null {
  return readRecord(dataDir)?.path ?? null
}

/**
 * Before a start opens the chosen notebook: one opened before and now missing (moved, deleted, a
 * drive not mounted) is refused rather than silently replaced by an empty notebook.
 */
export function checkChosenNotebookPresent(dataDir: string): void {
  const record = readRecord(dataDir)
  if (record?.opened && !existsSync(record.path))
    throw new LabError(
      'storage',
      `The notebook chosen in Settings, ${record.path}, is missing (moved, deleted, or on a drive that is not mounted).`
    )
}

/** After a start opened the chosen notebook. */
export function markChosenNotebookOpened(dataDir: string): void {
  const record = readRecord(dataDir)
  if (record && !record.opened) writeRecord(dataDir, { ...record, opened: true })
}

/** What a start opens: the chosen file, else the default one. */
export function notebookPathFor(dataDir: string): string {
  return chosenNotebookPath(dataDir) ?? defaultNotebookPath(dataDir)
}

/**
 * A start over the data folder's notebook: the one chosen in Settings (refused if it went missing)
 * or the default. A failure says how to get back to the default notebook.
 */
export function openNotebookIn<T>(dataDir: string, open: (path: string) => T): T {
  let opened: T
  try {
    checkChosenNotebookPresent(dataDir)
    opened = open(notebookPathFor(dataDir))
  } catch (err) {
    throw new Error(`${(err as Error).message}${backToDefaultHint(dataDir)}`)
  }
  markChosenNotebookOpened(dataDir)
  return opened
}

/** For a start that failed to open a chosen notebook: how to get back to the default one. */
export function backToDefaultHint(dataDir: string): string {
  return chosenNotebookPath(dataDir)
    ? `\nThis notebook was chosen in Settings; delete ${locationFile(dataDir)} to open the default one (${defaultNotebookPath(dataDir)}).`
    : ''
}

const NOTEBOOK_EXTENSIONS = ['.sqlite', '.sqlite3', '.db']

const refuse = (message: string): never => {
  throw new LabError('invalid', message, [{ path: 'path', message }])
}

/**
 * Refuses a path a start could not open as a notebook: relative, a folder, in a folder that does not
 * exist or cannot be written, or an existing file that is not a SQLite database, belongs to another
 * program, or comes from a newer Reclaim Lab. A missing file is fine: it is created at that start.
 * Reads the file only; never writes to it.
 */
export function checkNotebookPath(
  path: string,
  latestSchema: number,
  nativeBinding?: string
): string {
  if (!isAbsolute(path)) refuse(`${path} is not an absolute path`)
  const file = resolve(path)
  // A notebook's own name: the setting never points the app at another program's file.
  if (!NOTEBOOK_EXTENSIONS.some((ext) => file.endsWith(ext)))
    refuse(`${file} does not end in ${NOTEBOOK_EXTENSIONS.join(', ')}`)
  const folder = dirname(file)
  if (!existsSync(folder)) refuse(`the folder ${folder} does not exist`)
  try {
    accessSync(folder, constants.W_OK)
  } catch {
    refuse(`the folder ${folder} cannot be written (the database keeps its journal beside it)`)
  }
  if (!existsSync(file)) return file
  const stat = statSync(file)
  if (stat.isDirectory()) refuse(`${file} is a folder; name a file in it`)
  // Opening a pipe or a device would block; only a regular file can be a notebook.
  if (!stat.isFile()) refuse(`${file} is not a regular file`)
  const readOnly = readOnlyProblem(file)
  if (readOnly) refuse(`${file} cannot be written: ${readOnly}`)
  let db: BetterSqlite3.Database | undefined
  try {
    db = new BetterSqlite3(file, {
      readonly: true,
      timeout: 5000,
      ...(nativeBinding ? { nativeBinding } : {})
    })
    const version = db.pragma('user_version', { simple: true }) as number
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all() as string[]
    if (version > latestSchema)
      refuse(`${file} has schema version ${version}, newer than this Reclaim Lab understands`)
    if (isForeignDatabase(db))
      refuse(`${file} is a SQLite database of another program, not a Reclaim Lab notebook`)
    if (version > 0 && !tables.includes('experiments'))
      refuse(`${file} is not a Reclaim Lab notebook (it has no experiments table)`)
  } catch (err) {
    if (err instanceof LabError) throw err
    refuse(`${file} cannot be opened as a notebook: ${(err as Error).message}`)
  } finally {
    db?.close()
  }
  return file
}

/**
 * Remembers `path` (already checked) for the next start, or forgets the choice (null): back to the
 * default. Written to a temporary file and renamed, so the record is never half-written.
 */
export function chooseNotebookPath(dataDir: string, path: string | null): void {
  if (path === null || path === defaultNotebookPath(dataDir)) {
    rmSync(locationFile(dataDir), { force: true })
    return
  }
  const before = readRecord(dataDir)
  writeRecord(dataDir, { path, opened: before?.path === path && before.opened })
}
