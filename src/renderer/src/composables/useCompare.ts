import type { RunDetail } from '@shared/dto'
import { groupRuns, type CompareGroup, type CompareRun } from '@shared/compare/groups'
import { parameterDiff } from '@shared/compare/params'
import { buildCompareTable } from '@shared/compare/table'
import type { ResultLike } from '@shared/compare/metrics'
import { computed, ref, watch, type Ref } from 'vue'
import { call } from '../lab'
import { groupColors } from '../variants'

const toCompareRun = (r: RunDetail): CompareRun => ({
  id: r.id,
  variant: r.variant,
  seed: r.seed,
  source: r.source,
  label: r.label,
  sweepPoint: r.sweepPoint,
  simulatorVersion: r.simulatorVersion,
  scenario: r.scenario,
  result: (r.result ?? {}) as ResultLike
})

/**
 * The compare view's state: the experiment's finished runs (or the picked ones), grouped by variant,
 * sweep point or observed label; which groups are shown and which one is the baseline.
 */
export function useCompare(experimentId: Ref<number>, pickedRunIds: Ref<number[] | null>) {
  const details = ref<RunDetail[]>([])
  const loading = ref(false)
  const error = ref('')
  const hidden = ref(new Set<string>())
  const chosenBaseline = ref<string | null>(null)
  const changeIntervals = ref(false)

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

  const allGroups = computed<CompareGroup[]>(() => groupRuns(details.value.map(toCompareRun)))
  const colors = computed(() => {
    const list = groupColors(allGroups.value)
    return new Map(allGroups.value.map((g, i) => [g.key, list[i]]))
  })
  const groups = computed(() => allGroups.value.filter((g) => !hidden.value.has(g.key)))
  const baseline = computed(() => {
    const keys = groups.value.map((g) => g.key)
    if (chosenBaseline.value && keys.includes(chosenBaseline.value)) return chosenBaseline.value
    return keys.includes('baseline') ? 'baseline' : (keys[0] ?? '')
  })
  const table = computed(() =>
    buildCompareTable(groups.value, baseline.value, { changeIntervals: changeIntervals.value })
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
    loading,
    error,
    load,
    allGroups,
    groups,
    colors,
    hidden,
    toggle,
    baseline,
    chosenBaseline,
    changeIntervals,
    table,
    parameters
  }
}
