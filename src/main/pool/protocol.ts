import type { SeriesColumns } from '../store/series-codec'

/** main → worker */
export interface RunMessage {
  type: 'run'
  runId: number
  scenario: unknown
  variant: string
  seed: number
}

/** worker → main */
export type WorkerMessage =
  | { type: 'progress'; runId: number; fraction: number; simS: number }
  | { type: 'samples'; runId: number; batch: SeriesColumns }
  | { type: 'done'; runId: number; result: unknown; wallMs: number }
  | { type: 'error'; runId: number; message: string }
