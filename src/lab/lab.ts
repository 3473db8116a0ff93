import type { Handlers } from '../shared/contract'
import type { Accelerator } from '../shared/kernel-run'
import { SIMULATOR_VERSION } from '../sim/version'
import { createContext, createRepositories, type LabContext } from './context'
import { EventBus } from './events'
import type { DownloadHandlers } from './export/stream'
import { createHandlers } from './handlers'
import { downloadHandlers } from './handlers/downloads'
import { KernelRunService, type KernelRunServiceOptions } from './kernel-run'
import { defaultCacheDir } from './paths'
import { workerFactory } from './pool/worker-factory'
import { RunTraces } from './runs/trace'
import { RunOnExecutor, runOnFrom } from './queue/run-on'
import { RunService } from './runs/run-service'
import { workersFor } from './runs/workers'
import { openDatabase } from './store/database'
import { storageError } from './store/storage-errors'
import { APP_VERSION } from './version'
import { join } from 'node:path'

export interface LabOptions {
  databasePath: string
  migrationsDir: string
  /** The simulation worker's entry: out/main/sim-worker.js in the app, the .ts source otherwise. */
  workerEntry: string
  nativeBinding?: string
  /** Worker threads; defaults to the setting, else the machine's parallelism. */
  workers?: number
  /** Start the workers and compile the simulator in them now, not at the first batch (the apps). */
  warmWorkers?: boolean
  /**
   * The data folder whose notebook-location.json Settings may change (the desktop app, serve mode
   * without --db); absent when the database was named explicitly.
   */
  dataDir?: string
  /** Where kernel runs cache their initramfs; the XDG cache folder by default. */
  cacheDir?: string
  /** Kernel runs under this accelerator only; KVM when it works, else TCG, by default. */
  accel?: Accelerator
  /** Stand-ins for the host's tools and kernels (tests). */
  kernelHost?: Pick<KernelRunServiceOptions, 'findTools' | 'run' | 'boot' | 'modulesRoot'>
}

export interface Lab {
  ctx: LabContext
  handlers: Handlers
  downloads: DownloadHandlers
  close(): Promise<void>
}

/** Handlers whose notebook failures (full, read-only, damaged) name the notebook file. */
function withStorageErrors(handlers: Handlers, path: string): Handlers {
  const wrapped = Object.entries(handlers).map(([channel, handler]) => [
    channel,
    async (input: unknown) => {
      try {
        return await (handler as (input: unknown) => unknown)(input)
      } catch (err) {
        throw storageError(err, path)
      }
    }
  ])
  return Object.fromEntries(wrapped) as Handlers
}

/** Opens the notebook database and wires handlers over it; shared by Electron, serve mode and tests. */
export function openLab(options: LabOptions): Lab {
  const opened = openDatabase(options.databasePath, {
    migrationsDir: options.migrationsDir,
    nativeBinding: options.nativeBinding
  })
  const events = new EventBus()
  const repositories = createRepositories(opened.db)
  const saved = repositories.settings.get()
  const workers = options.workers ?? workersFor(saved.workers)
  const createWorker = workerFactory(options.workerEntry)
  let executor: RunOnExecutor | undefined
  const runService = new RunService({
    runs: repositories.runs,
    databasePath: opened.path,
    events,
    simulatorVersion: SIMULATOR_VERSION,
    workers,
    createWorker,
    executor: (listener) =>
      (executor = new RunOnExecutor(
        { workers, createWorker, simulatorVersion: SIMULATOR_VERSION, runOn: runOnFrom(saved) },
        listener
      ))
  })
  if (options.warmWorkers) void runService.warmWorkers()
  const traces = new RunTraces(createWorker, SIMULATOR_VERSION)
  const kernelRuns = new KernelRunService({
    runs: repositories.runs,
    events,
    databasePath: opened.path,
    cacheDir: join(options.cacheDir ?? defaultCacheDir(), 'kernel-run'),
    accel: options.accel ?? null,
    ...options.kernelHost
  })
  const ctx = createContext(
    {
      db: opened.db,
      databasePath: opened.path,
      schemaVersion: opened.schemaVersion,
      appVersion: APP_VERSION,
      simulatorVersion: SIMULATOR_VERSION,
      events,
      runService,
      traces,
      kernelRuns,
      runOn: (settings) => executor!.use(runOnFrom(settings)),
      dataDir: options.dataDir ?? null,
      nativeBinding: options.nativeBinding
    },
    repositories
  )
  return {
    ctx,
    handlers: withStorageErrors(createHandlers(ctx), opened.path),
    downloads: downloadHandlers(ctx),
    close: async () => {
      await kernelRuns.close()
      await Promise.all([runService.close(), traces.close()])
      opened.db.close()
    }
  }
}
