import { defineStore } from 'pinia'
import { reactive } from 'vue'

export interface ScenarioDraft {
  preset: string | null
  scenario: unknown
  /** Why it is not saved yet ("kernel.vm.swappiness: Too big …"), or '' while a save is pending. */
  problem: string
}

/**
 * Scenario edits not yet saved (a value out of range, or a save on its way), per experiment: kept
 * for the session, so leaving the Scenario tab never drops them, and the Runs tab can say so.
 */
export const useScenarioDraftsStore = defineStore('scenarioDrafts', () => {
  const drafts = reactive(new Map<number, ScenarioDraft>())

  function get(experimentId: number): ScenarioDraft | undefined {
    return drafts.get(experimentId)
  }

  function keep(experimentId: number, draft: ScenarioDraft): void {
    drafts.set(experimentId, draft)
  }

  function drop(experimentId: number): void {
    drafts.delete(experimentId)
  }

  /** Whether any edit would be lost if the page went away now. */
  function anyUnsaved(): boolean {
    return drafts.size > 0
  }

  return { get, keep, drop, anyUnsaved }
})
