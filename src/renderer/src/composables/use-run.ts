import type { RunDetail, RunSeries, RunStatus } from '@shared/dto'
import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue'
import { readResult } from '../charts/result'
import { appendSamples } from '../charts/series'
import { call, on } from '../lab'
import { isFinished } from '../run-status'

export interface RunLive {
  status: RunStatus
  fraction: number
  simS: number
}

/** How often a running run's charts fetch the samples sent so far. */
export const LIVE_REFRESH_MS = 1000

/**
 * One run with its series; follows `run:progress` while it is queued or running, and while it runs
 * fetches the samples it has sent so far (at most every LIVE_REFRESH_MS) for live charts.
 */
export function useRun(runId: Ref<number>) {
  const run = ref<RunDetail | null>(null)
  const series = ref<RunSeries | null>(null)
  const loading = ref(false)
  const error = ref('')
  const seriesError = ref('')
  const live = ref<RunLive | null>(null)
  let seq = 0
  let lastLive = 0
  let liveInFlight = false

  async function refreshLive(id: number): Promise<void> {
    if (liveInFlight || Date.now() - lastLive < LIVE_REFRESH_MS) return
    liveInFlight = true
    lastLive = Date.now()
    const mine = seq
    const have = series.value?.runId === id ? series.value : null
    try {
      // Only the samples that are new since the last fetch.
      const s = await call('run:series', { id, from: have?.t_s.length ?? 0 })
      if (mine !== seq || run.value?.status !== 'running' || series.value !== have) return
      series.value = have ? appendSamples(have, s) : s
    } catch {
      // The next progress event asks again; the finished run loads its series in full.
    } finally {
      liveInFlight = false
    }
  }

  async function load(id: number): Promise<void> {
    const mine = ++seq
    loading.value = true
    error.value = ''
    try {
      const detail = await call('run:get', { id })
      if (mine !== seq) return
      series.value = null
      seriesError.value = ''
      run.value = detail
      live.value = { status: detail.status, fraction: detail.progress, simS: 0 }
      if (detail.status === 'running') {
        lastLive = 0
        void refreshLive(id)
      } else if (detail.status === 'done') {
        try {
          const s = await call('run:series', { id })
          if (mine === seq) series.value = s
        } catch (err) {
          if (mine === seq) seriesError.value = (err as Error).message
        }
      }
    } catch (err) {
      if (mine === seq) {
        run.value = null
        error.value = (err as Error).message
      }
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  watch(runId, (id) => void load(id), { immediate: true })

  const off = on('run:progress', (p) => {
    if (p.runId !== runId.value) return
    live.value = { status: p.status, fraction: p.fraction, simS: p.simS }
    const current = run.value
    if (!current) return
    if (isFinished(p.status) && current.status !== p.status) void load(p.runId)
    else {
      current.status = p.status
      if (p.status === 'running') void refreshLive(p.runId)
    }
  })
  onBeforeUnmount(off)

  const result = computed(() => readResult(run.value?.result ?? null))
  const reload = () => load(runId.value)
  return { run, series, result, loading, error, seriesError, live, reload }
}
