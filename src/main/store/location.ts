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

export const LOCATION_FILE = 'notebook-location.json'

export function locationFile(dataDir: string): string {
  return join(dataDir, LOCATION_FILE)
}

export function defaultNotebookPath(dataDir: string): string {
  return join(dataDir, 'notebook.sqlite')
}

/** The file chosen in Settings, or null (none chosen, or the record is unreadable). */
export function chosenNotebookPath(dataDir: string): string | null {
  try {
    const { path } = JSON.parse(readFileSync(locationFile(dataDir), 'utf8')) as { path?: unknown }
    return typeof path === 'string' && isAbsolute(path) ? path : null
  } catch {
    return null
  }
}

/** What a start opens: the chosen file, else the default one. */
export function notebookPathFor(dataDir: string): string {
  return chosenNotebookPath(dataDir) ?? defaultNotebookPath(dataDir)
}

/** For a start that failed to open a chosen notebook: how to get back to the default one. */
export function backToDefaultHint(dataDir: string): string {
  return chosenNotebookPath(dataDir)
    ? `\nThis notebook was chosen in Settings; delete ${locationFile(dataDir)} to open the default one (${defaultNotebookPath(dataDir)}).`
    : ''
}

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
  const folder = dirname(file)
  if (!existsSync(folder)) refuse(`the folder ${folder} does not exist`)
  try {
    accessSync(folder, constants.W_OK)
  } catch {
    refuse(`the folder ${folder} cannot be written (the database keeps its journal beside it)`)
  }
  if (!existsSync(file)) return file
  if (statSync(file).isDirectory()) refuse(`${file} is a folder; name a file in it`)
  let db: BetterSqlite3.Database | undefined
  try {
    db = new BetterSqlite3(file, { readonly: true, ...(nativeBinding ? { nativeBinding } : {}) })
    const version = db.pragma('user_version', { simple: true }) as number
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all() as string[]
    if (version > latestSchema)
      refuse(`${file} has schema version ${version}, newer than this Reclaim Lab understands`)
    if (version === 0 && tables.length)
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
  const record = locationFile(dataDir)
  if (path === null || path === defaultNotebookPath(dataDir)) {
    rmSync(record, { force: true })
    return
  }
  const partial = `${record}.partial`
  writeFileSync(partial, `${JSON.stringify({ path }, null, 2)}\n`)
  renameSync(partial, record)
}
