import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli/index'
import { openDatabase } from '../../src/lab/store/database'
import { ExperimentRepository } from '../../src/lab/store/repositories/experiments'
import { RunRepository } from '../../src/lab/store/repositories/runs'
import { applySets, resolvePreset, runSimulationSync } from '../../src/sim'
import { captureIO } from '../helpers/io'
import { MIGRATIONS_DIR, useTempDir } from '../helpers/tmp'

const ROOT = join(__dirname, '..', '..')
const CLUSTER = join(ROOT, 'docs', 'cluster')
/** The documented scripts' environment, with the index a scheduler would set, set by hand. */
const ENV = {
  ...process.env,
  RECLAIM_LAB: `${process.execPath} --import tsx ${join(ROOT, 'src', 'cli', 'index.ts')}`,
  SEEDS: '1-2',
  DURATION_S: '2'
}

function sh(command: string, env: Record<string, string>): void {
  const r = spawnSync('bash', ['-c', command], {
    cwd: ROOT,
    env: { ...ENV, ...env },
    encoding: 'utf8'
  })
  expect(r.status, `${command}\n${r.stderr}`).toBe(0)
}

/** The Indexed Job's container command line, as the YAML folds it. */
function kubernetesCommand(): string {
  const yaml = readFileSync(join(CLUSTER, 'sweep-job.yaml'), 'utf8')
  const block = /args:\n\s+- >-\n((?:\s{14}.*\n)+)/.exec(yaml)
  if (!block) throw new Error('sweep-job.yaml: no folded args block')
  return block[1]
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ')
}

describe('import-results', () => {
  const tempDir = useTempDir()

  it('merges the shards the sbatch script writes and refuses a third copy from the Kubernetes job', async () => {
    const dir = tempDir()
    const sbatch = join(CLUSTER, 'sweep.sbatch')
    for (const task of ['1', '2'])
      sh(`bash ${sbatch}`, { SLURM_ARRAY_TASK_ID: task, SLURM_ARRAY_TASK_COUNT: '2', OUT: dir })
    mkdirSync(join(dir, 'k8s')) // the job's mounted volume
    sh(kubernetesCommand(), { JOB_COMPLETION_INDEX: '0', SHARDS: '2', OUT: join(dir, 'k8s') })

    const db = join(dir, 'lab.sqlite')
    const opened = openDatabase(db, { migrationsDir: MIGRATIONS_DIR })
    const experimentId = new ExperimentRepository(opened.db).create({
      title: 'cluster sweep',
      hypothesis: '',
      notes: '',
      tags: []
    }).id
    opened.db.close()

    const io = captureIO()
    const shards = [join(dir, 'shard-1.json'), join(dir, 'shard-2.json')]
    expect(
      await main(
        ['import-results', ...shards, '--db', db, '--experiment', String(experimentId)],
        io
      )
    ).toBe(0)
    expect(io.err).toMatch(/imported 4 runs from 2 files into experiment #\d+/)

    const again = captureIO()
    const copy = join(dir, 'k8s', 'shard-1.json')
    expect(
      await main(['import-results', copy, '--db', db, '--experiment', String(experimentId)], again)
    ).toBe(1)
    expect(again.err).toMatch(
      /k8s\/shard-1\.json: baseline seed 1 is already stored as run #\d+ of experiment/
    )

    const check = openDatabase(db, { migrationsDir: MIGRATIONS_DIR })
    try {
      const runs = new RunRepository(check.db)
      const stored = runs.details(experimentId)
      expect(stored.map((r) => `${r.variant}/${r.seed}`).sort()).toEqual([
        'baseline/1',
        'baseline/2',
        'v2/1',
        'v2/2'
      ])
      const scenario = applySets(resolvePreset('phone-8g-appswitch'), ['duration_s=2'])
      for (const run of stored) {
        const local = runSimulationSync(scenario, {}, { seed: run.seed, variant: run.variant })
        expect(run.result).toEqual(JSON.parse(JSON.stringify(local)))
        expect(runs.series(run.id).t_s.length).toBeGreaterThan(0)
        expect(run.metrics).not.toBeNull()
      }
      expect(new Set(stored.map((r) => r.batchId)).size).toBe(2)
    } finally {
      check.db.close()
    }
  }, 60_000)

  it('refuses a file that is not a shard, or whose runs were altered, naming the file', async () => {
    const dir = tempDir()
    const db = join(dir, 'lab.sqlite')
    const opened = openDatabase(db, { migrationsDir: MIGRATIONS_DIR })
    new ExperimentRepository(opened.db).create({ title: 't', hypothesis: '', notes: '', tags: [] })
    opened.db.close()
    const json = join(dir, 'plain.json')
    const io = captureIO()
    expect(
      await main(
        ['run', '--preset', 'single-cpu', '--set', 'duration_s=1', '--format', 'shard'],
        io
      )
    ).toBe(0)
    const shard = JSON.parse(io.out) as { runs: Array<{ seed: number }> }
    shard.runs[0].seed = 99
    writeFileSync(json, JSON.stringify(shard))
    const bad = captureIO()
    expect(await main(['import-results', json, '--db', db, '--experiment', '1'], bad)).toBe(1)
    expect(bad.err).toContain(`${json}: runs.0.config_hash does not match`)
    writeFileSync(json, JSON.stringify({ simulator_version: 'x', runs: [] }))
    const plain = captureIO()
    expect(await main(['import-results', json, '--db', db, '--experiment', '1'], plain)).toBe(1)
    expect(plain.err).toContain(`${json}: format: not a shard file`)
  })
})
