import type { Database } from 'better-sqlite3'
import { EventBus } from './events'
import { ExperimentRepository } from './store/repositories/experiments'
import { SettingsRepository } from './store/repositories/settings'
import { TagRepository } from './store/repositories/tags'

/** What handlers share: repositories over one database, the event bus and version facts. */
export interface LabContext {
  db: Database
  databasePath: string
  schemaVersion: number
  appVersion: string
  simulatorVersion: string
  events: EventBus
  experiments: ExperimentRepository
  tags: TagRepository
  settings: SettingsRepository
}

export interface ContextOptions {
  db: Database
  databasePath: string
  schemaVersion: number
  appVersion: string
  simulatorVersion: string
}

export function createContext(options: ContextOptions): LabContext {
  return {
    ...options,
    events: new EventBus(),
    experiments: new ExperimentRepository(options.db),
    tags: new TagRepository(options.db),
    settings: new SettingsRepository(options.db)
  }
}
