import type { Handlers } from '../shared/contract'
import { SIMULATOR_VERSION } from '../sim/version'
import { createContext, type LabContext } from './context'
import { createHandlers } from './handlers'
import { openDatabase } from './store/database'
import { APP_VERSION } from './version'

export interface LabOptions {
  databasePath: string
  migrationsDir: string
  nativeBinding?: string
}

export interface Lab {
  ctx: LabContext
  handlers: Handlers
  close(): void
}

/** Opens the notebook database and wires handlers over it; shared by Electron, serve mode and tests. */
export function openLab(options: LabOptions): Lab {
  const opened = openDatabase(options.databasePath, {
    migrationsDir: options.migrationsDir,
    nativeBinding: options.nativeBinding
  })
  const ctx = createContext({
    db: opened.db,
    databasePath: opened.path,
    schemaVersion: opened.schemaVersion,
    appVersion: APP_VERSION,
    simulatorVersion: SIMULATOR_VERSION
  })
  return { ctx, handlers: createHandlers(ctx), close: () => opened.db.close() }
}
