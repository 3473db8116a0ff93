import type { Annotation } from '@shared/dto'
import { inject, provide, ref, watch, type InjectionKey, type Ref } from 'vue'
import { call } from '../lab'

export interface PinInput {
  tStartS: number
  tEndS: number | null
  text: string
}

function create(runId: Ref<number>) {
  const items = ref<Annotation[]>([])
  const error = ref('')
  let seq = 0

  async function refresh(): Promise<void> {
    const mine = ++seq
    try {
      const list = await call('annotation:list', { runId: runId.value })
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
      runId: runId.value,
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

  watch(runId, () => void refresh(), { immediate: true })
  return { items, error, refresh, pin, remove }
}

export type RunAnnotations = ReturnType<typeof create>
const KEY: InjectionKey<RunAnnotations> = Symbol('run-annotations')

/** Loads a run's annotations and shares them with the charts, the form and the list below. */
export function provideRunAnnotations(runId: Ref<number>): RunAnnotations {
  const api = create(runId)
  provide(KEY, api)
  return api
}

export function useRunAnnotations(): RunAnnotations {
  const api = inject(KEY)
  if (!api) throw new Error('useRunAnnotations() needs provideRunAnnotations() in RunView')
  return api
}
