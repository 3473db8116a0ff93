/** Timestamps are ISO-8601 strings in UTC. */
export interface ExperimentSummary {
  id: number
  title: string
  tags: string[]
  runCount: number
  /** Runs queued or running now: the list shows them while a batch is on its way. */
  unfinishedRunCount: number
  createdAt: string
  updatedAt: string
  /** When it was imported from a bundle; null for an experiment made in this notebook. */
  importedAt: string | null
}

export interface Experiment extends ExperimentSummary {
  hypothesis: string
  notes: string
  /** The preset the scenario started from, if any. */
  preset: string | null
  /** The scenario runs use (fully resolved), or null before one is chosen. */
  scenario: unknown
}

export interface SearchHit extends ExperimentSummary {
  /** An excerpt of the matching title or notes, with the hit wrapped in «». */
  snippet: string
}

export interface TagCount {
  name: string
  count: number
}

export interface AppInfo {
  appVersion: string
  simulatorVersion: string
  databasePath: string
  schemaVersion: number
  /**
   * Where the next start opens the notebook, when Settings may choose it; null when the database
   * was named at launch (`serve --db`), which then decides.
   */
  notebookLocation: { next: string; default: string } | null
}

export type ThemePreference = 'system' | 'light' | 'dark'

export interface Settings {
  theme: ThemePreference
  /** Simulation worker threads; null = one per available CPU. */
  workers: number | null
  /** Where batches run: this computer, or as jobs on a Redis queue (`reclaim-lab worker`). */
  runOn: 'local' | 'queue'
  /** redis:// or rediss:// URL of that queue; it may carry a password. */
  redisUrl: string | null
}

export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted'

/** The few numbers every run table shows (kernel names; rates per second; latency in µs). */
export interface KeyMetrics {
  allocstall: number
  pgsteal_anon_per_s: number
  psi_some_avg10: number
  /** null for observed runs: /proc/vmstat has no latencies or thread CPU time. */
  alloc_p99_us: number | null
  kswapd_cpu_pct: number | null
}

/** Simulated by this notebook, or imported from real /proc/vmstat snapshots. */
export type RunSource = 'simulated' | 'observed'

export interface RunSummary {
  id: number
  experimentId: number
  batchId: number | null
  variant: string
  seed: number
  /** Knob path → value, for runs of a sweep; empty otherwise. */
  sweepPoint: Record<string, number | string | boolean>
  status: RunStatus
  error: string | null
  /** 0..1 while queued or running (live), 1 when done. */
  progress: number
  simulatorVersion: string
  configHash: string
  queuedAt: string
  startedAt: string | null
  finishedAt: string | null
  wallMs: number | null
  metrics: KeyMetrics | null
  hasNotes: boolean
  source: RunSource
  /** An observed run's name (runs sharing a label are replicates); '' for simulated runs. */
  label: string
}

export interface RunDetail extends RunSummary {
  scenario: unknown
  /** The simulator's result (vmstat, psi, derived, histograms, warnings, threads); null until done. */
  result: Record<string, unknown> | null
  notes: string
}

/** A run's trace-event file, regenerated and checked: ready to download with `export:trace`. */
export interface TraceSummary {
  runId: number
  fileName: string
  /** Trace events in the file, and events past `scenario.trace.max_events` left out. */
  events: number
  dropped: number
  simulatorVersion: string
}

export interface RunSeries {
  runId: number
  t_s: number[]
  series: Record<string, number[]>
}

export interface Annotation {
  id: number
  experimentId: number
  /** The run it is pinned to; null for one pinned to the experiment's compare view. */
  runId: number | null
  tStartS: number
  tEndS: number | null
  text: string
  createdAt: string
}

/** A batch that still has runs queued or running. */
export interface BatchProgress {
  batchId: number
  experimentId: number
  runs: number
  /** Runs that ended (done, failed or cancelled). */
  ended: number
  /** Simulated seconds done over the batch's simulated seconds, 0..1; it only grows. */
  fraction: number
  /** Wall seconds until its last run ends (earlier batches run first); null until a speed is measured. */
  etaS: number | null
}

export interface QueueState {
  /** Worker threads in the pool. */
  workers: number
  running: number
  queued: number
  failed: number
  /**
   * Work done since the queue was last idle, 0..1, in simulated seconds: it does not go back when a
   * run ends (it does when a batch is added).
   */
  fraction: number
  /** Wall seconds until the queue is idle, from measured simulation speed; null until known. */
  etaS: number | null
  batches: BatchProgress[]
}

export interface PresetInfo {
  name: string
  description: string
  sources: string[]
  /** Fully resolved (defaults applied). */
  scenario: unknown
}

export interface VariantInfo {
  name: string
  /** One line: the design. */
  description: string
  /** Where it comes from: the posting, its date and Message-ID. */
  source: string
  /** Known bugs and gaps of the design as posted, each saying whether the model has it. */
  knownBugs: string[]
  /** What each `variant` knob left on auto (null) resolves to; null for baseline (no knobs). */
  defaults: Record<string, string | number | boolean> | null
}

export interface SimCatalog {
  simulatorVersion: string
  presets: PresetInfo[]
  variants: VariantInfo[]
}

/**
 * What a download channel answers once its file is written. `path` is where the desktop app saved
 * it; null in a browser (its downloads folder) and when the save dialog was cancelled (`saved`
 * false, nothing written).
 */
export interface SavedFile {
  fileName: string
  saved: boolean
  path: string | null
}
