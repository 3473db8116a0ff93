import BetterSqlite3 from 'better-sqlite3'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { NotebookWriter } from '../../src/cli/commands/notebook'
import { main } from '../../src/cli/index'
import { configHash } from '../../src/lab/runs/batch'
import { openDatabase } from '../../src/lab/store/database'
import { ExperimentRepository } from '../../src/lab/store/repositories/experiments'
import { RunRepository } from '../../src/lab/store/repositories/runs'
import { appendBatch, type SeriesColumns } from '../../src/lab/store/series-codec'
import {
  applySets,
  resolvePreset,
  runSimulationSync,
  scenarioSchema,
  SIMULATOR_VERSION
} from '../../src/sim'
import { captureIO } from '../helpers/io'
import { MIGRATIONS_DIR, useTempDir } from '../helpers/tmp'

const EATER = ['run', '--preset', 'twin-eater-512m', '--set', 'duration_s=2']
const SWEEP = ['--variant', 'baseline,v2', '--sweep', 'kernel.vm.watermark_scale_factor=10,200']

interface JsonRun {
  variant: string
  seed: number
  sweep_point: Record<string, number>
  vmstat: Record<string, number>
  psi: { some: { avg10: number } }
  derived: Record<string, number>
}

/** Reads a notebook as the app does, through its own repositories. */
function readNotebook<T>(path: string, read: (db: BetterSqlite3.Database) => T): T {
  const { db } = openDatabase(path, { migrationsDir: MIGRATIONS_DIR })
  try {
    return read(db)
  } finally {
    db.close()
  }
}

function runCount(path: string): number {
  return readNotebook(path, (db) =>
    new ExperimentRepository(db).list().reduce((n, e) => n + e.runCount, 0)
  )
}

describe('reclaim-lab run --db', () => {
  const tempDir = useTempDir()

  it('stores every run as the app does: metrics as --format json gives them, series that decode', async () => {
    const path = join(tempDir(), 'notebook.sqlite')
    const io = captureIO()
    expect(
      await main([...EATER, ...SWEEP, '--format', 'json', '--db', path, '--title', 'CLI sweep'], io)
    ).toBe(0)
    expect(io.err).toBe(`stored 4 runs in experiment #1 (${path})\n`)
    const printed = (JSON.parse(io.out) as { runs: JsonRun[] }).runs
    const base = scenarioSchema.parse(applySets(resolvePreset('twin-eater-512m'), ['duration_s=2']))

    readNotebook(path, (db) => {
      const experiment = new ExperimentRepository(db).get(1)
      expect(experiment).toMatchObject({
        title: 'CLI sweep',
        preset: 'twin-eater-512m',
        runCount: 4
      })
      expect(experiment.scenario).toEqual(base)
      const repo = new RunRepository(db)
      const stored = repo.list(1)
      expect(stored.map((r) => [r.sweepPoint, r.variant, r.seed])).toEqual(
        printed.map((r) => [r.sweep_point, r.variant, r.seed])
      )
      stored.forEach((run, i) => {
        const row = printed[i]
        const scenario = scenarioSchema.parse(
          applySets(base, [
            `kernel.vm.watermark_scale_factor=${row.sweep_point['kernel.vm.watermark_scale_factor']}`
          ])
        )
        expect(run).toMatchObject({
          status: 'done',
          source: 'simulated',
          simulatorVersion: SIMULATOR_VERSION,
          configHash: configHash(scenario, row.variant, row.seed, SIMULATOR_VERSION),
          metrics: {
            allocstall: row.derived.allocstall,
            pgsteal_anon_per_s: row.derived.pgsteal_anon_per_s,
            psi_some_avg10: row.psi.some.avg10,
            alloc_p99_us: row.derived.alloc_slowpath_p99_us,
            kswapd_cpu_pct: row.derived.kswapd_cpu_pct
          }
        })
        expect(run.wallMs).toBeGreaterThan(0)
        expect(run.startedAt! <= run.finishedAt!).toBe(true)
        const detail = repo.get(run.id)
        expect(detail.scenario).toEqual(scenario)
        const result = detail.result as { vmstat: unknown; histograms: Record<string, unknown> }
        expect(result.vmstat).toEqual(row.vmstat)
        expect(Object.keys(result.histograms).length).toBeGreaterThan(0)
      })
      // Each variant and sweep point stored its own numbers.
      expect(new Set(stored.map((r) => r.metrics!.pgsteal_anon_per_s)).size).toBe(4)

      const expected: SeriesColumns = { t_s: [], series: {} }
      runSimulationSync(
        applySets(base, ['kernel.vm.watermark_scale_factor=200']),
        { samples: (b) => appendBatch(expected, b) },
        { seed: 1, variant: 'v2' }
      )
      const series = repo.series(stored[3].id)
      expect(series.t_s).toHaveLength(20)
      expect(series).toEqual(expected)
    })
  })

  it('--experiment ID adds a shard’s runs to an existing experiment, as one more batch', async () => {
    const path = join(tempDir(), 'notebook.sqlite')
    expect(await main([...EATER, '--db', path, '--title', 'first'], captureIO())).toBe(0)
    const io = captureIO()
    expect(
      await main([...EATER, ...SWEEP, '--shard', '1/2', '--db', path, '--experiment', '1'], io)
    ).toBe(0)
    expect(io.err).toBe(`stored 2 runs in experiment #1 (${path})\n`)
    readNotebook(path, (db) => {
      const runs = new RunRepository(db).list(1)
      expect(runs.map((r) => [r.batchId, r.variant, r.sweepPoint])).toEqual([
        [1, 'baseline', {}],
        [2, 'baseline', { 'kernel.vm.watermark_scale_factor': 10 }],
        [2, 'baseline', { 'kernel.vm.watermark_scale_factor': 200 }]
      ])
    })
  })

  it('--experiment with a missing id exits 2 naming it, and writes nothing', async () => {
    const path = join(tempDir(), 'notebook.sqlite')
    expect(await main([...EATER, '--db', path, '--title', 'only'], captureIO())).toBe(0)
    const before = readFileSync(path)
    const io = captureIO()
    expect(await main([...EATER, '--db', path, '--experiment', '9'], io)).toBe(2)
    expect(io.err).toBe(`reclaim-lab run: --experiment 9: there is no experiment #9 in ${path}\n`)
    expect(io.out).toBe('')
    expect(readFileSync(path).equals(before)).toBe(true)
    expect(readdirSync(dirname(path))).toEqual(['notebook.sqlite'])
    expect(runCount(path)).toBe(1)

    const nowhere = join(tempDir(), 'missing.sqlite')
    const none = captureIO()
    expect(await main([...EATER, '--db', nowhere, '--experiment', '1'], none)).toBe(2)
    expect(none.err).toBe(`reclaim-lab run: --experiment 1: there is no notebook at ${nowhere}\n`)
    expect(existsSync(nowhere)).toBe(false)
  })

  it('refuses a corrupt file, naming its path, and leaves it unchanged', async () => {
    const path = join(tempDir(), 'corrupt.sqlite')
    const garbage = Buffer.from('not a notebook at all '.repeat(300))
    writeFileSync(path, garbage)
    const io = captureIO()
    expect(await main([...EATER, '--db', path, '--title', 'x'], io)).toBe(1)
    expect(io.err).toBe(
      `reclaim-lab run: ${path} cannot be opened as a notebook: file is not a database\n`
    )
    expect(io.out).toBe('')
    expect(readFileSync(path).equals(garbage)).toBe(true)
    expect(readdirSync(dirname(path))).toEqual(['corrupt.sqlite'])
  })

  it('refuses another program’s SQLite database instead of migrating it', async () => {
    const path = join(tempDir(), 'other.sqlite')
    const other = new BetterSqlite3(path)
    other.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY)')
    other.close()
    const before = readFileSync(path)
    const io = captureIO()
    expect(await main([...EATER, '--db', path, '--title', 'x'], io)).toBe(1)
    expect(io.err).toBe(
      `reclaim-lab run: ${path} is a SQLite database of another program, not a Reclaim Lab notebook\n`
    )
    expect(readFileSync(path).equals(before)).toBe(true)
  })

  it('stores a batch whole or not at all: a run that cannot be saved leaves no trace', () => {
    const path = join(tempDir(), 'notebook.sqlite')
    const scenario = scenarioSchema.parse(resolvePreset('single-cpu'))
    const lines: string[] = []
    const writer = NotebookWriter.open(
      { path, title: 'atomic' },
      { preset: 'single-cpu', scenario },
      { variants: ['baseline'], seeds: [1, 2], sweep: [] },
      (line) => lines.push(line)
    )
    const run = (seed: number) => ({
      variant: 'baseline',
      seed,
      sweepPoint: {},
      scenario,
      simulatorVersion: SIMULATOR_VERSION,
      configHash: configHash(scenario, 'baseline', seed, SIMULATOR_VERSION)
    })
    const metrics = {
      allocstall: 0,
      pgsteal_anon_per_s: 0,
      psi_some_avg10: 0,
      alloc_p99_us: 0,
      kswapd_cpu_pct: 0
    }
    writer.add(run(1), { wallMs: 5, metrics, result: {}, series: { t_s: [0.1], series: {} } })
    // A series column shorter than its sample times cannot be encoded.
    const broken = { t_s: [0.1, 0.2], series: { nr_free_pages: [1] } }
    writer.add(run(2), { wallMs: 5, metrics, result: {}, series: broken })
    expect(() => writer.flush()).toThrow(/nr_free_pages has 1 samples, expected 2/)
    writer.close()
    expect(lines).toEqual([])
    expect(readNotebook(path, (db) => new ExperimentRepository(db).list())).toEqual([])
  })

  it.each([
    [
      ['--db', 'n.sqlite'],
      '--db needs either --experiment ID (add to that experiment) or --title TEXT (a new one)'
    ],
    [['--title', 'x'], '--experiment and --title store runs in a notebook: give --db PATH'],
    [
      ['--db', 'n.sqlite', '--experiment', 'two'],
      '--experiment two: expected an experiment number such as 12'
    ],
    [['--db', 'n.sqlite', '--title', '  '], '--title: must not be empty'],
    [
      ['--db', 'n.sqlite', '--title', 'x', '--trace-out', 't.json'],
      '--trace-out cannot be combined with --db: traced runs are not stored'
    ]
  ])('refuses %j with exit code 2 before touching a file', async (args, message) => {
    const dir = tempDir()
    const io = captureIO()
    const withPaths = args.map((a) => (a.endsWith('.sqlite') ? join(dir, a) : a))
    expect(await main([...EATER, ...withPaths], io)).toBe(2)
    expect(io.err).toBe(`reclaim-lab run: ${message}\n`)
    expect(existsSync(join(dir, 'n.sqlite'))).toBe(false)
  })

  it('checks --out and --trace-out before running or storing anything', async () => {
    const dir = tempDir()
    const path = join(dir, 'notebook.sqlite')
    const missing = join(dir, 'missing')
    const io = captureIO()
    const args = [...EATER, '--db', path, '--title', 't', '--out', join(missing, 'runs.json')]
    expect(await main(args, io)).toBe(2)
    expect(io.err).toBe(
      `reclaim-lab run: --out ${join(missing, 'runs.json')}: the folder ${missing} does not exist; create it first\n`
    )
    expect(existsSync(path)).toBe(false)
    const trace = captureIO()
    expect(await main([...EATER, '--trace-out', dir], trace)).toBe(2)
    expect(trace.err).toBe(`reclaim-lab run: --trace-out ${dir}: is a folder; name a file in it\n`)
    const compare = captureIO()
    const compareArgs = ['compare', '--db', path, '--experiment', '1', '--out', join(missing, 't')]
    expect(await main(compareArgs, compare)).toBe(2)
    expect(compare.err).toContain(`the folder ${missing} does not exist`)
  })
})
