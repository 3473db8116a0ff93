import type { RunResult } from '../../shared/result'
import { decodeSeries, encodeSeries, type SeriesColumns } from '../store/series-codec'

/** The BullMQ queue runs go through unless `--queue` names another (one per team or project). */
export const DEFAULT_QUEUE = 'reclaim-lab-runs'

/** Redis pub/sub channel on which a notebook tells every worker to stop a running job. */
export const cancelChannel = (queue: string): string => `${queue}:cancel`

/** What a worker needs to run one run; everything that decides the result is in here. */
export interface RunJobData {
  runId: number
  scenario: unknown
  variant: string
  seed: number
  simulatorVersion: string
  configHash: string
}

/** A finished run as it comes back: the series deflated (series-codec) and base64-encoded. */
export interface RunJobResult {
  result: RunResult
  series: string
  wallMs: number
  worker: string
}

/** Job progress as a worker reports it (BullMQ carries any JSON). */
export interface RunJobProgress {
  fraction: number
  simS: number
}

export function packResult(
  result: RunResult,
  series: SeriesColumns,
  wallMs: number,
  worker: string
): RunJobResult {
  return { result, series: encodeSeries(series).toString('base64'), wallMs, worker }
}

export function unpackSeries(packed: RunJobResult): SeriesColumns {
  return decodeSeries(Buffer.from(packed.series, 'base64'))
}

/**
 * ioredis options for a `redis://` or `rediss://` URL (user, password and database included).
 * BullMQ needs maxRetriesPerRequest null on connections that block.
 */
export function connectionFor(url: string): { url: string; maxRetriesPerRequest: null } {
  checkRedisUrl(url)
  return { url, maxRetriesPerRequest: null }
}

/** Throws a message naming the URL (without its password) unless it is redis:// or rediss://. */
export function checkRedisUrl(url: string): void {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`${redactUrl(url)} is not a URL: expected redis://[user:password@]host:port`)
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new Error(
      `${redactUrl(url)}: expected a redis:// or rediss:// (TLS) URL, got ${parsed.protocol}`
    )
  if (!parsed.hostname) throw new Error(`${redactUrl(url)}: the URL names no host`)
}

/** The URL with any password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:@/]*:)[^@/]*@/i, '$1***@')
}
