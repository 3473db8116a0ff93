import { onBeforeUnmount, ref } from 'vue'

export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'error'

/**
 * Debounced saving: `schedule()` after each edit, `flush()` before leaving. A failed save keeps the
 * text in the editor and reports the error; the next edit retries.
 */
export function useAutosave(save: () => Promise<void>, delayMs = 600) {
  const state = ref<SaveState>('idle')
  const error = ref('')
  let timer: ReturnType<typeof setTimeout> | undefined
  let running: Promise<void> | undefined

  async function flush(): Promise<void> {
    clearTimeout(timer)
    timer = undefined
    if (running) await running
    if (state.value !== 'pending') return
    state.value = 'saving'
    running = save()
      .then(() => {
        if (state.value === 'saving') state.value = 'saved'
        error.value = ''
      })
      .catch((err: unknown) => {
        state.value = 'error'
        error.value = (err as Error).message
      })
      .finally(() => {
        running = undefined
      })
    await running
  }

  function schedule(): void {
    state.value = 'pending'
    clearTimeout(timer)
    timer = setTimeout(() => void flush(), delayMs)
  }

  onBeforeUnmount(() => void flush())
  return { state, error, schedule, flush }
}
