import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { connection, onConnection, reconnectWith, type Connection } from '../lab'
import { useAppStore } from './app'
import { useExperimentsStore } from './experiments'
import { useQueueStore } from './queue'
import { useRunsStore } from './runs'

/**
 * Whether the notebook answers this tab. While it does not, the shell keeps the last data shown,
 * greyed, with its actions off; once it answers again, what is shown is loaded afresh (events were
 * missed meanwhile).
 */
export const useConnectionStore = defineStore('connection', () => {
  const state = ref<Connection>(connection())
  const since = ref<Date | null>(null)
  const online = computed(() => state.value === 'online')

  onConnection((next) => {
    state.value = next
    if (next !== 'online') {
      since.value ??= new Date()
      return
    }
    since.value = null
    void reload()
  })

  async function reload(): Promise<void> {
    const experiments = useExperimentsStore()
    const runs = useRunsStore()
    await Promise.allSettled([
      useAppStore().load(),
      useQueueStore().load(),
      experiments.refresh(),
      experiments.current ? experiments.open(experiments.current.id) : undefined,
      runs.experimentId === null ? undefined : runs.load(runs.experimentId)
    ])
  }

  /** A message when the address cannot be used here, null once reconnecting with it. */
  function useAddress(address: string): string | null {
    return reconnectWith(address)
  }

  return { state, since, online, useAddress }
})
