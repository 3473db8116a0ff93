import { onBeforeUnmount, onMounted } from 'vue'
import { EXPERIMENT_TABS, type ExperimentTab } from '../experiment-tabs'

export type ExperimentKey = { tab: ExperimentTab } | 'run' | 'compare'

type Keys = Pick<
  KeyboardEvent,
  'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'code' | 'key' | 'target'
>

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))
}

/**
 * The experiment page's keys: Alt+1…4 switch tabs and Ctrl/⌘+Enter runs, also while typing in a
 * field; Alt+C compares, but not while typing, where it is a character on a Mac.
 */
export function experimentKey(e: Keys): ExperimentKey | null {
  const mod = e.ctrlKey || e.metaKey
  if (mod && !e.altKey && !e.shiftKey && e.key === 'Enter') return 'run'
  if (!e.altKey || mod || e.shiftKey) return null
  const index = ['Digit1', 'Digit2', 'Digit3', 'Digit4'].indexOf(e.code)
  if (index >= 0) return { tab: EXPERIMENT_TABS[index] }
  if (e.code === 'KeyC' && !typingIn(e.target)) return 'compare'
  return null
}

/** Listens for the experiment page's keys while it is open; dialogs keep their own keys. */
export function useExperimentKeys(act: (key: ExperimentKey) => void): void {
  function onKey(e: KeyboardEvent): void {
    const key = experimentKey(e)
    if (!key || e.defaultPrevented || (e.target as Element | null)?.closest?.('[role=dialog]'))
      return
    e.preventDefault()
    act(key)
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
