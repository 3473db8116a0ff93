import { parseScenario, presets, scenarioSchema, ScenarioError, type Scenario } from '../../sim'
import { LabError, type FieldIssue } from '../../shared/errors'
import { fieldIssues, summarise } from './issues'

/**
 * Validates a scenario with the simulator's own schema and cross-field checks and returns it fully
 * resolved. Refusals are LabError('invalid') led by `lead`, with issue paths under `prefix`.
 */
export function checkScenario(input: unknown, lead: string, prefix: string[] = []): Scenario {
  const parsed = scenarioSchema.safeParse(input, { reportInput: true })
  if (!parsed.success) {
    const issues = fieldIssues(parsed.error.issues, prefix)
    throw new LabError('invalid', summarise(lead, issues), issues)
  }
  try {
    return parseScenario(parsed.data)
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err
    // parseScenario's own checks read "device.reserved_mb: leaves less than …".
    const [path, ...rest] = err.message.split(': ')
    const issue: FieldIssue = rest.length
      ? { path: [...prefix, path].join('.'), message: rest.join(': ') }
      : { path: prefix.join('.'), message: err.message }
    throw new LabError('invalid', summarise(lead, [issue]), [issue])
  }
}

/**
 * A preset this simulator does not know (renamed or added in another version) is dropped: the
 * scenario travels whole, so nothing is lost but the label the editor diffs against.
 */
export function knownPreset(name: string | null): string | null {
  return name !== null && presets.some((p) => p.name === name) ? name : null
}
