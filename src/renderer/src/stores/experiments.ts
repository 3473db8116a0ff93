import type { Experiment, ExperimentSummary, SavedFile, SearchHit, TagCount } from '@shared/dto'
import type { RequestInput } from '@shared/contract'
import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { call, download, on } from '../lab'

export type ListItem = ExperimentSummary | SearchHit

/** How the list is ordered; "relevance" is the search's best match first. */
export type ExperimentSort = 'relevance' | 'updated' | 'created' | 'title'
const SORT_KEY = 'reclaim-lab.experiment-sort'

function rememberedSort(): ExperimentSort | null {
  const saved = sessionStorage.getItem(SORT_KEY)
  return ['relevance', 'updated', 'created', 'title'].includes(saved ?? '')
    ? (saved as ExperimentSort)
    : null
}

/** The sidebar's list (with search and tag filter) and the experiment that is open. */
export const useExperimentsStore = defineStore('experiments', () => {
  const items = ref<ListItem[]>([])
  const tags = ref<TagCount[]>([])
  const query = ref('')
  const tag = ref<string | null>(null)
  /** The order the user picked, remembered for the session; null until they pick one. */
  const chosenSort = ref<ExperimentSort | null>(rememberedSort())
  /** Best match while searching, last updated otherwise, unless the user picked an order. */
  const sort = computed<ExperimentSort>({
    get: () => {
      const chosen = chosenSort.value
      if (chosen === 'relevance' || chosen === null) return query.value ? 'relevance' : 'updated'
      return chosen
    },
    set: (value) => {
      chosenSort.value = value
      sessionStorage.setItem(SORT_KEY, value)
    }
  })
  const loading = ref(false)
  const current = ref<Experiment | null>(null)
  const listError = ref('')

  let requestSeq = 0
  async function refresh(): Promise<void> {
    const seq = ++requestSeq
    loading.value = true
    try {
      const [list, tagCounts] = await Promise.all([
        call('experiment:list', {
          query: query.value || undefined,
          tag: tag.value ?? undefined,
          sort: sort.value === 'relevance' ? undefined : sort.value
        }),
        call('tag:list')
      ])
      if (seq !== requestSeq) return
      items.value = list
      tags.value = tagCounts
      listError.value = ''
    } catch (err) {
      if (seq === requestSeq) listError.value = (err as Error).message
    } finally {
      if (seq === requestSeq) loading.value = false
    }
  }

  async function open(id: number): Promise<Experiment> {
    const experiment = await call('experiment:get', { id })
    current.value = experiment
    return experiment
  }

  async function create(input: RequestInput<'experiment:create'>): Promise<Experiment> {
    const created = await call('experiment:create', input)
    await refresh()
    return created
  }

  async function update(input: RequestInput<'experiment:update'>): Promise<Experiment> {
    const updated = await call('experiment:update', input)
    if (current.value?.id === updated.id) current.value = updated
    return updated
  }

  async function setTags(id: number, names: string[]): Promise<Experiment> {
    const updated = await call('experiment:setTags', { id, tags: names })
    if (current.value?.id === id) current.value = updated
    await refresh()
    return updated
  }

  async function setScenario(
    id: number,
    preset: string | null,
    scenario: unknown
  ): Promise<Experiment> {
    const updated = await call('experiment:setScenario', { id, preset, scenario })
    if (current.value?.id === id) current.value = updated
    return updated
  }

  async function duplicate(id: number): Promise<Experiment> {
    const copy = await call('experiment:duplicate', { id })
    await refresh()
    return copy
  }

  async function remove(id: number): Promise<void> {
    await call('experiment:delete', { id })
    if (current.value?.id === id) current.value = null
    await refresh()
  }

  /** Imports a share code or a bundle as a new experiment; returns its id. */
  async function importExperiment(
    from: { code: string } | { bundleText: string }
  ): Promise<number> {
    const id =
      'code' in from
        ? (await call('share:import', { code: from.code })).id
        : (await call('bundle:import', { text: from.bundleText })).experiment.id
    await refresh()
    return id
  }

  /** Saves the experiment with its runs as a bundle file (a save dialog or a browser download). */
  async function exportBundle(id: number): Promise<SavedFile> {
    return download('bundle:export', { id })
  }

  async function shareCode(id: number): Promise<string> {
    return (await call('share:encode', { id })).code
  }

  let debounce: ReturnType<typeof setTimeout> | undefined
  watch([query, tag, sort], () => {
    clearTimeout(debounce)
    debounce = setTimeout(() => void refresh(), 120)
  })

  on('experiment:changed', () => void refresh())
  // Run counts in the list change as batches are queued and finish.
  on('run:progress', (p) => {
    if (p.status !== 'running') {
      clearTimeout(debounce)
      debounce = setTimeout(() => void refresh(), 250)
    }
  })

  return {
    items,
    tags,
    query,
    tag,
    sort,
    loading,
    current,
    listError,
    refresh,
    open,
    importExperiment,
    exportBundle,
    shareCode,
    create,
    update,
    setTags,
    setScenario,
    duplicate,
    remove
  }
})
