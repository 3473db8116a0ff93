import { z } from 'zod'
import { MAX_RUNS_PER_BATCH, MAX_SEED, parseSeeds, runsInBatch } from './seeds'

export { parseSeeds }

const id = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .positive('must be positive')

/*
 * Every piece of free text has a stated maximum, the same for the API, the CLI and bundle imports
 * (bundle-format.ts uses these schemas); the scenario's own text is bounded in src/sim.
 */
export const title = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  // SQLite would cut a title at a NUL; no control character belongs in a one-line title.
  .refine((text) => !/\p{Cc}/u.test(text), 'must not hold control characters (such as NUL)')

export const hypothesis = z
  .string({ error: 'must be text' })
  .max(4000, 'must be at most 4,000 characters')

export const notes = z
  .string({ error: 'must be text' })
  .max(1_000_000, 'must be at most 1,000,000 characters')

export const tagName = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, 'must not be empty')
  .max(40, 'must be at most 40 characters')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._:+/-]*$/u, 'may hold letters, digits, spaces and . _ : + / -')

const tags = z.array(tagName).max(20, 'at most 20 tags')

export const idInput = z.object({ id })

export const experimentListInput = z
  .object({
    query: z.string().max(200, 'must be at most 200 characters').optional(),
    tag: tagName.optional(),
    sort: z.enum(['updated', 'created', 'title']).optional()
  })
  .default({})

export const experimentCreateInput = z.object({
  title,
  hypothesis: hypothesis.default(''),
  notes: notes.default(''),
  tags: tags.default([])
})

export const experimentUpdateInput = z
  .object({
    id,
    title: title.optional(),
    hypothesis: hypothesis.optional(),
    notes: notes.optional()
  })
  .refine((v) => v.title !== undefined || v.hypothesis !== undefined || v.notes !== undefined, {
    message: 'nothing to update: give title, hypothesis or notes'
  })

export const experimentSetTagsInput = z.object({ id, tags })

export const noInput = z.union([z.undefined(), z.null(), z.object({}).strict()])

/** A notebook file for the next start; null goes back to the default one. */
export const notebookLocationInput = z.object({
  path: z.string().trim().min(1, 'enter a file path').max(4096, 'too long for a path').nullable()
})

export const settingsUpdateInput = z
  .object({
    theme: z.enum(['system', 'light', 'dark']).optional(),
    workers: z
      .number()
      .int('must be a whole number')
      .min(1, 'at least 1')
      .max(64, 'at most 64')
      .nullable()
      .optional(),
    runOn: z.enum(['local', 'queue']).optional(),
    redisUrl: z
      .string()
      .trim()
      .max(2048, 'too long for a URL')
      .regex(/^rediss?:\/\/[^/?#\s]+/, 'expected redis://[user:password@]host:port or rediss://…')
      .nullable()
      .optional()
  })
  .refine((v) => v.runOn !== 'queue' || v.redisUrl !== null, {
    message: 'a Redis queue needs its URL',
    path: ['redisUrl']
  })

const seedsField = z
  .union(
    [
      z.string().max(10_000, 'too long for a list of seeds'),
      z
        .array(z.number().int().min(1).max(MAX_SEED, `seeds go up to ${MAX_SEED}`))
        .min(1)
        .max(MAX_RUNS_PER_BATCH)
    ],
    {
      error: 'give seeds as text like 1-10 or a list of numbers'
    }
  )
  .transform((value, ctx) => {
    if (typeof value !== 'string') return value
    const parsed = parseSeeds(value)
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: parsed })
      return z.NEVER
    }
    return parsed
  })

/** Path segments that would reach an object's prototype instead of a scenario field. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype'])

export const variantName = z.string().min(1).max(100, 'must be at most 100 characters')

/** A scenario path such as kernel.vm.swappiness. */
export const sweepKnob = z
  .string()
  .min(1, 'name the knob to sweep')
  .max(200, 'must be at most 200 characters')
  .regex(/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/, 'must be a field path like kernel.vm.swappiness')
  .refine(
    (knob) => !knob.split('.').some((seg) => FORBIDDEN_SEGMENTS.has(seg)),
    'must name a scenario field'
  )

export const sweepValue = z.union([
  z.number(),
  z.string().max(200, 'must be at most 200 characters'),
  z.boolean()
])

export const runStartInput = z
  .object({
    experimentId: id,
    variants: z.array(variantName).min(1, 'choose at least one variant').max(12),
    seeds: seedsField,
    sweep: z
      .array(
        z.object({
          knob: sweepKnob,
          values: z.array(sweepValue).min(1, 'give at least one value').max(100)
        })
      )
      .max(2, 'sweep over at most two knobs')
      .default([])
  })
  .refine((v) => runsInBatch(v) <= MAX_RUNS_PER_BATCH, {
    message: `a batch holds at most ${MAX_RUNS_PER_BATCH} runs`,
    path: ['seeds']
  })

export const experimentSetScenarioInput = z.object({
  id,
  preset: z.string().max(100).nullable(),
  scenario: z.unknown()
})

export const experimentIdInput = z.object({ experimentId: id })

export const runCancelInput = z
  .object({
    runIds: z.array(id).optional(),
    batchId: id.optional(),
    experimentId: id.optional()
  })
  .refine((v) => v.runIds || v.batchId || v.experimentId, {
    message: 'give runIds, batchId or experimentId'
  })

export const runSetNotesInput = z.object({ id, notes })

/** A run's annotations, or (experimentId) the ones pinned to the experiment's compare view. */
const annotationTarget = {
  runId: id.optional(),
  experimentId: id.optional()
}
const oneTarget = (v: { runId?: number; experimentId?: number }) =>
  (v.runId === undefined) !== (v.experimentId === undefined)
const oneTargetError = { message: 'give either runId or experimentId', path: ['runId'] }

export const annotationText = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(2000, 'must be at most 2,000 characters')

export const annotationCreateInput = z
  .object({
    ...annotationTarget,
    tStartS: z.number().min(0, 'must be 0 or later'),
    tEndS: z.number().min(0).nullable().optional(),
    text: annotationText
  })
  .refine((v) => v.tEndS == null || v.tEndS >= v.tStartS, {
    message: 'must not be before the start',
    path: ['tEndS']
  })
  .refine(oneTarget, oneTargetError)

export const annotationListInput = z.object(annotationTarget).refine(oneTarget, oneTargetError)

const seriesName = z.string().regex(/^[a-z0-9_]{1,64}$/, 'must be a series name like nr_free_pages')

export const runSeriesInput = z.object({
  id,
  /** Only these series (all when absent): the compare view reads a few of many runs. */
  names: z.array(seriesName).max(200).optional(),
  /** Only the samples from this index on: a running run's live charts fetch what is new. */
  from: z.number().int().min(0).optional()
})

/** Runs of one experiment, or the chosen ones of it. */
export const experimentRunsInput = z.object({
  experimentId: id,
  runIds: z.array(id).max(5000).optional()
})

/** Run summaries as the compare view shows them: after the same warm-up, if one is set. */
export const runSummariesExportInput = experimentRunsInput.extend({
  warmupS: z.number().min(0).max(1e9).optional()
})

export const seriesExportInput = experimentRunsInput.extend({
  names: z.array(seriesName).max(200).optional()
})

const MAX_IMPORT_CHARS = 200_000_000

export const bundleImportInput = z.object({
  text: z
    .string()
    .min(1, 'the file is empty')
    .max(MAX_IMPORT_CHARS, 'the file is too large (200 MB at most)')
})

export const MAX_SHARE_CODE_CHARS = 100_000

export const shareImportInput = z.object({
  code: z
    .string()
    .trim()
    .min(1, 'paste a share code')
    .max(MAX_SHARE_CODE_CHARS, 'too long for a share code')
})

const RUN_LABEL_MAX = 100
const runLabelTooLong = `must be at most ${RUN_LABEL_MAX} characters`

/** An observed run's label; simulated runs have none (""). */
export const runLabel = z.string().max(RUN_LABEL_MAX, runLabelTooLong)

export const observedImportInput = z.object({
  experimentId: id,
  label: z
    .string()
    .trim()
    .min(1, 'name the observed run (e.g. the device and workload)')
    .max(RUN_LABEL_MAX, runLabelTooLong),
  text: z
    .string()
    .min(1, 'the file is empty')
    .max(50_000_000, 'the file is too large (50 MB at most)'),
  fileName: z.string().max(300).optional(),
  pressure: z.string().max(10_000_000).optional()
})

/** Kernel runs: the experiment's scenario booted on a real kernel in qemu. */
export const MAX_KERNEL_RUNS = 50

export const kernelImageChoice = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('debian'),
      release: z
        .string()
        .trim()
        .min(1)
        .max(100)
        .regex(/^[\w.+~-]+$/, 'a kernel release such as 6.1.0-57-amd64')
        .optional()
    }),
    z.object({
      kind: z.literal('file'),
      path: z
        .string()
        .trim()
        .min(1, 'give the path of the bzImage on the lab\u2019s computer')
        .max(4096, 'too long for a path')
        .refine((text) => !/\p{Cc}/u.test(text), 'must not hold control characters')
    })
  ],
  { error: 'choose Debian\u2019s kernel or a bzImage file' }
)

export const kernelStartInput = z.object({
  experimentId: id,
  image: kernelImageChoice,
  label: z
    .string()
    .trim()
    .min(1, 'name the kernel, e.g. 6.12 + v2')
    .max(RUN_LABEL_MAX, runLabelTooLong)
    .refine((text) => !/\p{Cc}/u.test(text), 'must not hold control characters'),
  runs: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'at least 1')
    .max(MAX_KERNEL_RUNS, `at most ${MAX_KERNEL_RUNS}`),
  timeoutS: z
    .number({ error: 'must be a number' })
    .min(10, 'at least 10 s')
    .max(86_400, 'at most a day')
    .optional()
})
