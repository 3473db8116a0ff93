import type { Database } from 'better-sqlite3'
import type { TagCount } from '../../../shared/dto'

export class TagRepository {
  constructor(private readonly db: Database) {}

  /** Replaces an experiment's tags; names compare case-insensitively and keep their first spelling. */
  set(experimentId: number, names: string[]): void {
    const unique = new Map<string, string>()
    for (const name of names)
      if (!unique.has(name.toLowerCase())) unique.set(name.toLowerCase(), name)
    this.db.prepare('DELETE FROM experiment_tags WHERE experiment_id = ?').run(experimentId)
    const insertTag = this.db.prepare(
      'INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING'
    )
    const link = this.db.prepare(
      'INSERT INTO experiment_tags (experiment_id, tag_id) SELECT ?, id FROM tags WHERE name = ?'
    )
    for (const name of unique.values()) {
      insertTag.run(name)
      link.run(experimentId, name)
    }
    this.dropUnused()
  }

  byExperiment(ids: number[]): Map<number, string[]> {
    const result = new Map<number, string[]>()
    if (ids.length === 0) return result
    const rows = this.db
      .prepare(
        `SELECT et.experiment_id AS id, t.name FROM experiment_tags et JOIN tags t ON t.id = et.tag_id
         WHERE et.experiment_id IN (SELECT value FROM json_each(?)) ORDER BY t.name COLLATE NOCASE`
      )
      .all(JSON.stringify(ids)) as Array<{ id: number; name: string }>
    for (const row of rows) {
      const list = result.get(row.id) ?? []
      list.push(row.name)
      result.set(row.id, list)
    }
    return result
  }

  counts(): TagCount[] {
    return this.db
      .prepare(
        `SELECT t.name, count(*) AS count FROM tags t JOIN experiment_tags et ON et.tag_id = t.id
         GROUP BY t.id ORDER BY count DESC, t.name COLLATE NOCASE`
      )
      .all() as TagCount[]
  }

  dropUnused(): void {
    this.db.prepare('DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM experiment_tags)').run()
  }
}
