import { keyMetrics } from '../../lab/runs/metrics'
import type { NewRun } from '../../lab/store/repositories/runs'
import { appendBatch, type SeriesColumns } from '../../lab/store/series-codec'
import {
  SIMULATOR_VERSION,
  runSimulationSync,
  scenarioSchema,
  ScenarioError,
  TraceParseError,
  UnknownPresetError,
  type RunResult
} from '../../sim'
import type { CliIO } from '../io'
import { UsageError } from '../io'
import type { NotebookWriter } from './notebook'
import { parseRunOptions, type RunOptions } from './run-options'
import { planRuns } from './run-plan'
import { SHARD_FORMAT, shardRun, type ShardFile } from './shard-format'
import { formatCsv, toRow, type RunRow } from './sim-format'
import { formatTable } from './sim-table'

export { parseSeeds } from './run-options'

/** Opens the notebook only when asked, so plain runs do not load SQLite. */
async function openNotebook(options: RunOptions, io: CliIO): Promise<NotebookWriter | undefined> {
  if (!options.notebook) return undefined
  const { NotebookWriter } = await import('./notebook')
  const { spec, shard } = options
  return NotebookWriter.open(
    options.notebook,
    {
      preset: options.source.kind === 'preset' ? options.source.name : null,
      scenario: scenarioSchema.parse(options.scenario)
    },
    shard ? { ...spec, shard: `${shard.index}/${shard.count}` } : spec,
    (line) => io.stderr(`${line}\n`)
  )
}

/** One run; its sampled series are kept only when they are to be stored. */
function simulate(
  run: NewRun,
  keepSeries: boolean
): { result: RunResult; series: SeriesColumns; wallMs: number } {
  const series: SeriesColumns = { t_s: [], series: {} }
  const sink = keepSeries ? { samples: (batch: SeriesColumns) => appendBatch(series, batch) } : {}
  const t0 = performance.now()
  const result = runSimulationSync(run.scenario, sink, { seed: run.seed, variant: run.variant })
  return { result, series, wallMs: performance.now() - t0 }
}

function render(rows: RunRow[], options: RunOptions): string {
  if (options.format === 'json')
    return JSON.stringify({ simulator_version: SIMULATOR_VERSION, runs: rows }, null, 2) + '\n'
  if (options.format === 'csv') return formatCsv(rows)
  return formatTable(rows, `${options.source.kind} ${options.source.name}`)
}

function shardFile(options: RunOptions): ShardFile {
  const { shard } = options
  return {
    format: SHARD_FORMAT,
    source: `${options.source.kind} ${options.source.name}`,
    shard: shard ? `${shard.index}/${shard.count}` : null,
    spec: options.spec,
    runs: []
  }
}

const isBadInput = (err: unknown): boolean =>
  err instanceof UsageError ||
  err instanceof ScenarioError ||
  err instanceof UnknownPresetError ||
  err instanceof TraceParseError

/**
 * `reclaim-lab run`: runs a preset or scenario file over variants × seeds × sweep points (or one
 * shard of them), prints a table, JSON or CSV, and optionally stores the runs in a notebook.
 * Exit codes: 0 ok, 2 bad arguments or scenario (one message on stderr, nothing else), 1 failure.
 */
export async function runCommand(args: string[], io: CliIO): Promise<number> {
  let notebook: NotebookWriter | undefined
  try {
    const options = parseRunOptions(args)
    const runs = planRuns(options.scenario, options.spec, options.shard)
    notebook = await openNotebook(options, io)
    const swept = options.spec.sweep.length > 0
    const rows: RunRow[] = []
    const shard: ShardFile | null = options.format === 'shard' ? shardFile(options) : null
    let traceJson: string | null = null
    for (const run of runs) {
      const { result, series, wallMs } = simulate(run, notebook !== undefined || shard !== null)
      shard?.runs.push(shardRun(run, result, series, wallMs))
      rows.push(
        toRow(options.source.name, result, wallMs / 1000, swept ? run.sweepPoint : undefined)
      )
      if (options.traceOut && traceJson === null && result.trace)
        traceJson = JSON.stringify(result.trace)
      notebook?.add(run, {
        wallMs: Math.round(wallMs),
        metrics: keyMetrics(result),
        result,
        series
      })
    }
    notebook?.flush()
    if (runs.length === 0 && options.shard)
      io.stderr(`shard ${options.shard.index}/${options.shard.count} holds no runs\n`)
    const text = shard ? JSON.stringify(shard) + '\n' : render(rows, options)
    if (options.out) io.writeFile(options.out, text)
    else io.stdout(text)
    if (options.traceOut && traceJson) io.writeFile(options.traceOut, traceJson)
    return 0
  } catch (err) {
    io.stderr(`reclaim-lab run: ${err instanceof Error ? err.message : String(err)}\n`)
    return isBadInput(err) ? 2 : 1
  } finally {
    notebook?.close()
  }
}
