import type { z, ZodType } from 'zod'
import type { Channel, DownloadChannel, EventName } from './channels'
import {
  annotationCreateInput,
  annotationListInput,
  experimentIdInput,
  experimentSetScenarioInput,
  runCancelInput,
  runSetNotesInput,
  runStartInput,
  experimentCreateInput,
  experimentListInput,
  experimentSetTagsInput,
  experimentUpdateInput,
  idInput,
  noInput,
  settingsUpdateInput,
  notebookLocationInput,
  runSeriesInput,
  experimentRunsInput,
  runSummariesExportInput,
  seriesExportInput,
  bundleImportInput,
  shareImportInput,
  observedImportInput,
  kernelStartInput
} from './schemas'
import type { KernelHost } from './kernel-run'
import type { LabErrorData } from './errors'
import type {
  Annotation,
  AppInfo,
  Experiment,
  ExperimentSummary,
  QueueState,
  RunDetail,
  RunSeries,
  RunStatus,
  RunSummary,
  SavedFile,
  SearchHit,
  Settings,
  SimCatalog,
  TagCount,
  TraceSummary
} from './dto'

/**
 * Every request channel with the schema that validates its input at the boundary.
 * Both transports (Electron IPC and serve-mode HTTP) serve exactly these channels.
 */
export const requestSchemas = {
  'app:info': noInput,
  'experiment:list': experimentListInput,
  'experiment:get': idInput,
  'experiment:create': experimentCreateInput,
  'experiment:update': experimentUpdateInput,
  'experiment:setTags': experimentSetTagsInput,
  'experiment:duplicate': idInput,
  'experiment:delete': idInput,
  'experiment:setScenario': experimentSetScenarioInput,
  'sim:catalog': noInput,
  'run:start': runStartInput,
  'run:list': experimentIdInput,
  'run:get': idInput,
  'run:series': runSeriesInput,
  'run:details': experimentRunsInput,
  'run:cancel': runCancelInput,
  'run:setNotes': runSetNotesInput,
  'run:delete': idInput,
  'run:trace': idInput,
  'annotation:list': annotationListInput,
  'annotation:create': annotationCreateInput,
  'annotation:delete': idInput,
  'queue:state': noInput,
  'tag:list': noInput,
  'settings:get': noInput,
  'settings:update': settingsUpdateInput,
  'settings:setNotebookLocation': notebookLocationInput,
  'bundle:import': bundleImportInput,
  'share:encode': idInput,
  'share:import': shareImportInput,
  'observed:import': observedImportInput,
  'kernel:host': noInput,
  'kernel:start': kernelStartInput,
  'run:log': idInput
} as const satisfies Record<Channel, ZodType>

/** Every download channel with the schema that validates its input, as for request channels. */
export const downloadSchemas = {
  'export:runsCsv': runSummariesExportInput,
  'export:seriesCsv': seriesExportInput,
  'export:histogramsCsv': experimentRunsInput,
  'export:trace': idInput,
  'bundle:export': idInput
} as const satisfies Record<DownloadChannel, ZodType>

export type DownloadInput<C extends DownloadChannel> = z.input<(typeof downloadSchemas)[C]>
export type DownloadArgs<C extends DownloadChannel> = z.output<(typeof downloadSchemas)[C]>

/** What each channel answers. */
export type Responses = EveryChannel<{
  'app:info': AppInfo
  'experiment:list': Array<ExperimentSummary | SearchHit>
  'experiment:get': Experiment
  'experiment:create': Experiment
  'experiment:update': Experiment
  'experiment:setTags': Experiment
  'experiment:duplicate': Experiment
  'experiment:delete': { id: number }
  'experiment:setScenario': Experiment
  'sim:catalog': SimCatalog
  'run:start': { batchId: number; runIds: number[] }
  'run:list': RunSummary[]
  'run:get': RunDetail
  'run:series': RunSeries
  'run:details': RunDetail[]
  'run:cancel': { cancelled: number }
  'run:setNotes': RunDetail
  'run:delete': { id: number }
  'run:trace': TraceSummary
  'annotation:list': Annotation[]
  'annotation:create': Annotation
  'annotation:delete': { id: number }
  'queue:state': QueueState
  'tag:list': TagCount[]
  'settings:get': Settings
  'settings:update': Settings
  'settings:setNotebookLocation': AppInfo
  'bundle:import': { experiment: Experiment; runs: number; annotations: number }
  'share:encode': { code: string }
  'share:import': Experiment
  'observed:import': RunSummary
  'kernel:host': KernelHost
  'kernel:start': { batchId: number; runIds: number[] }
  /** A kernel run's serial console ('' for other runs). */
  'run:log': { runId: number; text: string }
}>

type EveryChannel<T extends Record<Channel, unknown>> = T

/** What a caller may send (defaults not yet applied). */
export type RequestInput<C extends Channel> = z.input<(typeof requestSchemas)[C]>
/** What a handler receives (validated, defaults applied). */
export type RequestArgs<C extends Channel> = z.output<(typeof requestSchemas)[C]>

export type Handlers = {
  [C in Channel]: (args: RequestArgs<C>) => Responses[C] | Promise<Responses[C]>
}

/** Payload of each server → renderer event. */
export type Events = EveryEvent<{
  'experiment:changed': { id: number; kind: 'created' | 'updated' | 'deleted' }
  /** Desktop app only: an application-menu item was chosen. */
  'menu:command': { command: 'new-experiment' | 'focus-search' | 'run-batch' | 'compare' }
  'run:progress': {
    runId: number
    experimentId: number
    status: RunStatus
    fraction: number
    simS: number
  }
  'queue:changed': QueueState
}>

type EveryEvent<T extends Record<EventName, unknown>> = T

export type { Channel, DownloadChannel, EventName }
export {
  channelNames,
  downloadChannelNames,
  eventNames,
  isChannel,
  isDownloadChannel,
  isEventName
} from './channels'

/** The wire envelope of every answer, on both transports. */
export type Reply<T> = { ok: true; data: T } | { ok: false; error: LabErrorData }

/** The `lab` object the preload exposes; the renderer's HTTP client implements the same shape. */
export interface LabBridge {
  invoke<C extends Channel>(channel: C, input?: RequestInput<C>): Promise<Reply<Responses[C]>>
  /** Writes a download channel's file where the user chooses (save dialog, browser download). */
  download<C extends DownloadChannel>(
    channel: C,
    input?: DownloadInput<C>
  ): Promise<Reply<SavedFile>>
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void
}
