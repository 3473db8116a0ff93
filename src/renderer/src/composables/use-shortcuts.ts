import { onBeforeUnmount, onMounted } from 'vue'
import { on } from '../lab'

export interface ShortcutActions {
  newExperiment(): void
  focusSearch(): void
}

function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName))
}

/** Ctrl/⌘+N (Alt+N in a browser, which keeps Ctrl+N) new experiment, Ctrl/⌘+K or "/" search; the desktop menu sends the same commands. */
export function useShortcuts(actions: ShortcutActions): void {
  function onKey(e: KeyboardEvent): void {
    const mod = e.ctrlKey || e.metaKey
    const newKey = e.code === 'KeyN' && !e.shiftKey && (mod ? !e.altKey : e.altKey)
    if (newKey) {
      e.preventDefault()
      actions.newExperiment()
    } else if (mod && e.key.toLowerCase() === 'k') {
      e.preventDefault()
      actions.focusSearch()
    } else if (e.key === '/' && !mod && !typingIn(e.target)) {
      e.preventDefault()
      actions.focusSearch()
    }
  }
  let off: (() => void) | undefined
  onMounted(() => {
    window.addEventListener('keydown', onKey)
    off = on('menu:command', ({ command }) => {
      if (command === 'new-experiment') actions.newExperiment()
      else if (command === 'focus-search') actions.focusSearch()
    })
  })
  onBeforeUnmount(() => {
    window.removeEventListener('keydown', onKey)
    off?.()
  })
}
