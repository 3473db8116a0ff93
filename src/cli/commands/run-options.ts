import { lastFlag, outputFile, parseArgs } from '../args'
import { UsageError } from '../io'
import type { BatchSpec, SweepAxis } from '../../lab/runs/batch'
import { parseSweepValues } from '../../shared/sweep'
import { experimentCreateInput } from '../../shared/schemas'
import { MAX_RUNS_PER_BATCH, parseSeeds as parseSharedSeeds, runsInBatch } from '../../shared/seeds'
import { VARIANTS } from '../../sim'
import { loadScenario } from './run-scenario'

export const RUN_USAGE =
  'usage: run (--preset NAME | --scenario FILE) [--set key=value …] [--variant A,B …] [--seeds 1-10] ' +
  '[--sweep knob=v1,v2,… (up to 2)] [--shard i/n] [--format table|json|csv|shard] [--out FILE] [--trace-out FILE] ' +
  '[--db PATH (--experiment ID | --title TEXT)]'

/** Of the expanded runs, this machine runs those whose index mod `count` is `index - 1`. */
export interface Shard {
  index: number
  count: number
}

/** Where finished runs are stored: an existing experiment, or a new one with this title. */
export type NotebookTarget = { path: string } & (
  { experimentId: number; title?: undefined } | { title: string; experimentId?: undefined }
)

export interface RunOptions {
  /** `preset NAME` or `scenario FILE`, for headers and the rows' `preset` field. */
  source: { kind: 'preset' | 'scenario'; name: string }
  /** The scenario input with `--set` applied (not yet expanded over the sweep). */
  scenario: Record<string, unknown>
  spec: BatchSpec
  shard: Shard | null
  /** `shard`: JSON with all a notebook stores of each run, for `import-results`. */
  format: 'table' | 'json' | 'csv' | 'shard'
  out?: string
  traceOut?: string
  notebook?: NotebookTarget
}

/** `--seeds 3`, `--seeds 1-10`, `--seeds 1,4,9`: the app's seed grammar and range. */
export function parseSeeds(s: string): number[] {
  const seeds = parseSharedSeeds(s)
  if (typeof seeds === 'string') throw new UsageError(`--seeds ${s.slice(0, 40)}: ${seeds}`)
  return seeds
}

/** `--variant baseline,v2 --variant v3`: every name once, in the order given. */
export function parseVariants(texts: string[]): string[] {
  const names = [...new Set(texts.flatMap((t) => t.split(',').map((n) => n.trim())))]
  for (const name of names) {
    if (!VARIANTS[name])
      throw new UsageError(
        `--variant ${name}: unknown variant (available: ${Object.keys(VARIANTS).join(', ')})`
      )
  }
  return names.length ? names : ['baseline']
}

/** `--sweep knob=0,60,100` or `knob=0:200:50`, values read as the app's sweep fields read them. */
export function parseSweep(texts: string[]): SweepAxis[] {
  if (texts.length > 2) throw new UsageError(`--sweep: at most two knobs, got ${texts.length}`)
  const axes = texts.map((text) => {
    const eq = text.indexOf('=')
    if (eq <= 0) throw new UsageError(`--sweep ${text}: expected knob=v1,v2,…`)
    const values = parseSweepValues(text.slice(eq + 1))
    if (typeof values === 'string') throw new UsageError(`--sweep ${text}: ${values}`)
    if (values.length > 100) throw new UsageError(`--sweep ${text}: at most 100 values`)
    return { knob: text.slice(0, eq).trim(), values }
  })
  if (axes.length === 2 && axes[0].knob === axes[1].knob)
    throw new UsageError(`--sweep ${axes[0].knob}: the two axes sweep the same knob`)
  return axes
}

export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  if (!m) throw new UsageError(`--shard ${text}: expected i/n, such as 2/8`)
  const [index, count] = [Number(m[1]), Number(m[2])]
  if (index < 1 || index > count)
    throw new UsageError(`--shard ${text}: i must be from 1 to n (${index} is not in 1..${count})`)
  return { index, count }
}

function parseNotebook(
  path: string | undefined,
  experiment: string | undefined,
  title: string | undefined
): NotebookTarget | undefined {
  if (path === undefined) {
    if (experiment !== undefined || title !== undefined)
      throw new UsageError('--experiment and --title store runs in a notebook: give --db PATH')
    return undefined
  }
  if ((experiment === undefined) === (title === undefined))
    throw new UsageError(
      '--db needs either --experiment ID (add to that experiment) or --title TEXT (a new one)'
    )
  if (experiment !== undefined) {
    if (!/^\d+$/.test(experiment) || Number(experiment) < 1)
      throw new UsageError(`--experiment ${experiment}: expected an experiment number such as 12`)
    return { path, experimentId: Number(experiment) }
  }
  const checked = experimentCreateInput.shape.title.safeParse(title)
  if (!checked.success) throw new UsageError(`--title: ${checked.error.issues[0].message}`)
  return { path, title: checked.data }
}

export function parseRunOptions(args: string[]): RunOptions {
  const parsed = parseArgs(args, [
    'preset',
    'scenario',
    'variant',
    'set',
    'seeds',
    'sweep',
    'shard',
    'format',
    'out',
    'trace-out',
    'db',
    'experiment',
    'title'
  ])
  if (parsed.positional.length) throw new UsageError(`unexpected argument ${parsed.positional[0]}`)
  const preset = lastFlag(parsed, 'preset')
  const file = lastFlag(parsed, 'scenario')
  if (preset === undefined && file === undefined)
    throw new UsageError(`--preset is required (or --scenario FILE)\n${RUN_USAGE}`)
  if (preset !== undefined && file !== undefined)
    throw new UsageError('give --preset or --scenario, not both')
  const variants = parseVariants(parsed.flags.get('variant') ?? [])
  const format = lastFlag(parsed, 'format') ?? 'table'
  if (format !== 'table' && format !== 'json' && format !== 'csv' && format !== 'shard')
    throw new UsageError(`--format ${format}: expected table, json, csv or shard`)
  const seeds = parseSeeds(lastFlag(parsed, 'seeds') ?? '1')
  const sweep = parseSweep(parsed.flags.get('sweep') ?? [])
  const size = runsInBatch({ variants, seeds, sweep })
  if (size > MAX_RUNS_PER_BATCH)
    throw new UsageError(
      `the batch holds ${size} runs (variants × seeds × sweep points); a batch holds at most ${MAX_RUNS_PER_BATCH}: split the sweep or the seeds into several batches`
    )
  const shardText = lastFlag(parsed, 'shard')
  const notebook = parseNotebook(
    lastFlag(parsed, 'db'),
    lastFlag(parsed, 'experiment'),
    lastFlag(parsed, 'title')
  )
  const out = outputFile(parsed, 'out')
  const traceOut = outputFile(parsed, 'trace-out')
  // Tracing changes the scenario (and its config hash) from the one the notebook would run.
  if (traceOut && notebook)
    throw new UsageError('--trace-out cannot be combined with --db: traced runs are not stored')

  const scenario = loadScenario(
    preset !== undefined ? { preset } : { file: file! },
    parsed.flags.get('set') ?? [],
    traceOut !== undefined
  )

  return {
    source:
      preset !== undefined ? { kind: 'preset', name: preset } : { kind: 'scenario', name: file! },
    scenario,
    spec: { variants, seeds, sweep },
    shard: shardText === undefined ? null : parseShard(shardText),
    format,
    out,
    traceOut,
    notebook
  }
}
