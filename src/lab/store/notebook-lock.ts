/**
 * One writer per notebook file. SQLite would let a second process in, and that one would mark the
 * first one's live runs interrupted; so a writer (the app, serve, `run --db`) first creates
 * `NOTEBOOK.lock` beside the notebook with O_EXCL, holding its PID and host. A lock whose process
 * is gone (a crash, a kill) is taken over; a live one refuses the open, naming the PID.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { LabError } from '../../shared/errors'

export interface NotebookLock {
  file: string
  release(): void
}

interface Owner {
  pid: number
  host: string
}

/** Lock files this process holds: removed at exit too, should a close never come. */
const held = new Set<string>()
process.on('exit', () => {
  for (const file of held) rmSync(file, { force: true })
})

export function lockFileFor(notebook: string): string {
  return `${notebook}.lock`
}

function ownText(): string {
  return `${process.pid}\n${hostname()}\n`
}

function create(file: string): boolean {
  let fd: number
  try {
    fd = openSync(file, 'wx', 0o600)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  }
  try {
    writeSync(fd, ownText())
  } finally {
    closeSync(fd)
  }
  return true
}

/** The lock's owner; null when the file went away or does not hold one (being written, or junk). */
function readOwner(file: string): { owner: Owner | null; text: string } | null {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  const [pid, host = ''] = text.split('\n')
  return /^\d+$/.test(pid) ? { owner: { pid: Number(pid), host }, text } : { owner: null, text }
}

function isLive({ pid, host }: Owner, file: string): boolean {
  // Another machine's process cannot be checked from here (a notebook on a shared drive).
  if (host && host !== hostname()) return true
  // Our own PID in a lock we do not hold: left by an earlier process with this PID (a container restart).
  if (pid === process.pid) return held.has(file)
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

function inUse(notebook: string, file: string, { pid, host }: Owner): LabError {
  const where =
    host && host !== hostname() ? ` on ${host}` : pid === process.pid ? ' (this one)' : ''
  return new LabError(
    'conflict',
    `The notebook ${notebook} is in use by PID ${pid}${where}: another Reclaim Lab (the app, serve ` +
      `or a run --db) is writing to it. Close that one first, or open another notebook. If PID ` +
      `${pid} is not Reclaim Lab, delete ${file}.`
  )
}

/** Takes the notebook's lock, taking over a stale one; refuses a live one by its PID. */
export function lockNotebook(notebook: string): NotebookLock {
  const file = lockFileFor(notebook)
  for (let attempt = 0; attempt < 5; attempt++) {
    if (create(file)) {
      held.add(file)
      return { file, release: () => release(file) }
    }
    const found = readOwner(file)
    if (found === null) continue
    if (found.owner === null) {
      // Created but not yet written by its owner: look again before calling it junk.
      sleepMs(50)
      const again = readOwner(file)
      if (again === null || again.text !== found.text) continue
    } else if (isLive(found.owner, file)) throw inUse(notebook, file, found.owner)
    // Stale: removed only if it is still the one read, not a lock another opener just took.
    if (readOwner(file)?.text === found.text) rmSync(file, { force: true })
  }
  throw new LabError('conflict', `Cannot take the lock ${file} on the notebook ${notebook}.`)
}

function release(file: string): void {
  if (!held.delete(file)) return
  if (readOwner(file)?.text === ownText()) rmSync(file, { force: true })
}
