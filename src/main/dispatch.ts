import type { ZodError } from 'zod'
import { requestSchemas, type Channel, type Handlers, type Reply } from '../shared/contract'
import { LabError, toErrorData, type FieldIssue } from '../shared/errors'

export function issuesOf(error: ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message
  }))
}

function describe(issues: FieldIssue[]): string {
  return issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')
}

/**
 * Validates a request against its channel's schema and runs the handler. Every transport goes
 * through here, so a bad input is refused the same way everywhere and before anything is written.
 */
export async function dispatch(
  handlers: Handlers,
  channel: string,
  input: unknown
): Promise<Reply<unknown>> {
  if (!Object.prototype.hasOwnProperty.call(requestSchemas, channel)) {
    return { ok: false, error: { code: 'unknown_channel', message: `No such channel: ${channel}` } }
  }
  const name = channel as Channel
  const parsed = requestSchemas[name].safeParse(input)
  if (!parsed.success) {
    const issues = issuesOf(parsed.error)
    return {
      ok: false,
      error: new LabError(
        'invalid',
        `Invalid ${name} request: ${describe(issues)}`,
        issues
      ).toData()
    }
  }
  try {
    const handler = handlers[name] as (args: unknown) => unknown
    return { ok: true, data: await handler(parsed.data) }
  } catch (err) {
    return { ok: false, error: toErrorData(err) }
  }
}
