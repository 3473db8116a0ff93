import { onBeforeUnmount, onMounted } from 'vue'
import { on } from '../lab'
import type { ExperimentKey } from './use-experiment-keys'

/** The desktop app's Experiment menu: what Ctrl/⌘+Enter and Alt+C do, except behind a dialog. */
export function useExperimentMenu(act: (key: ExperimentKey) => void): void {
  let off: (() => void) | undefined
  onMounted(() => {
    off = on('menu:command', ({ command }) => {
      if (document.querySelector('[role=dialog]')) return
      if (command === 'run-batch') act('run')
      else if (command === 'compare') act('compare')
    })
  })
  onBeforeUnmount(() => off?.())
}
