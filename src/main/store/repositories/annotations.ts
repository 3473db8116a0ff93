import type { Database } from 'better-sqlite3'
import type { Annotation } from '../../../shared/dto'
import { LabError } from '../../../shared/errors'

interface AnnotationRow {
  id: number
  run_id: number
  t_start_s: number
  t_end_s: number | null
  text: string
  created_at: string
}

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

  create(input: {
    runId: number
    tStartS: number
    tEndS?: number | null
    text: string
  }): Annotation {
    const exists = this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(input.runId)
    if (!exists) throw new LabError('not_found', `Run ${input.runId} does not exist.`)
    const id = Number(
      this.db
        .prepare(
          'INSERT INTO annotations (run_id, t_start_s, t_end_s, text, created_at) VALUES (?, ?, ?, ?, ?)'
        )
        .run(input.runId, input.tStartS, input.tEndS ?? null, input.text, this.now())
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
}

function toAnnotation(row: AnnotationRow): Annotation {
  return {
    id: row.id,
    runId: row.run_id,
    tStartS: row.t_start_s,
    tEndS: row.t_end_s,
    text: row.text,
    createdAt: row.created_at
  }
}
