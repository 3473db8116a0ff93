import BetterSqlite3 from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { migrationsDir } from '../../lab/paths'
import { runAfterWarmup } from '../../lab/runs/warmup'
import { checkNotebookPath } from '../../lab/store/location'
import { loadMigrations } from '../../lab/store/migrations'
import { ExperimentRepository } from '../../lab/store/repositories/experiments'
import { RunRepository } from '../../lab/store/repositories/runs'
import { toCompareCsv, toLatex, toMarkdown } from '../../shared/compare/export'
import { compareRunOf, groupRuns, pickBaseline } from '../../shared/compare/groups'
import { buildCompareTable } from '../../shared/compare/table'
import { LabError } from '../../shared/errors'
import { lastFlag, outputFile, parseArgs } from '../args'
import { UsageError, type CliIO } from '../io'

export const COMPARE_USAGE =
  'usage: compare --db PATH --experiment ID [--groups A,B …] [--baseline GROUP] [--warmup SECONDS] ' +
  '[--intervals] [--spread] [--format md|tex|csv] [--out FILE]'

const FORMATS = ['md', 'tex', 'csv'] as const

interface CompareOptions {
  path: string
  experimentId: number
  groups: string[] | null
  baseline: string | null
  warmupS: number
  intervals: boolean
  spread: boolean
  format: (typeof FORMATS)[number]
  out?: string
}

function parseOptions(args: string[]): CompareOptions {
  const parsed = parseArgs(
    args,
    ['db', 'experiment', 'groups', 'baseline', 'warmup', 'format', 'out'],
    ['intervals', 'spread']
  )
  if (parsed.positional.length) throw new UsageError(`unexpected argument ${parsed.positional[0]}`)
  const path = lastFlag(parsed, 'db')
  const experiment = lastFlag(parsed, 'experiment')
  if (!path || !experiment)
    throw new UsageError(`--db and --experiment are required\n${COMPARE_USAGE}`)
  const experimentId = Number(experiment)
  if (!Number.isInteger(experimentId) || experimentId < 1)
    throw new UsageError(`--experiment ${experiment}: expected an experiment number such as 3`)
  const warmup = lastFlag(parsed, 'warmup') ?? '0'
  const warmupS = Number(warmup)
  if (!Number.isFinite(warmupS) || warmupS < 0)
    throw new UsageError(`--warmup ${warmup}: expected seconds of simulated time, 0 or more`)
  const format = lastFlag(parsed, 'format') ?? 'md'
  if (!(FORMATS as readonly string[]).includes(format))
    throw new UsageError(`--format ${format}: expected md, tex or csv`)
  const groups = parsed.flags
    .get('groups')
    ?.flatMap((g) => g.split(','))
    .map((g) => g.trim())
  return {
    path: resolve(path),
    experimentId,
    groups: groups?.filter(Boolean) ?? null,
    baseline: lastFlag(parsed, 'baseline') ?? null,
    warmupS,
    intervals: parsed.flags.has('intervals'),
    spread: parsed.flags.has('spread'),
    format: format as CompareOptions['format'],
    out: outputFile(parsed, 'out')
  }
}

/**
 * `reclaim-lab compare`: an experiment's finished runs in a notebook, as the compare view's table
 * (grouped by variant and sweep point, paired across common seeds), in Markdown, LaTeX or CSV.
 * Exit codes: 0 ok, 2 bad arguments or a missing experiment or group, 1 an unreadable notebook.
 */
export async function compareCommand(args: string[], io: CliIO): Promise<number> {
  const options = parseOptions(args)
  if (!existsSync(options.path))
    throw new UsageError(`--db: there is no notebook at ${options.path}`)
  const latest = loadMigrations(migrationsDir()).length
  checkNotebookPath(options.path, latest)
  // A report: read-only, so an older notebook is not upgraded (an older app could not open it then).
  const db = new BetterSqlite3(options.path, { readonly: true, fileMustExist: true, timeout: 5000 })
  try {
    const version = db.pragma('user_version', { simple: true }) as number
    if (version < latest)
      throw new UsageError(
        `${options.path} has schema version ${version}; open it once in this Reclaim Lab ` +
          `(or \`serve --db\`) to upgrade it to ${latest}, then compare`
      )
    const experiment = new ExperimentRepository(db).get(options.experimentId)
    const runs = new RunRepository(db)
    const details = runs
      .details(options.experimentId)
      .map((run) => runAfterWarmup(runs, run, options.warmupS))
    const all = groupRuns(details.map((r) => compareRunOf(r)))
    if (!all.length)
      throw new UsageError(
        `experiment #${experiment.id} (${experiment.title}) has no finished runs`
      )
    const keys = all.map((g) => g.key)
    const unknown = (options.groups ?? []).filter((k) => !keys.includes(k))
    if (unknown.length)
      throw new UsageError(
        `no group ${unknown.map((k) => `"${k}"`).join(', ')} in experiment #${experiment.id} ` +
          `(groups: ${keys.join(', ')})`
      )
    const groups = options.groups ? all.filter((g) => options.groups!.includes(g.key)) : all
    if (options.baseline && !groups.some((g) => g.key === options.baseline))
      throw new UsageError(
        `--baseline ${options.baseline}: not among the compared groups (${groups.map((g) => g.key).join(', ')})`
      )
    const table = buildCompareTable(
      groups,
      pickBaseline(
        groups.map((g) => g.key),
        options.baseline
      ),
      { changeIntervals: options.intervals, warmupS: options.warmupS, spread: options.spread }
    )
    const text =
      options.format === 'csv'
        ? toCompareCsv(table)
        : options.format === 'tex'
          ? toLatex(table)
          : toMarkdown(table)
    if (options.out) io.writeFile(options.out, text)
    else io.stdout(text)
    return 0
  } catch (err) {
    if (err instanceof LabError && err.code === 'not_found') throw new UsageError(err.message)
    throw err
  } finally {
    db.close()
  }
}
