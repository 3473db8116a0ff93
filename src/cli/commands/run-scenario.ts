import { readFileSync } from 'node:fs'
import { applySets, parseScenario, parseTrace, resolvePreset, ScenarioError } from '../../sim'
import { UsageError } from '../io'

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

/** A scenario as the app's "scenario as JSON" download writes it; errors name the file. */
function readScenarioFile(file: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new UsageError(`--scenario ${file}: cannot read it (${(err as Error).message})`)
  }
  let scenario: unknown
  try {
    scenario = JSON.parse(text)
  } catch (err) {
    throw new UsageError(`--scenario ${file}: not valid JSON (${(err as Error).message})`)
  }
  try {
    parseScenario(scenario)
  } catch (err) {
    if (err instanceof ScenarioError) throw new ScenarioError(`--scenario ${file}: ${err.message}`)
    throw err
  }
  return scenario
}

/**
 * The scenario to run: a preset or a scenario file, with `--set` overrides and a trace workload's
 * file read in, validated (but not yet expanded over a sweep).
 */
export function loadScenario(
  source: { preset: string } | { file: string },
  sets: string[],
  traced: boolean
): Record<string, unknown> {
  const base = 'preset' in source ? resolvePreset(source.preset) : readScenarioFile(source.file)
  const scenario = applySets(base, sets) as Record<string, unknown>
  if (traced) scenario.trace = { enabled: true }
  loadTraceFile(scenario)
  const checked = parseScenario(scenario)
  if (checked.workload.type === 'trace') parseTrace(checked.workload.text, checked.workload.format)
  return scenario
}
