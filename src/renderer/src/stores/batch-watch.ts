import type { RunStatus } from '@shared/dto'
import { isFinished, type FinishedStatus } from '../run-status'

export interface BatchOutcome {
  experimentId: number
  runIds: number[]
  counts: Record<FinishedStatus, number>
}

interface Watched {
  experimentId: number
  runIds: number[]
  ended: Map<number, FinishedStatus>
}

/**
 * Runs started together, followed until the last one ends. A run's end may be seen twice (its
 * event and a reloaded list), or before its batch is tracked, so only the first sighting counts.
 */
export class BatchWatch {
  private readonly byRun = new Map<number, Watched>()

  track(experimentId: number, runIds: number[]): void {
    const batch: Watched = { experimentId, runIds, ended: new Map() }
    for (const id of runIds) this.byRun.set(id, batch)
  }

  /** The batch's outcome when this run was its last unfinished one, otherwise null. */
  settle(runId: number, status: RunStatus): BatchOutcome | null {
    const batch = this.byRun.get(runId)
    if (!batch || !isFinished(status)) return null
    this.byRun.delete(runId)
    batch.ended.set(runId, status)
    if (batch.ended.size < batch.runIds.length) return null
    const counts = { done: 0, failed: 0, cancelled: 0, interrupted: 0 }
    for (const s of batch.ended.values()) counts[s]++
    return { experimentId: batch.experimentId, runIds: batch.runIds, counts }
  }
}

/** "Batch done: 20 runs, 1 failed", or "Run #7 failed" for a batch of one. */
export function batchDoneText(outcome: BatchOutcome): string {
  const { counts, runIds } = outcome
  if (runIds.length === 1) {
    const status = (Object.keys(counts) as FinishedStatus[]).find((s) => counts[s] > 0)
    return `Run #${runIds[0]} ${status ?? 'done'}`
  }
  const problems = (['failed', 'cancelled', 'interrupted'] as const)
    .filter((s) => counts[s] > 0)
    .map((s) => `, ${counts[s]} ${s}`)
  return `Batch done: ${runIds.length} runs${problems.join('')}`
}
