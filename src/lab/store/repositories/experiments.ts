import type { Database } from 'better-sqlite3'
import type { Experiment, ExperimentSummary, SearchHit } from '../../../shared/dto'
import { LabError } from '../../../shared/errors'
import { toFtsQuery } from '../fts'
import { TagRepository } from './tags'

interface ExperimentRow {
  id: number
  title: string
  hypothesis: string
  notes: string
  created_at: string
  updated_at: string
  run_count: number
  unfinished_count: number
  imported_at: string | null
  snippet?: string
  preset?: string | null
  scenario?: string | null
}

export interface NewExperiment {
  title: string
  hypothesis: string
  notes: string
  tags: string[]
  preset?: string | null
  scenario?: unknown
}

export interface ExperimentPatch {
  title?: string
  hypothesis?: string
  notes?: string
}

export interface ListOptions {
  query?: string
  tag?: string
  sort?: 'updated' | 'created' | 'title'
}

const ORDER = {
  updated: 'e.updated_at DESC, e.id DESC',
  created: 'e.created_at DESC, e.id DESC',
  title: 'e.title COLLATE NOCASE ASC, e.id ASC'
} as const

const RUN_COUNT =
  '(SELECT count(*) FROM runs r WHERE r.experiment_id = e.id) AS run_count, ' +
  "(SELECT count(*) FROM runs r WHERE r.experiment_id = e.id AND r.status IN ('queued', 'running')) AS unfinished_count"

export class ExperimentRepository {
  private readonly tags: TagRepository

  constructor(
    private readonly db: Database,
    private readonly now: () => string = () => new Date().toISOString()
  ) {
    this.tags = new TagRepository(db)
  }

  list(options: ListOptions = {}): Array<ExperimentSummary | SearchHit> {
    const where: string[] = []
    const params: Record<string, string> = {}
    let from = 'experiments e'
    let snippet = ''
    const fts = options.query ? toFtsQuery(options.query) : ''
    if (fts) {
      from = 'experiments_fts JOIN experiments e ON e.id = experiments_fts.rowid'
      where.push('experiments_fts MATCH @fts')
      params.fts = fts
      snippet = `, snippet(experiments_fts, -1, '«', '»', '…', 12) AS snippet`
    }
    if (options.tag) {
      where.push(
        'e.id IN (SELECT et.experiment_id FROM experiment_tags et JOIN tags t ON t.id = et.tag_id WHERE t.name = @tag)'
      )
      params.tag = options.tag
    }
    const order =
      fts && !options.sort ? 'bm25(experiments_fts), e.id DESC' : ORDER[options.sort ?? 'updated']
    const sql =
      `SELECT e.id, e.title, e.created_at, e.updated_at, e.imported_at, ${RUN_COUNT}${snippet} FROM ${from}` +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ` ORDER BY ${order}`
    const rows = this.db.prepare(sql).all(params) as ExperimentRow[]
    const tagsById = this.tags.byExperiment(rows.map((r) => r.id))
    return rows.map((row) => {
      const summary = toSummary(row, tagsById.get(row.id) ?? [])
      return row.snippet !== undefined ? { ...summary, snippet: row.snippet } : summary
    })
  }

  get(id: number): Experiment {
    const row = this.db
      .prepare(`SELECT e.*, ${RUN_COUNT} FROM experiments e WHERE e.id = ?`)
      .get(id) as ExperimentRow | undefined
    if (!row)
      throw new LabError('not_found', `Experiment ${id} does not exist (it may have been deleted).`)
    return {
      ...toSummary(row, this.tags.byExperiment([id]).get(id) ?? []),
      hypothesis: row.hypothesis,
      notes: row.notes,
      preset: row.preset ?? null,
      scenario: row.scenario ? (JSON.parse(row.scenario) as unknown) : null
    }
  }

  create(input: NewExperiment): Experiment {
    const create = this.db.transaction((): number => {
      const stamp = this.now()
      const result = this.db
        .prepare(
          `INSERT INTO experiments (title, hypothesis, notes, preset, scenario, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`
        )
        .run(
          input.title,
          input.hypothesis,
          input.notes,
          input.preset ?? null,
          input.scenario === undefined || input.scenario === null
            ? null
            : JSON.stringify(input.scenario),
          stamp,
          stamp
        )
      const id = Number(result.lastInsertRowid)
      this.tags.set(id, input.tags)
      return id
    })
    return this.get(create())
  }

  update(id: number, patch: ExperimentPatch): Experiment {
    const current = this.get(id)
    this.db
      .prepare(
        'UPDATE experiments SET title = ?, hypothesis = ?, notes = ?, updated_at = ? WHERE id = ?'
      )
      .run(
        patch.title ?? current.title,
        patch.hypothesis ?? current.hypothesis,
        patch.notes ?? current.notes,
        this.now(),
        id
      )
    return this.get(id)
  }

  setTags(id: number, tags: string[]): Experiment {
    this.get(id)
    this.db.transaction(() => {
      this.tags.set(id, tags)
      this.db.prepare('UPDATE experiments SET updated_at = ? WHERE id = ?').run(this.now(), id)
    })()
    return this.get(id)
  }

  setScenario(id: number, preset: string | null, scenario: unknown): Experiment {
    this.get(id)
    this.db
      .prepare('UPDATE experiments SET preset = ?, scenario = ?, updated_at = ? WHERE id = ?')
      .run(preset, JSON.stringify(scenario), this.now(), id)
    return this.get(id)
  }

  duplicate(id: number): Experiment {
    const source = this.get(id)
    return this.create({
      title: copyTitle(source.title),
      hypothesis: source.hypothesis,
      notes: source.notes,
      tags: source.tags,
      preset: source.preset,
      scenario: source.scenario
    })
  }

  delete(id: number): void {
    const result = this.db.prepare('DELETE FROM experiments WHERE id = ?').run(id)
    if (result.changes === 0) throw new LabError('not_found', `Experiment ${id} does not exist.`)
    this.tags.dropUnused()
  }
}

function toSummary(row: ExperimentRow, tags: string[]): ExperimentSummary {
  return {
    id: row.id,
    title: row.title,
    tags,
    runCount: row.run_count,
    unfinishedRunCount: row.unfinished_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    importedAt: row.imported_at
  }
}

/** `title (suffix)`, the title shortened to keep within the 200-character limit. */
export function suffixedTitle(title: string, suffix: string): string {
  const marked = `${title} (${suffix})`
  return marked.length <= 200 ? marked : `${title.slice(0, 197 - suffix.length)} (${suffix})`
}

function copyTitle(title: string): string {
  return suffixedTitle(title, 'copy')
}
