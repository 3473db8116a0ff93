import type { Database } from 'better-sqlite3'
import type { KeyMetrics, RunDetail, RunSource, RunStatus, RunSummary } from '../../../shared/dto'
import { LabError } from '../../../shared/errors'
import { decodeSeries, encodeSeries, type SeriesColumns } from '../series-codec'

interface RunRow {
  id: number
  experiment_id: number
  batch_id: number | null
  variant: string
  seed: number
  sweep_point: string
  simulator_version: string
  config_hash: string
  status: RunStatus
  error: string | null
  queued_at: string
  started_at: string | null
  finished_at: string | null
  wall_ms: number | null
  metrics: string | null
  has_notes: number
  source: RunSource
  label: string
  scenario?: string
  result?: string | null
  notes?: string
}

export interface NewRun {
  variant: string
  seed: number
  sweepPoint: Record<string, number | string | boolean>
  scenario: unknown
  simulatorVersion: string
  configHash: string
}

export interface FinishedRun {
  wallMs: number
  metrics: KeyMetrics
  result: unknown
  series: SeriesColumns
}

export interface ObservedRunInput {
  label: string
  /** sha256 of the imported text: the same file imported twice is recognisable. */
  configHash: string
  metrics: KeyMetrics
  result: unknown
  series: SeriesColumns
}

/** Kernel runs: the experiment's scenario booted on a real kernel, stored as observed runs. */
export interface NewKernelRuns {
  label: string
  scenario: unknown
  /** sha256 of the image and the scenario: runs of one kernel and scenario share it. */
  configHash: string
  count: number
}

const SUMMARY_COLUMNS = `id, experiment_id, batch_id, variant, seed, sweep_point, simulator_version, config_hash,
  status, error, queued_at, started_at, finished_at, wall_ms, metrics, notes <> '' AS has_notes, source, label`

export class RunRepository {
  constructor(
    private readonly db: Database,
    private readonly now: () => string = () => new Date().toISOString()
  ) {}

  /** Records a batch and its runs, all queued, in one transaction. */
  createBatch(
    experimentId: number,
    spec: unknown,
    runs: NewRun[]
  ): { batchId: number; runIds: number[] } {
    return this.db.transaction(() => {
      const stamp = this.now()
      const batchId = this.insertBatch(experimentId, spec, stamp)
      const insert = this.db.prepare(
        `INSERT INTO runs (experiment_id, batch_id, variant, seed, sweep_point, scenario, simulator_version,
           config_hash, status, queued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)`
      )
      const runIds = runs.map((r) =>
        Number(
          insert.run(
            experimentId,
            batchId,
            r.variant,
            r.seed,
            JSON.stringify(r.sweepPoint),
            JSON.stringify(r.scenario),
            r.simulatorVersion,
            r.configHash,
            stamp
          ).lastInsertRowid
        )
      )
      return { batchId, runIds }
    })()
  }

  list(experimentId: number): RunSummary[] {
    const rows = this.db
      .prepare(`SELECT ${SUMMARY_COLUMNS} FROM runs WHERE experiment_id = ? ORDER BY id`)
      .all(experimentId) as RunRow[]
    return rows.map(toSummary)
  }

  get(id: number): RunDetail {
    const row = this.db
      .prepare(`SELECT ${SUMMARY_COLUMNS}, scenario, result, notes FROM runs WHERE id = ?`)
      .get(id) as RunRow | undefined
    if (!row)
      throw new LabError('not_found', `Run ${id} does not exist (it may have been deleted).`)
    return toDetail(row)
  }

  /** Finished runs of an experiment (or the chosen ones of it), with results, oldest first. */
  details(experimentId: number, runIds?: number[]): RunDetail[] {
    const rows = this.db
      .prepare(
        `SELECT ${SUMMARY_COLUMNS}, scenario, result, notes FROM runs
         WHERE experiment_id = ? AND status = 'done' ORDER BY id`
      )
      .all(experimentId) as RunRow[]
    const chosen = runIds ? new Set(runIds) : null
    return rows.filter((row) => !chosen || chosen.has(row.id)).map(toDetail)
  }

  series(id: number): SeriesColumns {
    const row = this.db.prepare('SELECT data FROM run_series WHERE run_id = ?').get(id) as
      { data: Buffer } | undefined
    if (!row) {
      this.get(id)
      return { t_s: [], series: {} }
    }
    return decodeSeries(row.data)
  }

  /** Stores imported real measurements as a finished run, result and series together. */
  insertObserved(experimentId: number, run: ObservedRunInput): RunSummary {
    const id = this.db.transaction(() => {
      const stamp = this.now()
      const id = Number(
        this.db
          .prepare(
            `INSERT INTO runs (experiment_id, variant, seed, scenario, simulator_version, config_hash,
               status, queued_at, started_at, finished_at, metrics, result, source, label)
             VALUES (?, 'observed', 0, '{}', '', ?, 'done', ?, ?, ?, ?, ?, 'observed', ?)`
          )
          .run(
            experimentId,
            run.configHash,
            stamp,
            stamp,
            stamp,
            JSON.stringify(run.metrics),
            JSON.stringify(run.result),
            run.label
          ).lastInsertRowid
      )
      this.db
        .prepare('INSERT INTO run_series (run_id, samples, data) VALUES (?, ?, ?)')
        .run(id, run.series.t_s.length, encodeSeries(run.series))
      return id
    })()
    return toSummary(
      this.db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM runs WHERE id = ?`).get(id) as RunRow
    )
  }

  private insertBatch(experimentId: number, spec: unknown, stamp: string): number {
    return Number(
      this.db
        .prepare('INSERT INTO batches (experiment_id, spec, created_at) VALUES (?, ?, ?)')
        .run(experimentId, JSON.stringify(spec), stamp).lastInsertRowid
    )
  }

  /** Queues kernel runs as one batch of observed runs under one label. */
  createKernelBatch(
    experimentId: number,
    spec: unknown,
    runs: NewKernelRuns
  ): { batchId: number; runIds: number[] } {
    return this.db.transaction(() => {
      const stamp = this.now()
      const batchId = this.insertBatch(experimentId, spec, stamp)
      const insert = this.db.prepare(
        `INSERT INTO runs (experiment_id, batch_id, variant, seed, scenario, simulator_version, config_hash,
           status, queued_at, source, label) VALUES (?, ?, 'kernel', 0, ?, '', ?, 'queued', ?, 'observed', ?)`
      )
      const scenario = JSON.stringify(runs.scenario)
      const runIds = Array.from({ length: runs.count }, () =>
        Number(
          insert.run(experimentId, batchId, scenario, runs.configHash, stamp, runs.label)
            .lastInsertRowid
        )
      )
      return { batchId, runIds }
    })()
  }

  /** A kernel run's end with its console: the run and its log are written together. */
  endWithLog(
    id: number,
    end: { finished: FinishedRun } | { status: 'failed' | 'cancelled'; error: string | null },
    log: string
  ): void {
    this.db.transaction(() => {
      if ('finished' in end) this.finish(id, end.finished)
      else this.end(id, end.status, end.error)
      this.db.prepare('INSERT OR REPLACE INTO run_logs (run_id, text) VALUES (?, ?)').run(id, log)
    })()
  }

  /** A run's console log; '' for runs without one (simulated and imported runs). */
  log(id: number): string {
    const row = this.db.prepare('SELECT text FROM run_logs WHERE run_id = ?').get(id) as
      { text: string } | undefined
    if (!row) this.get(id)
    return row?.text ?? ''
  }

  markRunning(id: number): void {
    this.db
      .prepare("UPDATE runs SET status = 'running', started_at = ? WHERE id = ?")
      .run(this.now(), id)
  }

  /** Stores a finished run's result and series together, so a run is never half-saved. */
  finish(id: number, run: FinishedRun): void {
    const data = encodeSeries(run.series)
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE runs SET status = 'done', error = NULL, finished_at = ?, wall_ms = ?, metrics = ?, result = ?
           WHERE id = ?`
        )
        .run(this.now(), run.wallMs, JSON.stringify(run.metrics), JSON.stringify(run.result), id)
      this.db
        .prepare('INSERT OR REPLACE INTO run_series (run_id, samples, data) VALUES (?, ?, ?)')
        .run(id, run.series.t_s.length, data)
    })()
  }

  end(
    id: number,
    status: 'failed' | 'cancelled' | 'interrupted',
    error: string | null = null
  ): void {
    this.db
      .prepare('UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE id = ?')
      .run(status, error, this.now(), id)
  }

  /** Runs left queued or running by a previous process (a quit or a crash). */
  markInterrupted(): number {
    return this.db
      .prepare(
        `UPDATE runs SET status = 'interrupted', error = 'The app stopped before this run finished.',
         finished_at = ? WHERE status IN ('queued', 'running')`
      )
      .run(this.now()).changes
  }

  unfinishedIn(filter: { batchId?: number; experimentId?: number }): number[] {
    const where = filter.batchId !== undefined ? 'batch_id = ?' : 'experiment_id = ?'
    return this.db
      .prepare(`SELECT id FROM runs WHERE ${where} AND status IN ('queued', 'running') ORDER BY id`)
      .pluck()
      .all(filter.batchId ?? filter.experimentId) as number[]
  }

  setNotes(id: number, notes: string): RunDetail {
    const result = this.db.prepare('UPDATE runs SET notes = ? WHERE id = ?').run(notes, id)
    if (result.changes === 0) throw new LabError('not_found', `Run ${id} does not exist.`)
    return this.get(id)
  }

  delete(id: number): void {
    const result = this.db.prepare('DELETE FROM runs WHERE id = ?').run(id)
    if (result.changes === 0) throw new LabError('not_found', `Run ${id} does not exist.`)
  }
}

function toDetail(row: RunRow): RunDetail {
  return {
    ...toSummary(row),
    scenario: JSON.parse(row.scenario!),
    result: row.result ? (JSON.parse(row.result) as Record<string, unknown>) : null,
    notes: row.notes ?? ''
  }
}

function toSummary(row: RunRow): RunSummary {
  return {
    id: row.id,
    experimentId: row.experiment_id,
    batchId: row.batch_id,
    variant: row.variant,
    seed: row.seed,
    sweepPoint: JSON.parse(row.sweep_point) as RunSummary['sweepPoint'],
    status: row.status,
    error: row.error,
    progress: row.status === 'done' ? 1 : 0,
    simulatorVersion: row.simulator_version,
    configHash: row.config_hash,
    queuedAt: row.queued_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    wallMs: row.wall_ms,
    metrics: row.metrics ? (JSON.parse(row.metrics) as KeyMetrics) : null,
    hasNotes: row.has_notes === 1,
    source: row.source,
    label: row.label
  }
}
