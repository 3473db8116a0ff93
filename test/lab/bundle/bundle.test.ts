import type { Database } from 'better-sqlite3'
import { beforeAll, describe, expect, it } from 'vitest'
import { exportBundle } from '../../../src/lab/bundle/bundle-export'
import { bundleChecksum } from '../../../src/lab/bundle/bundle-format'
import { importBundle } from '../../../src/lab/bundle/bundle-import'
import { expandBatch } from '../../../src/lab/runs/batch'
import { keyMetrics } from '../../../src/lab/runs/metrics'
import { openDatabase } from '../../../src/lab/store/database'
import { AnnotationRepository } from '../../../src/lab/store/repositories/annotations'
import { ExperimentRepository } from '../../../src/lab/store/repositories/experiments'
import { RunRepository } from '../../../src/lab/store/repositories/runs'
import { appendBatch, type SeriesColumns } from '../../../src/lab/store/series-codec'
import {
  applySets,
  resolvePreset,
  runSimulationSync,
  scenarioSchema,
  SIMULATOR_VERSION,
  type RunResult
} from '../../../src/sim'
import { LabError } from '../../../src/shared/errors'
import { MIGRATIONS_DIR } from '../../helpers/tmp'

const SCENARIO = scenarioSchema.parse(applySets(resolvePreset('single-cpu'), ['duration_s=2']))
const EXPORTED_AT = () => '2025-04-01T09:00:00.000Z'
const TABLES = ['experiments', 'tags', 'experiment_tags', 'runs', 'run_series', 'annotations']

/** Changes to a parsed bundle as someone with a text editor makes them: any field, untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type HandEdit = (bundle: any) => void

interface Simulated {
  result: RunResult
  series: SeriesColumns
}

/** Genuine simulator output, computed once and stored into each test's notebook. */
const simulated = new Map<string, Simulated>()
beforeAll(() => {
  for (const [variant, seed] of [
    ['baseline', 1],
    ['baseline', 2],
    ['v2', 1]
  ] as const) {
    const series: SeriesColumns = { t_s: [], series: {} }
    const sink = { samples: (batch: SeriesColumns) => appendBatch(series, batch) }
    const result = runSimulationSync(SCENARIO, sink, { seed, variant })
    simulated.set(`${variant}/${seed}`, { result, series })
  }
})

function clock(start: string) {
  let t = Date.parse(start)
  return () => new Date((t += 1000)).toISOString()
}

function notebook(): Database {
  return openDatabase(':memory:', { migrationsDir: MIGRATIONS_DIR }).db
}

/**
 * An experiment with done, failed and cancelled runs (exported) and a queued and a running one
 * (left out), three annotations, run notes and a sweep point.
 */
function seedExperiment(db: Database): number {
  const now = clock('2025-03-07T12:00:00Z')
  const { id: experimentId } = new ExperimentRepository(db, now).create({
    title: 'v2 against baseline on one CPU',
    hypothesis: 'offload cannot help with a single CPU',
    notes: '# Setup\nrate-limited eater, 2 s',
    tags: ['single-cpu', 'kcompressd'],
    preset: 'single-cpu',
    scenario: SCENARIO
  })
  const runs = new RunRepository(db, now)
  const grid = expandBatch(
    SCENARIO,
    { variants: ['baseline', 'v2'], seeds: [1, 2], sweep: [] },
    SIMULATOR_VERSION
  )
  const { runIds } = runs.createBatch(experimentId, { grid: 1 }, grid)
  grid.forEach((run, i) => {
    runs.markRunning(runIds[i])
    const sim = simulated.get(`${run.variant}/${run.seed}`)
    if (!sim) return runs.end(runIds[i], 'failed', 'worker exited with code 1')
    runs.finish(runIds[i], {
      wallMs: 100 + i,
      metrics: keyMetrics(sim.result),
      result: sim.result,
      series: sim.series
    })
  })
  const swept = expandBatch(
    SCENARIO,
    {
      variants: ['baseline'],
      seeds: [3, 4, 5],
      sweep: [{ knob: 'kernel.vm.swappiness', values: [100] }]
    },
    SIMULATOR_VERSION
  )
  const later = runs.createBatch(experimentId, { swept: 1 }, swept)
  runs.end(later.runIds[0], 'cancelled')
  runs.markRunning(later.runIds[1])
  runs.setNotes(runIds[1], 'kswapd ran **flat out** here')
  const annotations = new AnnotationRepository(db, now)
  annotations.create({ runId: runIds[1], tStartS: 0.5, tEndS: 1.2, text: 'first direct reclaim' })
  annotations.create({ runId: runIds[1], tStartS: 1.5, text: 'swap nearly full' })
  annotations.create({ runId: runIds[2], tStartS: 0.2, tEndS: null, text: 'kcompressd wakes' })
  annotations.create({ experimentId, tStartS: 1, tEndS: 1.8, text: 'v2 falls behind' })
  return experimentId
}

function rowCounts(db: Database): Record<string, number> {
  return Object.fromEntries(
    TABLES.map((t) => [t, db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number])
  )
}

/** What an experiment holds, without the ids a notebook gives it. */
function contentOf(db: Database, experimentId: number) {
  const {
    id: _id,
    updatedAt: _updated,
    ...experiment
  } = new ExperimentRepository(db).get(experimentId)
  const runRepo = new RunRepository(db)
  const annotationRepo = new AnnotationRepository(db)
  const runs = runRepo.list(experimentId).map((summary) => {
    const { id, experimentId: _e, batchId: _b, ...run } = runRepo.get(summary.id)
    const annotations = annotationRepo
      .list(id)
      .map(({ id: _a, runId: _r, experimentId: _x, ...a }) => a)
    return { ...run, series: runRepo.series(id), annotations }
  })
  const compareAnnotations = annotationRepo
    .listCompare(experimentId)
    .map(({ id: _a, experimentId: _x, ...a }) => a)
  return { experiment, runs, compareAnnotations }
}

describe('experiment bundles', () => {
  let source: Database
  let experimentId: number
  let text: string

  beforeAll(() => {
    source = notebook()
    experimentId = seedExperiment(source)
    text = exportBundle(source, experimentId, { now: EXPORTED_AT })
  })

  it('carries finished runs only, with results, series and annotations by run index', () => {
    const bundle = JSON.parse(text)
    expect(bundle).toMatchObject({
      format: 'reclaim-lab.experiment',
      version: 2,
      exportedAt: EXPORTED_AT(),
      simulatorVersion: SIMULATOR_VERSION,
      experiment: { title: 'v2 against baseline on one CPU', tags: ['kcompressd', 'single-cpu'] }
    })
    expect(bundle.checksum).toBe(bundleChecksum(bundle))
    expect(
      bundle.runs.map((r: { variant: string; seed: number; status: string }) => [
        r.variant,
        r.seed,
        r.status
      ])
    ).toEqual([
      ['baseline', 1, 'done'],
      ['baseline', 2, 'done'],
      ['v2', 1, 'done'],
      ['v2', 2, 'failed'],
      ['baseline', 3, 'cancelled']
    ])
    expect(bundle.runs[4].sweepPoint).toEqual({ 'kernel.vm.swappiness': 100 })
    expect(bundle.runs[3].series).toBeNull()
    expect(
      bundle.annotations.map((a: { run: number | null; text: string }) => [a.run, a.text])
    ).toEqual([
      [1, 'first direct reclaim'],
      [1, 'swap nearly full'],
      [2, 'kcompressd wakes'],
      [null, 'v2 falls behind']
    ])
  })

  it('imports into a fresh notebook as the same experiment, runs, series and annotations', () => {
    const target = notebook()
    const imported = importBundle(target, text)
    expect(imported).toEqual({ experimentId: 1, runs: 5, annotations: 4 })
    const before = contentOf(source, experimentId)
    const finished = before.runs.filter((r) => r.status !== 'queued' && r.status !== 'running')
    const arrived = new ExperimentRepository(target).get(imported.experimentId)
    expect(contentOf(target, imported.experimentId)).toEqual({
      // Told apart from the original by its title and the day it arrived; created when it was.
      experiment: {
        ...before.experiment,
        title: `${before.experiment.title} (imported)`,
        runCount: finished.length,
        unfinishedRunCount: 0,
        importedAt: arrived.updatedAt
      },
      runs: finished,
      compareAnnotations: [
        {
          runId: null,
          tStartS: 1,
          tEndS: 1.8,
          text: 'v2 falls behind',
          createdAt: expect.any(String)
        }
      ]
    })
    expect(contentOf(target, imported.experimentId).compareAnnotations).toEqual(
      before.compareAnnotations
    )
    const baseline2 = contentOf(target, imported.experimentId).runs[1]
    expect(baseline2.result).toEqual(
      JSON.parse(JSON.stringify(simulated.get('baseline/2')!.result))
    )
    expect(baseline2.series).toEqual(simulated.get('baseline/2')!.series)
    expect(baseline2.series.t_s).toHaveLength(20)
    // Exporting the copy gives the same file as the original under the copy's title.
    const title = new ExperimentRepository(source).get(experimentId).title
    new ExperimentRepository(source).update(experimentId, { title: `${title} (imported)` })
    const renamed = exportBundle(source, experimentId, { now: EXPORTED_AT })
    new ExperimentRepository(source).update(experimentId, { title })
    expect(exportBundle(target, imported.experimentId, { now: EXPORTED_AT })).toBe(renamed)
  })

  it('still imports after being re-indented, since the checksum is over the content', () => {
    const reindented = JSON.stringify(JSON.parse(text), null, 2)
    expect(importBundle(notebook(), reindented)).toEqual({
      experimentId: 1,
      runs: 5,
      annotations: 4
    })
  })

  it('imports a version 1 bundle, written before compare annotations travelled', () => {
    const v1 = JSON.parse(text)
    v1.version = 1
    v1.annotations = v1.annotations.filter((a: { run: number | null }) => a.run !== null)
    v1.checksum = bundleChecksum(v1)
    const target = notebook()
    expect(importBundle(target, JSON.stringify(v1))).toEqual({
      experimentId: 1,
      runs: 5,
      annotations: 3
    })
    expect(contentOf(target, 1).compareAnnotations).toEqual([])
    // Version 1 had no compare annotations: one claiming to be such is refused.
    const forged = JSON.parse(text)
    forged.version = 1
    forged.checksum = bundleChecksum(forged)
    expect(() => importBundle(notebook(), JSON.stringify(forged))).toThrow(
      /version 1 bundles carry no compare annotations/
    )
  })

  it('imports beside the original in the same notebook, sharing its tags', () => {
    const target = notebook()
    seedExperiment(target)
    const imported = importBundle(target, text)
    expect(imported.experimentId).toBe(2)
    expect(new ExperimentRepository(target).get(2).title).toBe(
      'v2 against baseline on one CPU (imported)'
    )
    expect(new ExperimentRepository(target).get(1).importedAt).toBeNull()
    expect(rowCounts(target)).toMatchObject({ experiments: 2, tags: 2, experiment_tags: 4 })
  })

  describe('refusals write nothing', () => {
    let target: Database
    let before: Record<string, number>

    /** Imports into a notebook holding one experiment and returns the refusal. */
    function refusal(bundleText: string): LabError {
      target = notebook()
      seedExperiment(target)
      before = rowCounts(target)
      try {
        importBundle(target, bundleText)
      } catch (err) {
        expect(err).toBeInstanceOf(LabError)
        expect(rowCounts(target)).toEqual(before)
        return err as LabError
      }
      throw new Error('the bundle was imported')
    }

    const edited = (edit: HandEdit) => {
      const bundle = JSON.parse(text)
      edit(bundle)
      return bundle
    }
    /** An edit made by someone who also recomputed the checksum: it must meet the schema checks. */
    const resigned = (edit: HandEdit) => {
      const bundle = edited(edit)
      bundle.checksum = bundleChecksum(bundle)
      return JSON.stringify(bundle)
    }

    it('refuses text that is not JSON, with the parser position', () => {
      // A bundle with something after it (two files pasted together): the parser names the offset.
      const err = refusal(`${text}\n{`)
      expect(err.code).toBe('invalid')
      expect(err.message).toMatch(
        new RegExp(
          `^This file is not JSON \\(.*position ${text.length + 1}.*\\); an experiment bundle is the \\.json file Reclaim Lab exports\\.$`
        )
      )
      expect(refusal(text.slice(0, 5000)).message).toMatch(/^This file is not JSON \(/)
      expect(refusal('').message).toMatch(/^This file is not JSON \(/)
    })

    it('refuses another format, and JSON that is not an object', () => {
      const err = refusal(JSON.stringify(edited((b) => (b.format = 'reclaim-lab.notebook'))))
      expect(err.message).toBe(
        'This file is not a Reclaim Lab experiment bundle: its format is "reclaim-lab.notebook", ' +
          'expected "reclaim-lab.experiment".'
      )
      expect(err.issues).toEqual([{ path: 'format', message: 'must be "reclaim-lab.experiment"' }])
      expect(refusal('{"title": "x"}').message).toBe(
        'This file is not a Reclaim Lab experiment bundle: it names no format, expected ' +
          '"reclaim-lab.experiment".'
      )
      expect(refusal('[1, 2]').message).toBe(
        'This file is not a Reclaim Lab experiment bundle: it holds no JSON object.'
      )
    })

    it('refuses a bundle from a newer version', () => {
      expect(refusal(JSON.stringify(edited((b) => (b.version = 3)))).message).toBe(
        'This bundle was made by a newer Reclaim Lab (bundle version 3; this one reads version 2); ' +
          'update to import it.'
      )
    })

    it('refuses a value edited after export (stale checksum)', () => {
      const err = refusal(
        JSON.stringify(
          edited((b) => (b.runs[0].result.vmstat.pswpout += 1)),
          null,
          2
        )
      )
      expect(err.message).toBe(
        'The file was modified after export: its checksum does not match its content. ' +
          'Export the experiment again from the notebook it came from.'
      )
      expect(err.issues).toEqual([{ path: 'checksum', message: 'does not match the content' }])
    })

    it('names schema violations by their path', () => {
      const err = refusal(
        resigned((b) => {
          b.runs[1].status = 'running'
          delete b.runs[2].configHash
          b.experiment.tags.push('no;semicolons')
          b.runs[0].surprise = true
        })
      )
      expect(err.issues).toEqual([
        { path: 'experiment.tags.2', message: 'may hold letters, digits, spaces and . _ : + / -' },
        { path: 'runs.0.surprise', message: 'is not a field this version knows' },
        { path: 'runs.1.status', message: 'must be one of done, failed, cancelled, interrupted' },
        { path: 'runs.2.configHash', message: 'is missing' }
      ])
      expect(err.message).toBe(
        'The bundle is not valid: experiment.tags.2 may hold letters, digits, spaces and . _ : + / -; ' +
          'runs.0.surprise is not a field this version knows; ' +
          'runs.1.status must be one of done, failed, cancelled, interrupted; ' +
          'runs.2.configHash is missing'
      )
    })

    it("refuses an experiment scenario the simulator's schema rejects", () => {
      const err = refusal(resigned((b) => (b.experiment.scenario.kernel.vm.swappiness = 300)))
      expect(err.message).toBe(
        "The bundle's scenario is not one this simulator accepts: " +
          'experiment.scenario.kernel.vm.swappiness must be ≤ 200'
      )
    })

    it('refuses over-long text with the field named, as the API does', () => {
      const err = refusal(
        resigned((b) => {
          b.experiment.hypothesis = 'h'.repeat(4001)
          b.runs[0].label = 'l'.repeat(101)
          b.runs[0]['u'.repeat(1000)] = true
          b.runs[1].error = 'e'.repeat(100_001)
          b.runs[2].sweepPoint = { ['k'.repeat(201)]: 1 }
          b.runs[3].sweepPoint = { 'workload.type': 'w'.repeat(201) }
          b.annotations[0].text = 'a'.repeat(2001)
        })
      )
      expect(err.issues).toEqual([
        { path: 'experiment.hypothesis', message: 'must be at most 4000 characters' },
        { path: 'runs.0.label', message: 'must be at most 100 characters' },
        { path: `runs.0.${'u'.repeat(60)}…`, message: 'is not a field this version knows' },
        { path: 'runs.1.error', message: 'must be at most 100000 characters' },
        { path: 'runs.2.sweepPoint', message: 'has a key that must be at most 200 characters' },
        { path: 'runs.3.sweepPoint.workload.type', message: 'must be at most 200 characters' },
        { path: 'annotations.0.text', message: 'must be at most 2000 characters' }
      ])
      const scenario = refusal(
        resigned((b) => (b.experiment.scenario.description = 'd'.repeat(4001)))
      )
      expect(scenario.issues).toEqual([
        { path: 'experiment.scenario.description', message: 'must be at most 4000 characters' }
      ])
    })

    it('refuses the whole bundle when one annotation points at a missing run', () => {
      const err = refusal(resigned((b) => (b.annotations[2].run = 5)))
      expect(err.issues).toEqual([
        { path: 'annotations.2.run', message: 'points at run 5, but the bundle holds 5 runs' }
      ])
    })

    it('refuses a series blob this version cannot read', () => {
      const err = refusal(
        resigned((b) => (b.runs[0].series.data = Buffer.from('not a series').toString('base64')))
      )
      expect(err.issues[0].path).toBe('runs.0.series.data')
      expect(err.message).toMatch(/^The bundle is not valid: runs\.0\.series\.data is not a series/)
    })

    it('rolls back everything when the database fails midway', () => {
      target = notebook()
      before = rowCounts(target)
      target.exec(
        `CREATE TEMP TRIGGER refuse_annotations BEFORE INSERT ON annotations
         BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`
      )
      expect(() => importBundle(target, text)).toThrow(
        'The bundle could not be stored, so nothing was imported: disk I/O error'
      )
      expect(rowCounts(target)).toEqual(before)
    })
  })
})
