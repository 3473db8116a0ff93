import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import type { Handlers, Reply } from '../../shared/contract'
import type { LabErrorCode } from '../../shared/errors'
import { dispatch, prepareDownload } from '../dispatch'
import type { EventBus } from '../events'
import { writeExport, type DownloadHandlers, type ExportStream } from '../export/stream'
import { SECURITY_HEADERS } from './csp'
import { bearerToken, hostAllowed, originAllowed, tokenMatches } from './guards'
import { openEventStream } from './sse'
import { serveStatic } from './static'

export interface ServeOptions {
  handlers: Handlers
  downloads: DownloadHandlers
  events: EventBus
  /** Folder with the built renderer (index.html and assets). */
  staticDir: string
  /** 0 picks a free port. */
  port?: number
  /** Fixed token for tests; a random one per launch otherwise. */
  token?: string
}

export interface RunningServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

/**
 * Serve mode's one limit on what a request may send: room for the largest import the schemas allow
 * (a 200 MB bundle) with the JSON quoting around it.
 */
export const MAX_BODY_BYTES = 256 * 1024 * 1024
const LIMIT_TEXT = `${MAX_BODY_BYTES / 1024 / 1024} MiB`

const STATUS: Record<LabErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  not_found: 404,
  unknown_channel: 404,
  conflict: 409,
  storage: 500,
  internal: 500
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store'
  })
  res.end(JSON.stringify(body))
}

function refuse(
  res: ServerResponse,
  code: LabErrorCode,
  message: string,
  status = STATUS[code]
): void {
  sendJson(res, status, { ok: false, error: { code, message } } satisfies Reply<never>)
}

class TooLarge extends Error {}

/** The JSON body, read as it arrives and refused as soon as it passes the limit. */
async function readBody(req: IncomingMessage): Promise<unknown> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) throw new TooLarge()
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new TooLarge()
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  return text ? (JSON.parse(text) as unknown) : undefined
}

function refuseBody(res: ServerResponse, err: unknown): void {
  if (err instanceof TooLarge) {
    // The rest of the body is not read: the connection is closed once the answer is out.
    res.shouldKeepAlive = false
    return refuse(
      res,
      'invalid',
      `The request body is larger than serve mode's limit of ${LIMIT_TEXT}`,
      413
    )
  }
  refuse(res, 'invalid', `Request body is not valid JSON: ${(err as Error).message}`)
}

/** Streams an export as the response body, at the pace the client reads it. */
async function sendDownload(res: ServerResponse, file: ExportStream): Promise<void> {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': `${file.mimeType}; charset=utf-8`,
    'Content-Disposition': `attachment; filename="${file.fileName}"`,
    'Cache-Control': 'no-store'
  })
  try {
    await writeExport(file, res)
  } catch (err) {
    // A client that went away ends the export; anything else is the server's to report.
    if ((err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') console.error(err)
  }
}

/**
 * Serve mode: the notebook over HTTP on 127.0.0.1 only. Every API call needs the per-launch token;
 * requests naming a foreign Host or Origin are refused, and no CORS header is ever sent.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  const staticDir = resolve(options.staticDir)
  let port = 0

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      // The details go to the server's output, not to whoever sent the request.
      console.error(err)
      if (!res.headersSent) refuse(res, 'internal', 'The notebook could not answer this request')
      else res.end()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req, port)) return refuse(res, 'unauthorized', 'Host not allowed', 421)
    if (!originAllowed(req, port))
      return refuse(res, 'unauthorized', 'Cross-origin requests are not served', 403)
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)

    if (url.pathname === '/api/events') {
      if (!tokenMatches(token, url.searchParams.get('token')))
        return refuse(res, 'unauthorized', 'Missing or wrong token')
      return openEventStream(req, res, options.events)
    }
    if (url.pathname.startsWith('/api/')) {
      if (!tokenMatches(token, bearerToken(req)))
        return refuse(res, 'unauthorized', 'Missing or wrong token')
      const match = /^\/api\/(invoke|download)\/([a-zA-Z]+:[a-zA-Z]+)$/.exec(url.pathname)
      if (req.method !== 'POST' || !match)
        return refuse(res, 'unknown_channel', `No such endpoint: ${req.method} ${url.pathname}`)
      let input: unknown
      try {
        input = await readBody(req)
      } catch (err) {
        return refuseBody(res, err)
      }
      const [, kind, channel] = match
      if (kind === 'download') {
        const file = prepareDownload(options.downloads, channel, input)
        if (!file.ok) return sendJson(res, STATUS[file.error.code], file)
        return sendDownload(res, file.data)
      }
      const reply = await dispatch(options.handlers, channel, input)
      return sendJson(res, reply.ok ? 200 : STATUS[reply.error.code], reply)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 'unknown_channel', 'Method not allowed', 405)
    let path: string
    try {
      path = decodeURIComponent(url.pathname)
    } catch {
      return refuse(res, 'invalid', `The URL path ${url.pathname} is not valid percent-encoding`)
    }
    serveStatic(staticDir, path, res)
  }

  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(options.port ?? 0, '127.0.0.1', () => done())
  })
  port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      })
  }
}
