import type { Database } from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { BatchSpec } from '../../lab/runs/batch'
import { migrationsDir } from '../../lab/paths'
import { openDatabase } from '../../lab/store/database'
import { checkNotebookPath } from '../../lab/store/location'
import { loadMigrations } from '../../lab/store/migrations'
import { ExperimentRepository, type NewExperiment } from '../../lab/store/repositories/experiments'
import { RunRepository, type FinishedRun, type NewRun } from '../../lab/store/repositories/runs'
import { storageError } from '../../lab/store/storage-errors'
import { LabError } from '../../shared/errors'
import { UsageError } from '../io'
import type { NotebookTarget } from './run-options'

/**
 * Finished runs are stored in batches this large, or sooner once this long has passed: that bounds
 * the series held in memory and what an interrupted sweep loses.
 */
const STORE_EVERY_RUNS = 25
const STORE_EVERY_MS = 60_000

/**
 * Stores finished runs into a notebook database as the app's run service does: a batch of runs
 * that are then marked running and finished with their metrics, result and series. A batch is
 * written in one transaction, so a run is stored whole or not at all.
 */
export class NotebookWriter {
  private readonly experiments: ExperimentRepository
  private readonly runs: RunRepository
  private pending: Array<{
    run: NewRun
    finished: FinishedRun
    startedAt: string
    finishedAt: string
  }> = []
  private lastStoredMs = performance.now()
  /** Runs count as queued when the command started; the repository stamps rows with `stamp`. */
  private readonly queuedAt = new Date().toISOString()
  private stamp = this.queuedAt

  private constructor(
    private readonly db: Database,
    private readonly path: string,
    private experimentId: number | null,
    private readonly newExperiment: NewExperiment | null,
    private readonly spec: unknown,
    private readonly report: (line: string) => void
  ) {
    this.experiments = new ExperimentRepository(db)
    this.runs = new RunRepository(db, () => this.stamp)
  }

  /**
   * Opens (creating or migrating, as the app does) the notebook and checks the target experiment;
   * a new experiment (`--title`) is only created with the first stored batch.
   */
  static open(
    target: NotebookTarget,
    experiment: { preset: string | null; scenario: unknown },
    spec: BatchSpec & { shard?: string },
    report: (line: string) => void
  ): NotebookWriter {
    const path = resolve(target.path)
    if (target.experimentId !== undefined && !existsSync(path))
      throw new UsageError(`--experiment ${target.experimentId}: there is no notebook at ${path}`)
    // The Settings check first: a notebook's name, an existing folder, a regular file, read-only.
    const migrations = migrationsDir()
    checkNotebookPath(path, loadMigrations(migrations).length)
    const { db } = openDatabase(path, { migrationsDir: migrations })
    try {
      if (target.experimentId !== undefined && !experimentExists(db, target.experimentId))
        throw new UsageError(
          `--experiment ${target.experimentId}: there is no experiment #${target.experimentId} in ${path}`
        )
    } catch (err) {
      db.close()
      throw err
    }
    const created =
      target.title === undefined
        ? null
        : { title: target.title, hypothesis: '', notes: '', tags: [], ...experiment }
    return new NotebookWriter(db, path, target.experimentId ?? null, created, spec, report)
  }

  /** Takes a run that has just finished; it is stored with the next batch. */
  add(run: NewRun, finished: FinishedRun): void {
    const now = Date.now()
    this.pending.push({
      run,
      finished,
      startedAt: new Date(now - finished.wallMs).toISOString(),
      finishedAt: new Date(now).toISOString()
    })
    if (
      this.pending.length >= STORE_EVERY_RUNS ||
      performance.now() - this.lastStoredMs >= STORE_EVERY_MS
    )
      this.flush()
  }

  flush(): void {
    if (!this.pending.length) return
    const batch = this.pending
    const experimentId = this.store(batch)
    this.experimentId = experimentId
    this.pending = []
    this.lastStoredMs = performance.now()
    this.report(
      `stored ${batch.length} run${batch.length === 1 ? '' : 's'} in experiment #${experimentId} (${this.path})`
    )
  }

  /** One transaction, so a batch is stored whole or not at all; a refusal names the notebook. */
  private store(batch: NotebookWriter['pending']): number {
    try {
      return this.db.transaction(() => {
        const id = this.experimentId ?? this.experiments.create(this.newExperiment!).id
        this.stamp = this.queuedAt
        const { runIds } = this.runs.createBatch(
          id,
          this.spec,
          batch.map((p) => p.run)
        )
        runIds.forEach((runId, i) => {
          this.stamp = batch[i].startedAt
          this.runs.markRunning(runId)
          this.stamp = batch[i].finishedAt
          this.runs.finish(runId, batch[i].finished)
        })
        return id
      })()
    } catch (err) {
      throw storageError(err, this.path)
    }
  }

  close(): void {
    this.db.close()
  }
}

function experimentExists(db: Database, id: number): boolean {
  try {
    new ExperimentRepository(db).get(id)
    return true
  } catch (err) {
    if (err instanceof LabError && err.code === 'not_found') return false
    throw err
  }
}
