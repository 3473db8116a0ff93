import type { QueueState } from '@shared/dto'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call, on } from '../lab'

/** The simulation queue across experiments, for the status strip. */
export const useQueueStore = defineStore('queue', () => {
  const state = ref<QueueState>({
    workers: 1,
    running: 0,
    queued: 0,
    failed: 0,
    fraction: 1,
    etaS: null,
    batches: []
  })

  async function load(): Promise<void> {
    state.value = await call('queue:state')
  }

  on('queue:changed', (next) => (state.value = next))
  return { state, load }
})
