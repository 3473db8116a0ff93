import { z } from 'zod'
import {
  annotationText,
  hypothesis,
  notes,
  runLabel,
  sweepKnob,
  sweepValue,
  tagName,
  title,
  variantName
} from '../../shared/schemas'
import { canonicalJson, sha256Hex } from './canonical-json'

/**
 * An experiment bundle: one experiment with its finished runs (results and series), their
 * annotations and the compare view's, as a JSON file another notebook imports. `checksum` is sha256 over the canonical
 * JSON of everything else, so an edit made after export is detected.
 */
export const BUNDLE_FORMAT = 'reclaim-lab.experiment'
/** 2 added annotations pinned to the compare view (`run: null`); version 1 bundles still import. */
export const BUNDLE_VERSION = 2
export const READABLE_BUNDLE_VERSIONS = [1, 2] as const

/** Only runs that will not change any more travel; queued and running ones stay home. */
export const FINISHED_STATUSES = ['done', 'failed', 'cancelled', 'interrupted'] as const

const time = z.iso.datetime()
/** Version strings and hashes the app writes itself: short, but bounded all the same. */
const token = z.string().max(100)
/** A failed run's message, written by the app; long ones quote a trace or a stack. */
const runError = z.string().max(100_000)
const jsonObject = z.record(z.string(), z.unknown())

const experimentSchema = z.strictObject({
  title,
  hypothesis,
  notes,
  tags: z.array(tagName).max(20),
  preset: z.string().max(100).nullable(),
  /** Fully resolved; null when the experiment never had one. */
  scenario: jsonObject.nullable(),
  createdAt: time
})

const runSchema = z.strictObject({
  variant: variantName,
  seed: z.int(),
  sweepPoint: z.record(sweepKnob, sweepValue),
  source: z.enum(['simulated', 'observed']),
  label: runLabel,
  status: z.enum(FINISHED_STATUSES),
  error: runError.nullable(),
  simulatorVersion: token,
  configHash: token,
  /** What the run was given, verbatim: it was valid for the simulator version that ran it. */
  scenario: jsonObject.nullable(),
  queuedAt: time,
  startedAt: time.nullable(),
  finishedAt: time.nullable(),
  wallMs: z.int().min(0).nullable(),
  metrics: z.record(token, z.number().nullable()).nullable(),
  result: jsonObject.nullable(),
  notes,
  /** The stored series blob (src/lab/store/series-codec.ts) in base64; null when none was kept. */
  series: z.strictObject({ samples: z.int().min(0), data: z.base64() }).nullable()
})

const annotationSchema = z
  .strictObject({
    /** Index into the bundle's runs; null for an annotation of the compare view. */
    run: z.int().min(0).nullable(),
    tStartS: z.number().min(0),
    tEndS: z.number().min(0).nullable(),
    text: annotationText,
    createdAt: time
  })
  .refine((a) => a.tEndS === null || a.tEndS >= a.tStartS, {
    message: 'must not be before tStartS',
    path: ['tEndS']
  })

export const bundleSchema = z
  .strictObject({
    format: z.literal(BUNDLE_FORMAT),
    version: z.union(READABLE_BUNDLE_VERSIONS.map((v) => z.literal(v))),
    exportedAt: time,
    appVersion: token.optional(),
    simulatorVersion: token,
    checksum: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits (sha256)'),
    experiment: experimentSchema,
    runs: z.array(runSchema),
    annotations: z.array(annotationSchema)
  })
  .superRefine((bundle, ctx) => {
    bundle.annotations.forEach((a, i) => {
      if (a.run === null && bundle.version === 1) {
        ctx.addIssue({
          code: 'custom',
          path: ['annotations', i, 'run'],
          message: 'must point at a run: version 1 bundles carry no compare annotations'
        })
      }
      if (a.run !== null && a.run >= bundle.runs.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['annotations', i, 'run'],
          message: `points at run ${a.run}, but the bundle holds ${bundle.runs.length} runs`
        })
      }
    })
  })

export type ExperimentBundle = z.output<typeof bundleSchema>
export type BundleRun = ExperimentBundle['runs'][number]
export type BundleAnnotation = ExperimentBundle['annotations'][number]

/** sha256 over the canonical JSON of the bundle without its checksum field. */
export function bundleChecksum(bundle: Record<string, unknown>): string {
  const { checksum: _checksum, ...content } = bundle
  return sha256Hex(canonicalJson(content))
}
