import { join } from 'node:path'
import { openLab, type Lab } from '../../src/lab/lab'
import { MIGRATIONS_DIR } from './tmp'

export const WORKER_ENTRY = join(__dirname, '..', '..', 'src', 'sim', 'worker.ts')

/** Handlers over an in-memory notebook with one simulation worker, as both transports see them. */
export function memoryLab(): Lab {
  return openLab({
    databasePath: ':memory:',
    migrationsDir: MIGRATIONS_DIR,
    workerEntry: WORKER_ENTRY,
    workers: 1
  })
}
