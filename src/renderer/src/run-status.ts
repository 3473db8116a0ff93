import type { RunStatus } from '@shared/dto'

/** The tag type each run status is shown with, in tables and headers alike. */
export const RUN_STATUS_TAG: Record<
  RunStatus,
  'default' | 'info' | 'success' | 'error' | 'warning'
> = {
  queued: 'default',
  running: 'info',
  done: 'success',
  failed: 'error',
  cancelled: 'warning',
  interrupted: 'warning'
}

export type FinishedStatus = Exclude<RunStatus, 'queued' | 'running'>

export function isFinished(status: RunStatus): status is FinishedStatus {
  return status !== 'queued' && status !== 'running'
}
