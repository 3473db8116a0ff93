import type { Database } from 'better-sqlite3'
import { LabError, type FieldIssue } from '../../shared/errors'
import { ExperimentRepository, suffixedTitle } from '../store/repositories/experiments'
import { decodeSeries } from '../store/series-codec'
import {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  READABLE_BUNDLE_VERSIONS,
  bundleChecksum,
  bundleSchema,
  type BundleRun,
  type ExperimentBundle
} from './bundle-format'
import { fieldIssues, summarise } from './issues'
import { checkScenario, knownPreset } from './scenario-check'

export interface ImportSummary {
  experimentId: number
  runs: number
  annotations: number
}

/**
 * Adds the bundle's experiment to the notebook as a new experiment, with its runs, series and
 * annotations, in one transaction. Everything is checked first; on any refusal nothing is written.
 */
export function importBundle(db: Database, text: string): ImportSummary {
  const bundle = readBundle(text)
  try {
    return db.transaction(() => writeBundle(db, bundle))()
  } catch (err) {
    if (err instanceof LabError) throw err
    throw new LabError(
      'storage',
      `The bundle could not be stored, so nothing was imported: ${(err as Error).message}`
    )
  }
}

/** Parses and verifies a bundle: JSON, format, version, checksum, schema, scenario, series. */
export function readBundle(text: string): ExperimentBundle {
  const json = parseJson(text)
  checkHeader(json)
  if (json.checksum !== bundleChecksum(json)) {
    throw invalid(
      'The file was modified after export: its checksum does not match its content. ' +
        'Export the experiment again from the notebook it came from.',
      [{ path: 'checksum', message: 'does not match the content' }]
    )
  }
  const parsed = bundleSchema.safeParse(json, { reportInput: true })
  if (!parsed.success) {
    const issues = fieldIssues(parsed.error.issues)
    throw invalid(summarise('The bundle is not valid', issues), issues)
  }
  const bundle = parsed.data
  if (bundle.experiment.scenario !== null) {
    bundle.experiment.scenario = checkScenario(
      bundle.experiment.scenario,
      "The bundle's scenario is not one this simulator accepts",
      ['experiment', 'scenario']
    )
  }
  bundle.runs.forEach(checkSeries)
  return bundle
}

function parseJson(text: string): Record<string, unknown> {
  let json: unknown
  try {
    // A byte-order mark from a Windows editor is not part of the content.
    json = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (err) {
    throw invalid(
      `This file is not JSON (${(err as Error).message}); an experiment bundle is the .json file ` +
        'Reclaim Lab exports.'
    )
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw invalid(`This file is not a Reclaim Lab experiment bundle: it holds no JSON object.`)
  }
  return json as Record<string, unknown>
}

/** Format and version come before the checksum: another format or version may sum differently. */
function checkHeader(json: Record<string, unknown>): void {
  const { format, version, checksum } = json
  if (format !== BUNDLE_FORMAT) {
    const found = format === undefined ? 'it names no format' : `its format is ${show(format)}`
    throw invalid(
      `This file is not a Reclaim Lab experiment bundle: ${found}, expected "${BUNDLE_FORMAT}".`,
      [{ path: 'format', message: `must be "${BUNDLE_FORMAT}"` }]
    )
  }
  if (typeof version === 'number' && Number.isInteger(version) && version > BUNDLE_VERSION) {
    throw invalid(
      `This bundle was made by a newer Reclaim Lab (bundle version ${version}; this one reads ` +
        `version ${BUNDLE_VERSION}); update to import it.`,
      [{ path: 'version', message: `must be ${BUNDLE_VERSION} or lower` }]
    )
  }
  if (!(READABLE_BUNDLE_VERSIONS as readonly unknown[]).includes(version)) {
    throw invalid(`This bundle has version ${show(version)}, which no Reclaim Lab writes.`, [
      { path: 'version', message: `must be one of ${READABLE_BUNDLE_VERSIONS.join(', ')}` }
    ])
  }
  if (typeof checksum !== 'string') {
    throw invalid('This bundle has no checksum, so it cannot be checked for changes.', [
      { path: 'checksum', message: 'is missing' }
    ])
  }
}

/** Decodes each series once, so a blob this version cannot read is refused before writing. */
function checkSeries(run: BundleRun, index: number): void {
  if (!run.series) return
  const path = `runs.${index}.series`
  let samples: number
  try {
    const columns = decodeSeries(Buffer.from(run.series.data, 'base64'))
    samples = columns.t_s.length
    for (const [name, values] of Object.entries(columns.series)) {
      if (values.length !== samples) throw new Error(`column ${name} is short`)
    }
  } catch (err) {
    const message = `is not a series this version can read (${(err as Error).message})`
    throw invalid(`The bundle is not valid: ${path}.data ${message}`, [
      { path: `${path}.data`, message }
    ])
  }
  if (samples !== run.series.samples) {
    const message = `says ${run.series.samples} samples but the data holds ${samples}`
    throw invalid(`The bundle is not valid: ${path}.samples ${message}`, [
      { path: `${path}.samples`, message }
    ])
  }
}

function writeBundle(db: Database, bundle: ExperimentBundle): ImportSummary {
  const { experiment } = bundle
  const created = new ExperimentRepository(db).create({
    // Told apart from the experiment it came from (in this notebook, perhaps) at a glance.
    title: suffixedTitle(experiment.title, 'imported'),
    hypothesis: experiment.hypothesis,
    notes: experiment.notes,
    tags: experiment.tags,
    preset: knownPreset(experiment.preset),
    scenario: experiment.scenario
  })
  // The experiment keeps the day it was started; imported_at says when it arrived here.
  db.prepare('UPDATE experiments SET created_at = ?, imported_at = updated_at WHERE id = ?').run(
    experiment.createdAt,
    created.id
  )
  // The run repository only queues runs and finishes them now; an import stores them as they were.
  const insertRun = db.prepare(
    `INSERT INTO runs (experiment_id, batch_id, variant, seed, sweep_point, scenario, simulator_version,
       config_hash, status, error, queued_at, started_at, finished_at, wall_ms, metrics, result, notes,
       source, label)
     VALUES (?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  const insertSeries = db.prepare('INSERT INTO run_series (run_id, samples, data) VALUES (?, ?, ?)')
  const runIds = bundle.runs.map((run) => {
    const id = Number(
      insertRun.run(
        created.id,
        run.variant,
        run.seed,
        JSON.stringify(run.sweepPoint),
        JSON.stringify(run.scenario),
        run.simulatorVersion,
        run.configHash,
        run.status,
        run.error,
        run.queuedAt,
        run.startedAt,
        run.finishedAt,
        run.wallMs,
        run.metrics === null ? null : JSON.stringify(run.metrics),
        run.result === null ? null : JSON.stringify(run.result),
        run.notes,
        run.source,
        run.label
      ).lastInsertRowid
    )
    if (run.series) {
      insertSeries.run(id, run.series.samples, Buffer.from(run.series.data, 'base64'))
    }
    return id
  })
  // Annotations keep their own creation time, which the annotation repository would restamp.
  const insertAnnotation = db.prepare(
    `INSERT INTO annotations (experiment_id, run_id, t_start_s, t_end_s, text, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`
  )
  for (const a of bundle.annotations) {
    const runId = a.run === null ? null : runIds[a.run]
    insertAnnotation.run(created.id, runId, a.tStartS, a.tEndS, a.text, a.createdAt)
  }
  return { experimentId: created.id, runs: runIds.length, annotations: bundle.annotations.length }
}

function invalid(message: string, issues: FieldIssue[] = []): LabError {
  return new LabError('invalid', message, issues)
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value)
}
