import type { Database } from 'better-sqlite3'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { keyMetrics } from '../../lab/runs/metrics'
import { migrationsDir } from '../../lab/paths'
import { openDatabase } from '../../lab/store/database'
import { checkNotebookPath } from '../../lab/store/location'
import { loadMigrations } from '../../lab/store/migrations'
import { ExperimentRepository } from '../../lab/store/repositories/experiments'
import { RunRepository } from '../../lab/store/repositories/runs'
import { LabError } from '../../shared/errors'
import { lastFlag, parseArgs } from '../args'
import { UsageError, type CliIO } from '../io'
import { parseShardFile } from './shard-format'

export const importUsage = 'reclaim-lab import-results FILE… --db PATH --experiment ID'

type Shard = ReturnType<typeof parseShardFile> & { path: string }

const describeRun = (r: { variant: string; seed: number; sweepPoint: object }): string =>
  `${r.variant} seed ${r.seed}${Object.keys(r.sweepPoint).length ? ` at ${JSON.stringify(r.sweepPoint)}` : ''}`

/**
 * Refuses the whole import if any run is already in the experiment or given twice: a run is
 * recognised by its config hash (scenario, variant, seed, simulator version).
 */
function checkDuplicates(db: Database, experimentId: number, shards: Shard[]): void {
  const stored = new Map(
    (
      db
        .prepare(
          "SELECT id, config_hash FROM runs WHERE experiment_id = ? AND status = 'done' AND source = 'simulated'"
        )
        .all(experimentId) as Array<{ id: number; config_hash: string }>
    ).map((r) => [r.config_hash, `run #${r.id} of experiment #${experimentId}`])
  )
  for (const shard of shards) {
    for (const { run } of shard.runs) {
      const earlier = stored.get(run.configHash)
      if (earlier)
        throw new Error(
          `${shard.path}: ${describeRun(run)} is already stored as ${earlier}; nothing was imported`
        )
      stored.set(run.configHash, shard.path)
    }
  }
}

/**
 * `reclaim-lab import-results`: stores runs written by `run --format shard` (one file per shard of
 * a cluster array job) in an experiment, each file as one batch, all files or none.
 */
export async function importResultsCommand(args: string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(args, ['db', 'experiment'])
  const files = parsed.positional
  const dbPath = lastFlag(parsed, 'db')
  const experiment = lastFlag(parsed, 'experiment')
  if (!files.length) throw new UsageError(`name the shard files to import\n${importUsage}`)
  if (!dbPath || !experiment)
    throw new UsageError(`--db and --experiment are required\n${importUsage}`)
  if (!/^\d+$/.test(experiment) || Number(experiment) < 1)
    throw new UsageError(`--experiment ${experiment}: expected an experiment number such as 12`)
  const experimentId = Number(experiment)
  const path = resolve(dbPath)
  if (!existsSync(path)) throw new UsageError(`--db ${path}: there is no notebook there`)

  const shards: Shard[] = files.map((file) => {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (err) {
      throw new Error(`${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
    }
    return { path: file, ...parseShardFile(file, text) }
  })

  const migrations = migrationsDir()
  checkNotebookPath(path, loadMigrations(migrations).length)
  const { db } = openDatabase(path, { migrationsDir: migrations })
  try {
    try {
      new ExperimentRepository(db).get(experimentId)
    } catch (err) {
      if (err instanceof LabError && err.code === 'not_found')
        throw new UsageError(
          `--experiment ${experimentId}: there is no experiment #${experimentId} in ${path}`
        )
      throw err
    }
    const runs = new RunRepository(db)
    const stored = db.transaction(() => {
      checkDuplicates(db, experimentId, shards)
      let count = 0
      for (const shard of shards) {
        const spec = {
          ...shard.file.spec,
          ...(shard.file.shard ? { shard: shard.file.shard } : {})
        }
        const { runIds } = runs.createBatch(
          experimentId,
          spec,
          shard.runs.map((r) => r.run)
        )
        runIds.forEach((id, i) => {
          const { result, series, wallMs } = shard.runs[i]
          runs.markRunning(id)
          runs.finish(id, { wallMs, metrics: keyMetrics(result), result, series })
        })
        count += runIds.length
      }
      return count
    })()
    io.stderr(
      `imported ${stored} run${stored === 1 ? '' : 's'} from ${shards.length} file${shards.length === 1 ? '' : 's'} into experiment #${experimentId} (${path})\n`
    )
    return 0
  } finally {
    db.close()
  }
}
