import { defineStore } from 'pinia'
import { reactive } from 'vue'

export interface RunPlan {
  variants: string[]
  seeds: string
  axes: Array<{ knob: string | null; values: string }>
}

/** The run controls as last set for each experiment, kept for the session across tab switches. */
export const useRunPlansStore = defineStore('runPlans', () => {
  const plans = reactive(new Map<number, RunPlan>())

  function plan(experimentId: number): RunPlan {
    if (!plans.has(experimentId))
      plans.set(experimentId, { variants: ['baseline'], seeds: '1-10', axes: [] })
    return plans.get(experimentId)!
  }

  return { plan }
})
