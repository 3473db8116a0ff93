import type { z } from 'zod'
import type { FieldIssue } from '../../shared/errors'

type Issue = z.ZodError['issues'][number]

/** How many issues a message lists before "and N more" (the issues array keeps them all). */
const LISTED = 5
/** Keys come from the file; a megabyte-long one is not repeated in full. */
const SHOWN_KEY_CHARS = 60

/**
 * Zod issues as dotted paths with short messages in the kernel's vocabulary ("must be ≤ 200"),
 * under `prefix` (e.g. `experiment.scenario`). An unknown key becomes an issue on that key.
 */
export function fieldIssues(issues: Issue[], prefix: string[] = []): FieldIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map((key) => clip(String(key)))]
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: [...path, clip(key)].join('.'),
        message: 'is not a field this version knows'
      }))
    }
    if (issue.code === 'invalid_key') {
      // Zod puts the refused key itself at the end of the path.
      const problem = issue.issues[0]
      return [
        {
          path: path.slice(0, -1).join('.'),
          message: `has a key that ${problem ? describe(problem as Issue) : 'is not valid'}`
        }
      ]
    }
    return [{ path: path.join('.'), message: describe(issue) }]
  })
}

function clip(key: string): string {
  return key.length > SHOWN_KEY_CHARS ? `${key.slice(0, SHOWN_KEY_CHARS)}…` : key
}

/** "The bundle is not valid: runs.0.status must be one of …; …" */
export function summarise(lead: string, issues: FieldIssue[]): string {
  const listed = issues.slice(0, LISTED).map((i) => (i.path ? `${i.path} ${i.message}` : i.message))
  const more = issues.length > LISTED ? `; and ${issues.length - LISTED} more` : ''
  return `${lead}: ${listed.join('; ')}${more}`
}

function describe(issue: Issue): string {
  switch (issue.code) {
    case 'too_big':
      return (
        bound(issue.origin, '≤', '<', 'at most', issue.maximum, issue.inclusive) ?? issue.message
      )
    case 'too_small':
      if (issue.origin === 'string' && issue.minimum === 1) return 'must not be empty'
      return (
        bound(issue.origin, '≥', '>', 'at least', issue.minimum, issue.inclusive) ?? issue.message
      )
    case 'invalid_type':
      if (issue.input === undefined) return 'is missing'
      return issue.expected === 'int'
        ? 'must be a whole number'
        : `must be ${article(issue.expected)} ${issue.expected}, not ${kind(issue.input)}`
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map(String).join(', ')}`
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options
      return options ? `must be one of ${options.map(String).join(', ')}` : issue.message
    }
    case 'invalid_format':
      // Other formats (regexes) carry their schema's own wording.
      if (issue.format === 'datetime') return 'must be a UTC time like 2025-03-07T12:00:00.000Z'
      if (issue.format === 'base64') return 'must be base64 text'
      return issue.message
    default:
      return issue.message
  }
}

function bound(
  origin: string,
  inclusiveSign: string,
  strictSign: string,
  words: string,
  limit: number | bigint,
  inclusive: boolean | undefined
): string | undefined {
  if (origin === 'number' || origin === 'int' || origin === 'bigint')
    return `must be ${inclusive === false ? strictSign : inclusiveSign} ${limit}`
  if (origin === 'string') return `must be ${words} ${limit} characters`
  if (origin === 'array') return `must hold ${words} ${limit} items`
  return undefined
}

function kind(input: unknown): string {
  if (input === null) return 'null'
  if (Array.isArray(input)) return 'a list'
  return `${article(typeof input)} ${typeof input}`
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a'
}
