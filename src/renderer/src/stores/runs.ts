import type { DownloadChannel, DownloadInput, RequestInput } from '@shared/contract'
import type { BatchProgress, RunStatus, RunSummary, SavedFile } from '@shared/dto'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call, download, on } from '../lab'
import { BatchWatch, type BatchOutcome } from './batch-watch'
import { EtaTracker } from './eta'

/** The open experiment's runs, kept live from run:progress events. */
export const useRunsStore = defineStore('runs', () => {
  const experimentId = ref<number | null>(null)
  const runs = ref<RunSummary[]>([])
  /** The experiment whose list `runs` holds; until it is loaded, nothing is said about its runs. */
  const loadedFor = ref<number | null>(null)
  const error = ref('')
  /** Runs ticked for comparison; kept while a run is open so coming back keeps the selection. */
  const checked = ref<number[]>([])
  const batchWatch = new BatchWatch()
  const finishedListeners = new Set<(outcome: BatchOutcome) => void>()
  const eta = new EtaTracker()
  const now = ref(Date.now())
  setInterval(() => (now.value = Date.now()), 1000)

  async function load(id: number): Promise<void> {
    if (experimentId.value !== id) checked.value = []
    experimentId.value = id
    try {
      const list = await call('run:list', { experimentId: id })
      // A run that ended before its batch was tracked is only seen here.
      for (const r of list) settle(r.id, r.status)
      if (experimentId.value === id) {
        runs.value = list
        loadedFor.value = id
        // A ticked run deleted meanwhile (from its own page) is no longer there to compare.
        const ids = new Set(list.map((r) => r.id))
        if (checked.value.some((c) => !ids.has(c)))
          checked.value = checked.value.filter((c) => ids.has(c))
      }
      error.value = ''
    } catch (err) {
      error.value = (err as Error).message
    }
  }

  async function start(input: RequestInput<'run:start'>): Promise<number[]> {
    const { runIds } = await call('run:start', input)
    batchWatch.track(input.experimentId, runIds)
    await load(input.experimentId)
    return runIds
  }

  /** Queues runs of the scenario on a real kernel; they are followed like a simulated batch. */
  async function startKernel(input: RequestInput<'kernel:start'>): Promise<number[]> {
    const { runIds } = await call('kernel:start', input)
    batchWatch.track(input.experimentId, runIds)
    await load(input.experimentId)
    return runIds
  }

  async function remove(id: number): Promise<void> {
    await call('run:delete', { id })
    runs.value = runs.value.filter((r) => r.id !== id)
    checked.value = checked.value.filter((c) => c !== id)
  }

  async function importObserved(input: RequestInput<'observed:import'>): Promise<void> {
    await call('observed:import', input)
    await load(input.experimentId)
  }

  /** Writes runs as CSV or trace files (a save dialog or a browser download). */
  async function exportRuns<C extends Extract<DownloadChannel, `export:${string}`>>(
    channel: C,
    input: DownloadInput<C>
  ): Promise<SavedFile> {
    return download(channel, input)
  }

  async function cancel(input: RequestInput<'run:cancel'>): Promise<number> {
    const { cancelled } = await call('run:cancel', input)
    return cancelled
  }

  function settle(runId: number, status: RunStatus): void {
    const outcome = batchWatch.settle(runId, status)
    if (outcome) finishedListeners.forEach((l) => l(outcome))
  }

  /** Called once when every run of a batch started from this window has ended. */
  function onBatchFinished(listener: (outcome: BatchOutcome) => void): () => void {
    finishedListeners.add(listener)
    return () => finishedListeners.delete(listener)
  }

  on('run:progress', (p) => {
    settle(p.runId, p.status)
    if (p.experimentId !== experimentId.value) return
    if (p.status === 'running') eta.observe(p.runId, p.fraction, Date.now())
    const run = runs.value.find((r) => r.id === p.runId)
    if (!run || p.status !== 'running') {
      void load(p.experimentId)
      return
    }
    run.status = p.status
    run.progress = p.fraction
  })

  /** Seconds left for a running run, or null until known. */
  function runEta(run: RunSummary): number | null {
    return run.status === 'running' ? eta.runEta(run.id, run.progress, now.value) : null
  }

  /**
   * Unfinished batches of the open experiment: runs done counted from the live list, fraction and
   * ETA as the lab measures them (simulated seconds done, and the speed of runs already done).
   */
  function batches(progress: BatchProgress[]) {
    return progress
      .filter((b) => b.experimentId === experimentId.value)
      .map((b) => ({
        ...b,
        done: runs.value.filter((r) => r.batchId === b.batchId && r.status === 'done').length
      }))
  }

  return {
    experimentId,
    loadedFor,
    runs,
    checked,
    error,
    load,
    start,
    startKernel,
    cancel,
    remove,
    importObserved,
    exportRuns,
    runEta,
    batches,
    onBatchFinished
  }
})
