import { readFileSync } from 'node:fs'
import type { CliIO } from '../io'
import { UsageError } from '../io'
import { lastFlag, parseArgs } from '../args'
import {
  SIMULATOR_VERSION,
  VARIANTS,
  applySets,
  parseScenario,
  resolvePreset,
  runSimulationSync,
  ScenarioError,
  UnknownPresetError,
  TraceParseError,
  parseTrace
} from '../../sim'
import { formatCsv, formatTable, toRow, type RunRow } from './sim-format'

const USAGE =
  'usage: run --preset NAME [--variant NAME] [--set key=value …] [--seeds 1-10] [--format table|json|csv] [--out FILE] [--trace-out FILE]'

/** `--seeds 3`, `--seeds 1-10`, `--seeds 1,4,9`. */
export function parseSeeds(s: string): number[] {
  const out: number[] = []
  for (const part of s.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part)
    if (!m) throw new UsageError(`--seeds ${s}: expected N, A-B or a comma list`)
    const a = Number(m[1])
    const b = m[2] === undefined ? a : Number(m[2])
    if (b < a) throw new UsageError(`--seeds ${s}: range ${a}-${b} is empty`)
    if (b - a > 10000) throw new UsageError(`--seeds ${s}: more than 10000 seeds`)
    for (let x = a; x <= b; x++) out.push(x)
  }
  if (out.length > 10000) throw new UsageError(`--seeds ${s}: more than 10000 seeds`)
  return out
}

/** Reads a trace workload's file into the scenario (the simulator itself does no IO). */
function loadTraceFile(sc: Record<string, unknown>): void {
  const w = sc.workload as Record<string, unknown> | undefined
  if (!w || w.type !== 'trace' || typeof w.file !== 'string' || w.text) return
  const file = w.file
  try {
    w.text = readFileSync(file, 'utf8')
  } catch {
    throw new ScenarioError(`workload.file: cannot read ${file}`)
  }
  if (w.format === undefined) w.format = file.toLowerCase().endsWith('.csv') ? 'csv' : 'json'
}

/**
 * `reclaim-lab run`: runs a preset (with overrides) for each seed and prints a table, JSON or CSV.
 * Exit codes: 0 ok, 2 bad arguments or scenario (one message on stderr, nothing else), 1 failure.
 */
export async function runCommand(args: string[], io: CliIO): Promise<number> {
  let rows: RunRow[]
  let format: string
  let out: string | undefined
  let traceOut: string | undefined
  let jobs: { seed: number; scenario: unknown }[]
  let preset: string
  let variant: string
  try {
    const parsed = parseArgs(args, [
      'preset',
      'variant',
      'set',
      'seeds',
      'format',
      'out',
      'trace-out'
    ])
    if (parsed.positional.length)
      throw new UsageError(`unexpected argument ${parsed.positional[0]}`)
    const p = lastFlag(parsed, 'preset')
    if (!p) throw new UsageError(`--preset is required\n${USAGE}`)
    preset = p
    variant = lastFlag(parsed, 'variant') ?? 'baseline'
    if (!VARIANTS[variant])
      throw new UsageError(
        `--variant ${variant}: unknown variant (available: ${Object.keys(VARIANTS).join(', ')})`
      )
    format = lastFlag(parsed, 'format') ?? 'table'
    if (!['table', 'json', 'csv'].includes(format))
      throw new UsageError(`--format ${format}: expected table, json or csv`)
    out = lastFlag(parsed, 'out')
    traceOut = lastFlag(parsed, 'trace-out')
    const seeds = parseSeeds(lastFlag(parsed, 'seeds') ?? '1')
    const input = applySets(resolvePreset(preset), parsed.flags.get('set') ?? []) as Record<
      string,
      unknown
    >
    if (traceOut) (input as { trace?: unknown }).trace = { enabled: true }
    loadTraceFile(input)
    const sc = parseScenario(input)
    if (sc.workload.type === 'trace') parseTrace(sc.workload.text, sc.workload.format)
    jobs = seeds.map((seed) => ({ seed, scenario: input }))
  } catch (err) {
    if (
      err instanceof UsageError ||
      err instanceof ScenarioError ||
      err instanceof UnknownPresetError ||
      err instanceof TraceParseError
    ) {
      io.stderr(`reclaim-lab run: ${err.message}\n`)
      return 2
    }
    throw err
  }
  try {
    rows = []
    let traceJson: string | null = null
    for (const j of jobs) {
      const t0 = performance.now()
      const r = runSimulationSync(j.scenario, {}, { seed: j.seed, variant })
      rows.push(toRow(preset, r, (performance.now() - t0) / 1000))
      if (traceOut && traceJson === null && r.trace) traceJson = JSON.stringify(r.trace)
    }
    let text: string
    if (format === 'json')
      text = JSON.stringify({ simulator_version: SIMULATOR_VERSION, runs: rows }, null, 2) + '\n'
    else if (format === 'csv') text = formatCsv(rows)
    else text = formatTable(rows)
    if (out) io.writeFile(out, text)
    else io.stdout(text)
    if (traceOut && traceJson) io.writeFile(traceOut, traceJson)
    return 0
  } catch (err) {
    if (err instanceof ScenarioError || err instanceof TraceParseError) {
      io.stderr(`reclaim-lab run: ${err.message}\n`)
      return 2
    }
    io.stderr(`reclaim-lab run: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  }
}
