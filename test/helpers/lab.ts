import { createContext, type LabContext } from '../../src/main/context'
import { createHandlers } from '../../src/main/handlers'
import { openDatabase } from '../../src/main/store/database'
import type { Handlers } from '../../src/shared/contract'
import { MIGRATIONS_DIR } from './tmp'

/** Handlers over an in-memory notebook, as both transports see them. */
export function memoryLab(): { ctx: LabContext; handlers: Handlers } {
  const { db, schemaVersion } = openDatabase(':memory:', { migrationsDir: MIGRATIONS_DIR })
  const ctx = createContext({
    db,
    databasePath: ':memory:',
    schemaVersion,
    appVersion: '0.0.0-test',
    simulatorVersion: '0.0.0-test'
  })
  return { ctx, handlers: createHandlers(ctx) }
}
