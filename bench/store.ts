// Storage figures for runs: series size, save, load and list times (a benchmark, not a test).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { keyMetrics } from '../src/lab/runs/metrics'
import { openDatabase } from '../src/lab/store/database'
import { ExperimentRepository } from '../src/lab/store/repositories/experiments'
import { RunRepository, type NewRun } from '../src/lab/store/repositories/runs'
import { appendBatch, encodeSeries, type SeriesColumns } from '../src/lab/store/series-codec'
import { time } from './timing'
import { applySets, resolvePreset, runSimulationSync } from '../src/sim'

const dir = mkdtempSync(join(tmpdir(), 'reclaim-lab-bench-'))
try {
  const { db } = openDatabase(join(dir, 'bench.sqlite'), {
    migrationsDir: join(__dirname, '..', 'migrations')
  })
  const experiments = new ExperimentRepository(db)
  const runs = new RunRepository(db)

  const scenario = applySets(resolvePreset('phone-8g-appswitch'), [
    'duration_s=120',
    'sample_interval_ms=100'
  ])
  const series: SeriesColumns = { t_s: [], series: {} }
  const result = runSimulationSync(
    scenario,
    { samples: (b) => appendBatch(series, b) },
    { seed: 1 }
  )
  const blob = encodeSeries(series)

  const experiment = experiments.create({
    title: 'bench',
    hypothesis: '',
    notes: '',
    tags: [],
    scenario
  })
  const newRun = (seed: number): NewRun => ({
    variant: 'baseline',
    seed,
    sweepPoint: {},
    scenario,
    simulatorVersion: result.simulator_version,
    configHash: String(seed)
  })
  const { runIds } = runs.createBatch(
    experiment.id,
    {},
    Array.from({ length: 20 }, (_, i) => newRun(i + 1))
  )
  let next = 0
  const finished = { wallMs: 1, metrics: keyMetrics(result), result, series }
  const saveMs = time(() => runs.finish(runIds[next++], finished), runIds.length)
  const loadMs = time(() => runs.series(runIds[0]), 20)

  const other = experiments.create({
    title: 'list bench',
    hypothesis: '',
    notes: '',
    tags: [],
    scenario
  })
  const many = runs.createBatch(
    other.id,
    {},
    Array.from({ length: 10_000 }, (_, i) => newRun(i + 1))
  )
  const doneMany = db.prepare("UPDATE runs SET status = 'done', metrics = ? WHERE batch_id = ?")
  doneMany.run(JSON.stringify(finished.metrics), many.batchId)
  const listMs = time(() => runs.list(other.id), 10)

  const figures = {
    samples: series.t_s.length,
    series: Object.keys(series.series).length,
    series_bytes: blob.length,
    save_run_ms: Math.round(saveMs * 100) / 100,
    load_series_ms: Math.round(loadMs * 100) / 100,
    list_10k_runs_ms: Math.round(listMs * 100) / 100
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(figures))
  else {
    console.log(`series:  ${figures.series} series × ${figures.samples} samples (120 s at 100 ms)`)
    console.log(`stored:  ${(figures.series_bytes / 1024).toFixed(1)} KB   (goal < 500 KB)`)
    console.log(
      `save:    ${figures.save_run_ms} ms   (goal < 50 ms; result + series in one transaction)`
    )
    console.log(`load:    ${figures.load_series_ms} ms   (goal < 50 ms; decode every series)`)
    console.log(`list:    ${figures.list_10k_runs_ms} ms   (goal < 100 ms; 10,000 run summaries)`)
  }
  db.close()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
