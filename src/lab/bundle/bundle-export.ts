import type { Database } from 'better-sqlite3'
import { SIMULATOR_VERSION } from '../../sim'
import type { Annotation, RunDetail } from '../../shared/dto'
import { AnnotationRepository } from '../store/repositories/annotations'
import { ExperimentRepository } from '../store/repositories/experiments'
import { RunRepository } from '../store/repositories/runs'
import { APP_VERSION } from '../version'
import {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  bundleChecksum,
  FINISHED_STATUSES,
  type BundleAnnotation,
  type BundleRun
} from './bundle-format'

export interface ExportOptions {
  now?: () => string
}

/**
 * One experiment with its finished runs and their annotations as bundle JSON. Compact: indenting
 * adds about 40% (results are deep objects) and buys nothing for import, since the checksum is
 * over the parsed content; a bundle re-indented for reading (`jq .`) still imports.
 */
export function exportBundle(
  db: Database,
  experimentId: number,
  options: ExportOptions = {}
): string {
  // One read transaction, so a run finishing meanwhile (another process) cannot tear the bundle.
  const content = db.transaction(() => {
    const experiment = new ExperimentRepository(db).get(experimentId)
    const runRepo = new RunRepository(db)
    const annotationRepo = new AnnotationRepository(db)
    const finished = runRepo
      .list(experimentId)
      .filter((r) => (FINISHED_STATUSES as readonly string[]).includes(r.status))
    const runs = finished.map((r) => toBundleRun(runRepo.get(r.id), storedSeries(db, r.id)))
    const toBundle = (a: Annotation, run: number | null): BundleAnnotation => ({
      run,
      tStartS: a.tStartS,
      tEndS: a.tEndS,
      text: a.text,
      createdAt: a.createdAt
    })
    const annotations = [
      ...finished.flatMap((r, index) => annotationRepo.list(r.id).map((a) => toBundle(a, index))),
      ...annotationRepo.listCompare(experimentId).map((a) => toBundle(a, null))
    ]
    return {
      format: BUNDLE_FORMAT,
      version: BUNDLE_VERSION,
      exportedAt: (options.now ?? (() => new Date().toISOString()))(),
      appVersion: APP_VERSION,
      simulatorVersion: SIMULATOR_VERSION,
      experiment: {
        title: experiment.title,
        hypothesis: experiment.hypothesis,
        notes: experiment.notes,
        tags: experiment.tags,
        preset: experiment.preset,
        scenario: experiment.scenario as Record<string, unknown> | null,
        createdAt: experiment.createdAt
      },
      runs,
      annotations
    }
  })()
  const { experiment, runs, annotations, ...header } = content
  // The checksum sits with the header so a reader meets it before the bulk.
  return JSON.stringify({
    ...header,
    checksum: bundleChecksum(content),
    experiment,
    runs,
    annotations
  })
}

/** The series blob as stored (already compact), rather than decoding and re-encoding it. */
function storedSeries(db: Database, runId: number): BundleRun['series'] {
  const row = db.prepare('SELECT samples, data FROM run_series WHERE run_id = ?').get(runId) as
    { samples: number; data: Buffer } | undefined
  return row ? { samples: row.samples, data: row.data.toString('base64') } : null
}

function toBundleRun(run: RunDetail, series: BundleRun['series']): BundleRun {
  return {
    variant: run.variant,
    seed: run.seed,
    sweepPoint: run.sweepPoint,
    source: run.source,
    label: run.label,
    status: run.status as BundleRun['status'],
    error: run.error,
    simulatorVersion: run.simulatorVersion,
    configHash: run.configHash,
    scenario: run.scenario as Record<string, unknown> | null,
    queuedAt: run.queuedAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    wallMs: run.wallMs,
    metrics: run.metrics as BundleRun['metrics'],
    result: run.result,
    notes: run.notes,
    series
  }
}
