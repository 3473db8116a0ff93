import type { Database } from 'better-sqlite3'
import type { Settings } from '../shared/dto'
import { EventBus } from './events'
import type { KernelRunService } from './kernel-run'
import type { RunService } from './runs/run-service'
import { AnnotationRepository } from './store/repositories/annotations'
import { ExperimentRepository } from './store/repositories/experiments'
import { RunRepository } from './store/repositories/runs'
import { SettingsRepository } from './store/repositories/settings'
import { TagRepository } from './store/repositories/tags'
import type { RunTraces } from './runs/trace'

/** What handlers share: repositories over one database, the run service, events and versions. */
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
  runs: RunRepository
  annotations: AnnotationRepository
  runService: RunService
  /** Regenerates runs' event traces for download. */
  traces: RunTraces
  /** Runs of the scenario on real kernels in qemu. */
  kernelRuns: KernelRunService
  /** Sends new batches where Settings now say (this computer or a Redis queue). */
  runOn: (settings: Settings) => void
  /** Where the notebook's location is chosen (see store/location.ts); null when it cannot be. */
  dataDir: string | null
  nativeBinding?: string
}

export interface ContextOptions {
  db: Database
  databasePath: string
  schemaVersion: number
  appVersion: string
  simulatorVersion: string
  events: EventBus
  runService: RunService
  traces: RunTraces
  kernelRuns: KernelRunService
  runOn: (settings: Settings) => void
  dataDir: string | null
  nativeBinding?: string
}

export type Repositories = Pick<
  LabContext,
  'experiments' | 'tags' | 'settings' | 'runs' | 'annotations'
>

/** One repository of each kind over the notebook; the run service and handlers share them. */
export function createRepositories(db: Database): Repositories {
  return {
    experiments: new ExperimentRepository(db),
    tags: new TagRepository(db),
    settings: new SettingsRepository(db),
    runs: new RunRepository(db),
    annotations: new AnnotationRepository(db)
  }
}

export function createContext(options: ContextOptions, repositories: Repositories): LabContext {
  return { ...options, ...repositories }
}
