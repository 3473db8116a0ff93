import type { ExperimentSummary, RunDetail } from '@shared/dto'
import {
  compareRunOf,
  groupRuns,
  pickBaseline,
  type CompareGroup,
  type CompareRun
} from '@shared/compare/groups'
import { parameterDiff } from '@shared/compare/params'
import { buildCompareTable } from '@shared/compare/table'
import { afterWarmup, WARMUP_SERIES, type SeriesLike } from '@shared/compare/warmup'
import { computed, ref, watch, type Ref } from 'vue'
import { call } from '../lab'
import { groupColors } from '../variants'

/** How a run from another experiment is labelled in the groups: "#3 v2". */
export const originOf = (experimentId: number) => `#${experimentId}`

/**
 * The compare view's state: the experiment's finished runs (or the picked ones), grouped by variant,
 * sweep point or observed label, with the finished runs of other experiments added to it; which
 * groups are shown and which one is the baseline.
 */
export function useCompare(experimentId: Ref<number>, pickedRunIds: Ref<number[] | null>) {
  const details = ref<RunDetail[]>([])
  /** Other experiments whose runs join the comparison, their groups named "#ID variant". */
  const others = ref<number[]>([])
  const otherDetails = ref<RunDetail[]>([])
  /** Every experiment of the notebook, for the picker of other experiments. */
  const experiments = ref<ExperimentSummary[]>([])
  const loading = ref(false)
  const error = ref('')
  const hidden = ref(new Set<string>())
  const chosenBaseline = ref<string | null>(null)
  const changeIntervals = ref(false)
  /** stddev, min and max rows under each metric (mmtests' Stddev, Min, Max). */
  const spread = ref(false)
  /** The metric shown per seed under its row. */
  const selectedMetric = ref<string | null>(null)
  /** Seconds of simulated time left out of the summaries. */
  const warmupS = ref(0)
  const counters = ref(new Map<number, SeriesLike>())

  async function load(): Promise<void> {
    loading.value = true
    try {
      details.value = await call('run:details', {
        experimentId: experimentId.value,
        runIds: pickedRunIds.value ?? undefined
      })
      error.value = ''
    } catch (err) {
      error.value = (err as Error).message
    } finally {
      loading.value = false
    }
  }
  watch([experimentId, pickedRunIds], load, { immediate: true })

  async function loadOthers(): Promise<void> {
    const ids = others.value.filter((id) => id !== experimentId.value)
    try {
      const lists = await Promise.all(ids.map((id) => call('run:details', { experimentId: id })))
      otherDetails.value = lists.flat()
      error.value = ''
    } catch (err) {
      error.value = (err as Error).message
    }
  }
  watch(others, loadOthers)
  watch(experimentId, () => (others.value = []))

  async function loadExperiments(): Promise<void> {
    try {
      experiments.value = await call('experiment:list', {})
    } catch (err) {
      error.value = (err as Error).message
    }
  }

  /** The counter series a warm-up cut needs, fetched once per run. */
  async function loadCounters(): Promise<void> {
    if (warmupS.value <= 0) return
    const missing = [...details.value, ...otherDetails.value].filter(
      (r) => !counters.value.has(r.id)
    )
    if (!missing.length) return
    try {
      const loaded = await Promise.all(
        missing.map(
          async (r) => [r.id, await call('run:series', { id: r.id, names: WARMUP_SERIES })] as const
        )
      )
      const next = new Map(counters.value)
      for (const [id, s] of loaded) next.set(id, { t_s: s.t_s, series: s.series })
      counters.value = next
    } catch (err) {
      error.value = (err as Error).message
    }
  }
  watch([warmupS, details, otherDetails], loadCounters)

  const runs = computed<CompareRun[]>(() => {
    const all = [
      ...details.value.map((r) => compareRunOf(r)),
      ...otherDetails.value.map((r) => compareRunOf(r, originOf(r.experimentId)))
    ]
    if (warmupS.value <= 0) return all
    return all.map((run) => {
      const series = counters.value.get(run.id)
      return { ...run, result: (series && afterWarmup(run.result, series, warmupS.value)) ?? {} }
    })
  })

  const allGroups = computed<CompareGroup[]>(() => groupRuns(runs.value))
  const colors = computed(() => {
    const list = groupColors(allGroups.value)
    return new Map(allGroups.value.map((g, i) => [g.key, list[i]]))
  })
  const groups = computed(() => allGroups.value.filter((g) => !hidden.value.has(g.key)))
  const baseline = computed(() =>
    pickBaseline(
      groups.value.map((g) => g.key),
      chosenBaseline.value
    )
  )
  const table = computed(() =>
    buildCompareTable(groups.value, baseline.value, {
      changeIntervals: changeIntervals.value,
      warmupS: warmupS.value,
      spread: spread.value
    })
  )
  const parameters = computed(() => parameterDiff(groups.value))

  function toggle(key: string, shown: boolean): void {
    const next = new Set(hidden.value)
    if (shown) next.delete(key)
    else next.add(key)
    hidden.value = next
  }

  return {
    details,
    others,
    experiments,
    loadExperiments,
    spread,
    selectedMetric,
    loading,
    error,
    load: async () => {
      await Promise.all([load(), loadOthers()])
    },
    allGroups,
    groups,
    colors,
    hidden,
    toggle,
    baseline,
    chosenBaseline,
    changeIntervals,
    warmupS,
    table,
    parameters
  }
}
