import { onBeforeUnmount } from 'vue'
import { useScenarioDraftsStore } from '../stores/scenario-drafts'

/** Asks the browser to confirm closing or reloading the page while a scenario edit is not saved. */
export function useUnsavedGuard(): void {
  const drafts = useScenarioDraftsStore()
  const guard = (e: BeforeUnloadEvent) => {
    if (drafts.anyUnsaved()) e.preventDefault()
  }
  window.addEventListener('beforeunload', guard)
  onBeforeUnmount(() => window.removeEventListener('beforeunload', guard))
}
