import type { Database } from 'better-sqlite3'
import type { Annotation } from '../../../shared/dto'
import { LabError } from '../../../shared/errors'

interface AnnotationRow {
  id: number
  experiment_id: number
  run_id: number | null
  t_start_s: number
  t_end_s: number | null
  text: string
  created_at: string
}

/** Where an annotation is pinned: one run, or its experiment's compare view. */
export type AnnotationTarget = { runId: number } | { experimentId: number }

export class AnnotationRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => string = () => new Date().toISOString()
  ) {}

  list(runId: number): Annotation[] {
    return (
      this.db
        .prepare('SELECT * FROM annotations WHERE run_id = ? ORDER BY t_start_s, id')
        .all(runId) as AnnotationRow[]
    ).map(toAnnotation)
  }

  /** The annotations pinned to an experiment's compare view. */
  listCompare(experimentId: number): Annotation[] {
    return (
      this.db
        .prepare(
          'SELECT * FROM annotations WHERE experiment_id = ? AND run_id IS NULL ORDER BY t_start_s, id'
        )
        .all(experimentId) as AnnotationRow[]
    ).map(toAnnotation)
  }

  create(
    input: AnnotationTarget & { tStartS: number; tEndS?: number | null; text: string }
  ): Annotation {
    const { experimentId, runId } = this.owner(input)
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO annotations (experiment_id, run_id, t_start_s, t_end_s, text, created_at)
           VALUES (?, ?, ?, ?, ?, ?)`
        )
        .run(experimentId, runId, input.tStartS, input.tEndS ?? null, input.text, this.now())
        .lastInsertRowid
    )
    return toAnnotation(
      this.db.prepare('SELECT * FROM annotations WHERE id = ?').get(id) as AnnotationRow
    )
  }

  delete(id: number): void {
    if (this.db.prepare('DELETE FROM annotations WHERE id = ?').run(id).changes === 0) {
      throw new LabError('not_found', `Annotation ${id} does not exist.`)
    }
  }

  private owner(target: AnnotationTarget): { experimentId: number; runId: number | null } {
    if ('runId' in target && target.runId !== undefined) {
      const run = this.db
        .prepare('SELECT experiment_id FROM runs WHERE id = ?')
        .get(target.runId) as { experiment_id: number } | undefined
      if (!run) throw new LabError('not_found', `Run ${target.runId} does not exist.`)
      return { experimentId: run.experiment_id, runId: target.runId }
    }
    const { experimentId } = target as { experimentId: number }
    if (!this.db.prepare('SELECT 1 FROM experiments WHERE id = ?').get(experimentId))
      throw new LabError('not_found', `Experiment ${experimentId} does not exist.`)
    return { experimentId, runId: null }
  }
}

function toAnnotation(row: AnnotationRow): Annotation {
  return {
    id: row.id,
    experimentId: row.experiment_id,
    runId: row.run_id,
    tStartS: row.t_start_s,
    tEndS: row.t_end_s,
    text: row.text,
    createdAt: row.created_at
  }
}
