import { LabError } from '../../shared/errors'

/** What SQLite's result code says about the notebook file, for someone who can act on it. */
function describe(code: string, path: string, reason: string): string | null {
  if (code === 'SQLITE_FULL')
    return (
      `The notebook ${path} is full (its disk, or a size limit on the file): free some space, ` +
      'then try again.'
    )
  if (code.startsWith('SQLITE_READONLY'))
    return (
      `The notebook ${path} cannot be written (${reason}): make the file and its folder ` +
      'writable, or open a copy.'
    )
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return `The notebook ${path} is damaged (${reason}): restore a backup or open another notebook.`
  if (code.startsWith('SQLITE_IOERR'))
    return `Reading or writing the notebook ${path} failed (${reason}): check its disk.`
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return `The notebook ${path} is locked by another program (${reason}): close it, then try again.`
  if (code.startsWith('SQLITE_CANTOPEN'))
    return `The notebook ${path} cannot be opened (${reason}): check that it and its folder exist.`
  return null
}

/**
 * A failure of the notebook file itself (full, read-only, damaged, unreadable) as a storage error
 * naming the file; anything else (a constraint, a bug, a LabError) is returned as it was.
 */
export function storageError(err: unknown, path: string): unknown {
  if (err instanceof LabError || !(err instanceof Error)) return err
  const code = (err as Error & { code?: unknown }).code
  if (typeof code !== 'string') return err
  const message = describe(code, path, err.message)
  return message === null ? err : new LabError('storage', message)
}

/** The message a user sees for `err` on the notebook at `path`. */
export function storageMessage(err: unknown, path: string): string {
  const mapped = storageError(err, path)
  return mapped instanceof Error ? mapped.message : String(mapped)
}
