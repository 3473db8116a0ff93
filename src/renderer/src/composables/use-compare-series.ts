import type { Annotation } from '@shared/dto'
import type { CompareGroup } from '@shared/compare/groups'
import { ref, watch, type Ref } from 'vue'
import { COMPARE_SERIES_NAMES } from '../charts/compare-series'
import type { SeriesData } from '../charts/series'
import { call } from '../lab'

/**
 * The compare charts' data: each shown run's compared series and its own annotations, labelled
 * with its group and seed. Fetched once per run while the view is open; toggling groups only
 * reads what is new.
 */
export function useCompareSeries(groups: Ref<CompareGroup[]>) {
  const seriesCache = new Map<number, SeriesData>()
  const annotationCache = new Map<number, Annotation[]>()
  const series = ref(new Map<number, SeriesData>())
  const notes = ref<Array<Annotation & { label: string }>>([])
  const error = ref('')

  async function load(): Promise<void> {
    const runs = groups.value.flatMap((g) => g.runs.map((r) => ({ run: r, label: g.label })))
    try {
      await Promise.all(
        runs
          .filter(({ run }) => !seriesCache.has(run.id))
          .map(async ({ run }) => {
            const [s, marks] = await Promise.all([
              call('run:series', { id: run.id, names: COMPARE_SERIES_NAMES }),
              call('annotation:list', { runId: run.id })
            ])
            seriesCache.set(run.id, { t_s: s.t_s, series: s.series })
            annotationCache.set(run.id, marks)
          })
      )
      notes.value = runs.flatMap(({ run, label }) =>
        annotationCache.get(run.id)!.map((a) => ({ ...a, label: `${label} seed ${run.seed}` }))
      )
      series.value = new Map(runs.map(({ run }) => [run.id, seriesCache.get(run.id)!]))
      error.value = ''
    } catch (err) {
      error.value = (err as Error).message
    }
  }
  watch(groups, load, { immediate: true })

  return { series, notes, error }
}
