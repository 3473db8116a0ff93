import { z } from 'zod'
import { configHash, type BatchSpec } from '../../lab/runs/batch'
import type { NewRun } from '../../lab/store/repositories/runs'
import { decodeSeries, encodeSeries, type SeriesColumns } from '../../lab/store/series-codec'
import type { RunResult } from '../../shared/result'

/** Marks a `run --format shard` file, so import-results knows what it reads. */
export const SHARD_FORMAT = 'reclaim-lab-shard/1'

/** One finished run with all a notebook stores of it; `series` is series-codec, base64. */
export interface ShardRun {
  variant: string
  seed: number
  sweep_point: Record<string, number | string | boolean>
  scenario: unknown
  simulator_version: string
  config_hash: string
  wall_ms: number
  result: RunResult
  series: string
}

export interface ShardFile {
  format: typeof SHARD_FORMAT
  source: string
  shard: string | null
  spec: BatchSpec
  runs: ShardRun[]
}

export function shardRun(
  run: NewRun,
  result: RunResult,
  series: SeriesColumns,
  wallMs: number
): ShardRun {
  return {
    variant: run.variant,
    seed: run.seed,
    sweep_point: run.sweepPoint,
    scenario: run.scenario,
    simulator_version: run.simulatorVersion,
    config_hash: run.configHash,
    wall_ms: Math.round(wallMs),
    result,
    series: encodeSeries(series).toString('base64')
  }
}

const knobValue = z.union([z.number(), z.string(), z.boolean()])

const shardSchema = z.object({
  format: z.literal(SHARD_FORMAT, {
    error: `not a shard file: expected "format": "${SHARD_FORMAT}" (written by run --format shard)`
  }),
  source: z.string(),
  shard: z.string().nullable(),
  spec: z.object({
    variants: z.array(z.string()),
    seeds: z.array(z.number()),
    sweep: z.array(z.object({ knob: z.string(), values: z.array(knobValue) }))
  }),
  runs: z.array(
    z.object({
      variant: z.string(),
      seed: z.number().int(),
      sweep_point: z.record(z.string(), knobValue),
      scenario: z.unknown(),
      simulator_version: z.string().min(1),
      config_hash: z.string().regex(/^[0-9a-f]{64}$/),
      wall_ms: z.number().nonnegative(),
      result: z.record(z.string(), z.unknown()),
      series: z.string()
    })
  )
})

/** A read shard: its runs as the notebook stores them. Throws naming the file and the field. */
export function parseShardFile(
  path: string,
  text: string
): {
  file: ShardFile
  runs: Array<{ run: NewRun; wallMs: number; result: RunResult; series: SeriesColumns }>
} {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new Error(`${path}: not JSON (${(err as Error).message})`)
  }
  const parsed = shardSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(`${path}: ${issue.path.join('.') || 'file'}: ${issue.message}`)
  }
  const file = parsed.data as unknown as ShardFile
  const runs = file.runs.map((r, i) => {
    const where = `${path}: runs.${i}`
    // The hash is what duplicates are recognised by: it must be the one of the run's own config.
    const hash = configHash(r.scenario, r.variant, r.seed, r.simulator_version)
    if (hash !== r.config_hash)
      throw new Error(`${where}.config_hash does not match the run's scenario, variant and seed`)
    let series: SeriesColumns
    try {
      series = decodeSeries(Buffer.from(r.series, 'base64'))
    } catch (err) {
      throw new Error(`${where}.series: ${(err as Error).message}`)
    }
    const run: NewRun = {
      variant: r.variant,
      seed: r.seed,
      sweepPoint: r.sweep_point,
      scenario: r.scenario,
      simulatorVersion: r.simulator_version,
      configHash: r.config_hash
    }
    return { run, wallMs: r.wall_ms, result: r.result, series }
  })
  return { file, runs }
}
