import { Readable, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { DownloadArgs, DownloadChannel } from '../../shared/contract'

/**
 * A file the notebook offers for download, produced chunk by chunk when it is written: the main
 * process streams it to the file the user chose (desktop) or to the HTTP response (serve mode).
 */
export interface ExportStream {
  fileName: string
  mimeType: string
  chunks(): AsyncIterable<string>
}

/**
 * Each download channel's handler: checks what it can up front (the experiment exists) and returns
 * the file, whose chunks are only produced as it is written.
 */
export type DownloadHandlers = {
  [C in DownloadChannel]: (args: DownloadArgs<C>) => ExportStream
}

/**
 * Writes the export to `to`, waiting whenever `to` is full (a slow client, a slow disk), so at most
 * a chunk or two is ever held in memory; `to` is closed at the end and destroyed on failure.
 */
export function writeExport(file: ExportStream, to: Writable): Promise<void> {
  return pipeline(Readable.from(file.chunks(), { objectMode: false }), to)
}

/** The whole export as one string: for tests and small exports only. */
export async function exportText(file: ExportStream): Promise<string> {
  let text = ''
  for await (const chunk of file.chunks()) text += chunk
  return text
}
