import type { Annotation } from '@shared/dto'
import { computed, inject, provide, ref, watch, type InjectionKey, type Ref } from 'vue'
import { call } from '../lab'

export interface PinInput {
  tStartS: number
  tEndS: number | null
  text: string
}

/** One run's annotations, or those pinned to an experiment's compare view. */
export type AnnotationTarget = { runId: number } | { experimentId: number }

function create(target: Ref<AnnotationTarget>) {
  const items = ref<Annotation[]>([])
  const error = ref('')
  let seq = 0

  async function refresh(): Promise<void> {
    const mine = ++seq
    try {
      const list = await call('annotation:list', target.value)
      if (mine !== seq) return
      items.value = list.sort((a, b) => a.tStartS - b.tStartS)
      error.value = ''
    } catch (err) {
      if (mine === seq) error.value = (err as Error).message
    }
  }

  /** Throws the LabError so the form can show field issues next to its inputs. */
  async function pin(input: PinInput): Promise<Annotation> {
    const created = await call('annotation:create', {
      ...target.value,
      tStartS: input.tStartS,
      tEndS: input.tEndS,
      text: input.text
    })
    items.value = [...items.value, created].sort((a, b) => a.tStartS - b.tStartS)
    return created
  }

  async function remove(id: number): Promise<void> {
    await call('annotation:delete', { id })
    items.value = items.value.filter((a) => a.id !== id)
  }

  watch(target, () => void refresh(), { immediate: true })
  /** Where they are pinned, for the words around them. */
  const scope = computed(() => ('runId' in target.value ? 'run' : 'compare'))
  return { items, error, scope, refresh, pin, remove }
}

export type RunAnnotations = ReturnType<typeof create>
const KEY: InjectionKey<RunAnnotations> = Symbol('run-annotations')

function provideAnnotations(target: Ref<AnnotationTarget>): RunAnnotations {
  const api = create(target)
  provide(KEY, api)
  return api
}

/** Loads a run's annotations and shares them with the charts, the form and the list below. */
export function provideRunAnnotations(runId: Ref<number>): RunAnnotations {
  return provideAnnotations(computed(() => ({ runId: runId.value })))
}

/** The same for the notes pinned to an experiment's compare view (to no single run). */
export function provideCompareAnnotations(experimentId: Ref<number>): RunAnnotations {
  return provideAnnotations(computed(() => ({ experimentId: experimentId.value })))
}

export function useRunAnnotations(): RunAnnotations {
  const api = inject(KEY)
  if (!api)
    throw new Error(
      'useRunAnnotations() needs provideRunAnnotations() or provideCompareAnnotations()'
    )
  return api
}
