import type { TraceSummary } from '@shared/dto'
import { ref } from 'vue'
import { call, download } from '../lab'

/**
 * A run's event trace: the lab regenerates it (scenario, variant and seed again, checked against
 * the stored run), then it is saved as a file the Perfetto UI opens.
 */
export function useRunTrace() {
  const working = ref(false)
  const error = ref('')
  const saved = ref<TraceSummary | null>(null)

  async function save(runId: number): Promise<void> {
    working.value = true
    error.value = ''
    try {
      const summary = await call('run:trace', { id: runId })
      const file = await download('export:trace', { id: runId })
      saved.value = file.saved ? summary : null
    } catch (err) {
      error.value = (err as Error).message
    } finally {
      working.value = false
    }
  }

  return { working, error, saved, save }
}
