import type { ZodType } from 'zod'
import {
  downloadSchemas,
  requestSchemas,
  type Channel,
  type DownloadChannel,
  type Handlers,
  type Reply
} from '../shared/contract'
import { LabError, toErrorData } from '../shared/errors'
import { issuesText, zodIssues } from '../shared/zod-issues'
import type { DownloadHandlers, ExportStream } from './export/stream'

type Checked = { ok: true; args: unknown } | Extract<Reply<never>, { ok: false }>

function check(schemas: Record<string, ZodType>, channel: string, input: unknown): Checked {
  if (!Object.prototype.hasOwnProperty.call(schemas, channel)) {
    return { ok: false, error: { code: 'unknown_channel', message: `No such channel: ${channel}` } }
  }
  const parsed = schemas[channel].safeParse(input)
  if (parsed.success) return { ok: true, args: parsed.data }
  const issues = zodIssues(parsed.error)
  return {
    ok: false,
    error: new LabError(
      'invalid',
      `Invalid ${channel} request: ${issuesText(issues)}`,
      issues
    ).toData()
  }
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
  const checked = check(requestSchemas, channel, input)
  if (!checked.ok) return checked
  try {
    const handler = handlers[channel as Channel] as (args: unknown) => unknown
    return { ok: true, data: await handler(checked.args) }
  } catch (err) {
    return { ok: false, error: toErrorData(err) }
  }
}

/**
 * The same for a download channel: validates and runs the handler, which refuses a missing
 * experiment now, before the transport starts writing; the file's chunks come as it is written.
 */
export function prepareDownload(
  downloads: DownloadHandlers,
  channel: string,
  input: unknown
): Reply<ExportStream> {
  const checked = check(downloadSchemas, channel, input)
  if (!checked.ok) return checked
  try {
    const handler = downloads[channel as DownloadChannel] as (args: unknown) => ExportStream
    return { ok: true, data: handler(checked.args) }
  } catch (err) {
    return { ok: false, error: toErrorData(err) }
  }
}
