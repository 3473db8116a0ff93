import { useMessage } from 'naive-ui'
import { h, onBeforeUnmount } from 'vue'
import { batchDoneText, type BatchOutcome } from '../stores/batch-watch'
import { useExperimentsStore } from '../stores/experiments'
import { useRunsStore } from '../stores/runs'

/** Says once, in a corner message, that a batch started from this window has finished. */
export function useBatchAnnouncements(): void {
  const message = useMessage()
  const experiments = useExperimentsStore()

  function titleOf(id: number): string {
    const title =
      experiments.items.find((e) => e.id === id)?.title ??
      (experiments.current?.id === id ? experiments.current.title : null)
    return title ? `“${title}”` : `experiment #${id}`
  }

  function announce(outcome: BatchOutcome): void {
    const { done, failed, interrupted } = outcome.counts
    // Runs the user cancelled themselves need no news.
    if (done + failed + interrupted === 0) return
    const text = `${batchDoneText(outcome)} · ${titleOf(outcome.experimentId)}`
    message.create(() => h('span', { role: 'status' }, text), {
      type: failed || interrupted ? 'warning' : 'success',
      duration: 8000,
      closable: true,
      keepAliveOnHover: true
    })
  }

  onBeforeUnmount(useRunsStore().onBatchFinished(announce))
}
