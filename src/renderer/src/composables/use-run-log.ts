import { ref, watch, type Ref } from 'vue'
import { call } from '../lab'

/** A kernel run's serial console, fetched again when the run ends. */
export function useRunLog(runId: Ref<number>, status: Ref<string>) {
  const text = ref('')
  const error = ref('')
  async function load(): Promise<void> {
    try {
      text.value = (await call('run:log', { id: runId.value })).text
      error.value = ''
    } catch (err) {
      error.value = (err as Error).message
    }
  }
  watch([runId, status], () => void load(), { immediate: true })
  return { text, error }
}
