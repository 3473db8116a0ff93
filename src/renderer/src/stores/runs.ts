import type { RequestInput } from '@shared/contract'
import type { RunSummary } from '@shared/dto'
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { call, on } from '../lab'

/** The open experiment's runs, kept live from run:progress events. */
export const useRunsStore = defineStore('runs', () => {
  const experimentId = ref<number | null>(null)
  const runs = ref<RunSummary[]>([])
  const error = ref('')

  async function load(id: number): Promise<void> {
    experimentId.value = id
    try {
      const list = await call('run:list', { experimentId: id })
      if (experimentId.value === id) runs.value = list
      error.value = ''
    } catch (err) {
      error.value = (err as Error).message
    }
  }

  async function start(input: RequestInput<'run:start'>): Promise<number[]> {
    const { runIds } = await call('run:start', input)
    await load(input.experimentId)
    return runIds
  }

  async function cancel(input: RequestInput<'run:cancel'>): Promise<number> {
    const { cancelled } = await call('run:cancel', input)
    return cancelled
  }

  on('run:progress', (p) => {
    if (p.experimentId !== experimentId.value) return
    const run = runs.value.find((r) => r.id === p.runId)
    if (!run || p.status !== 'running') {
      void load(p.experimentId)
      return
    }
    run.status = p.status
    run.progress = p.fraction
  })

  return { experimentId, runs, error, load, start, cancel }
})
