import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_BODY_BYTES, startServer, type RunningServer } from '../../../src/lab/serve/server'
import { channelNames } from '../../../src/shared/contract'
import { memoryLab } from '../../helpers/lab'
import { useTempDir } from '../../helpers/tmp'

const REAL_VMSTAT = readFileSync(
  join(__dirname, '..', '..', 'fixtures', 'observed', 'vmstat-snapshots.log'),
  'utf8'
)

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function send(
  port: number,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string }
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      }
    )
    req.on('error', reject)
    req.end(init.body)
  })
}

describe('serve mode', () => {
  const tempDir = useTempDir()
  let server: RunningServer
  let lab: ReturnType<typeof memoryLab>

  beforeEach(async () => {
    const staticDir = join(tempDir(), 'web')
    mkdirSync(staticDir)
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Reclaim Lab</title>')
    lab = memoryLab()
    server = await startServer({
      handlers: lab.handlers,
      downloads: lab.downloads,
      events: lab.ctx.events,
      staticDir,
      port: 0
    })
  })
  afterEach(() => server.close())

  const invoke = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
    send(server.port, `/api/invoke/${channel}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${server.token}`,
        'Content-Type': 'application/json',
        ...headers
      },
      body: JSON.stringify(body)
    })

  it('listens on 127.0.0.1 with a long random token in the URL', () => {
    expect(server.url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`)
    )
  })

  it('answers a request with the token', async () => {
    const answer = await invoke('experiment:create', { title: 'over http' })
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body)).toMatchObject({ ok: true, data: { id: 1, title: 'over http' } })
    expect(answer.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('refuses requests without the token or with a wrong one', async () => {
    const none = await send(server.port, '/api/invoke/experiment:list', {
      method: 'POST',
      body: '{}'
    })
    expect(none.status).toBe(401)
    expect(JSON.parse(none.body).error.code).toBe('unauthorized')
    const wrong = await invoke(
      'experiment:list',
      {},
      { Authorization: `Bearer ${server.token.slice(1)}x` }
    )
    expect(wrong.status).toBe(401)
    const events = await send(server.port, '/api/events?token=nope', {})
    expect(events.status).toBe(401)
    expect(lab.ctx.db.prepare('SELECT count(*) FROM experiments').pluck().get()).toBe(0)
  })

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const answer = await invoke(
      'experiment:create',
      { title: 'x' },
      { Host: `evil.example:${server.port}` }
    )
    expect(answer.status).toBe(421)
    const page = await send(server.port, '/', { headers: { Host: 'attacker.test' } })
    expect(page.status).toBe(421)
    expect(lab.ctx.db.prepare('SELECT count(*) FROM experiments').pluck().get()).toBe(0)
  })

  it('refuses cross-origin requests and never sends CORS headers', async () => {
    const answer = await invoke('experiment:list', {}, { Origin: 'http://evil.example' })
    expect(answer.status).toBe(403)
    const preflight = await send(server.port, '/api/invoke/experiment:list', {
      method: 'OPTIONS',
      headers: { Origin: 'http://evil.example', 'Access-Control-Request-Method': 'POST' }
    })
    expect(preflight.status).toBe(403)
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined()
    const same = await invoke(
      'experiment:list',
      {},
      { Origin: `http://localhost:${server.port}`, Host: `localhost:${server.port}` }
    )
    expect(same.status).toBe(200)
  })

  it('returns validation errors with their field and status 400', async () => {
    const answer = await invoke('experiment:create', { title: '' })
    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body).error.issues).toEqual([
      { path: 'title', message: 'must not be empty' }
    ])
  })

  it('serves every contract channel (none answers unknown_channel)', async () => {
    for (const channel of channelNames) {
      const answer = await invoke(channel, {})
      expect(JSON.parse(answer.body).error?.code, channel).not.toBe('unknown_channel')
    }
    expect((await invoke('experiment:nope', {})).status).toBe(404)
  })

  it('serves the UI with a strict CSP and refuses paths outside it', async () => {
    const page = await send(server.port, '/', {})
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toContain("default-src 'self'")
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    expect((await send(server.port, '/../package.json', {})).status).toBe(404)
    expect((await send(server.port, '/%2e%2e/%2e%2e/etc/passwd', {})).status).toBe(404)
  })

  it('streams contract events over SSE', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.port, path: `/api/events?token=${server.token}` },
        (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => {
            text += chunk
            if (text.includes('event: experiment:changed')) {
              req.destroy()
              resolve(text)
            }
          })
          void invoke('experiment:create', { title: 'evented' })
        }
      )
      req.on('error', reject)
      req.end()
    })
    expect(received).toContain('event: experiment:changed\ndata: {"id":1,"kind":"created"}')
  })
})

describe('serve mode at its edges', () => {
  const tempDir = useTempDir()
  let server: RunningServer
  let lab: ReturnType<typeof memoryLab>

  beforeEach(async () => {
    const staticDir = join(tempDir(), 'web')
    mkdirSync(staticDir)
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Reclaim Lab</title>')
    lab = memoryLab()
    server = await startServer({
      handlers: lab.handlers,
      downloads: lab.downloads,
      events: lab.ctx.events,
      staticDir,
      port: 0
    })
  })
  afterEach(async () => {
    await server.close()
    await lab.close()
  })

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    send(server.port, path, {
      method: 'POST',
      headers: { Authorization: `Bearer ${server.token}`, ...headers },
      body
    })

  it('answers a malformed URL with 400 naming the path, not 500 with internal text', async () => {
    const answer = await send(server.port, '/%ZZ', {})
    expect(answer.status).toBe(400)
    expect(JSON.parse(answer.body).error).toEqual({
      code: 'invalid',
      message: 'The URL path /%ZZ is not valid percent-encoding'
    })
  })

  it('refuses a title holding NUL with 400 naming the field', async () => {
    for (const title of ['\u0000', 'kswapd\u0000v2']) {
      const answer = await post('/api/invoke/experiment:create', JSON.stringify({ title }))
      expect(answer.status, JSON.stringify(title)).toBe(400)
      expect(JSON.parse(answer.body).error.issues).toEqual([
        { path: 'title', message: 'must not hold control characters (such as NUL)' }
      ])
    }
    expect(lab.ctx.db.prepare('SELECT count(*) FROM experiments').pluck().get()).toBe(0)
  })

  it('imports a 9.4 MB /proc/vmstat capture sent as JSON', async () => {
    const { id } = lab.ctx.experiments.create({
      title: 'big capture',
      hypothesis: '',
      notes: '',
      tags: [],
      preset: null,
      scenario: null
    })
    const snapshot = REAL_VMSTAT.split(/^\d+\.\d+$/m)[1].trim()
    const snapshots = Array.from({ length: 2400 }, (_, i) => `${1000 + i}.5\n${snapshot}\n`)
    const text = snapshots.join('')
    expect(text.length).toBeGreaterThan(9_000_000)
    const body = JSON.stringify({ experimentId: id, label: 'long capture', text })
    const answer = await post('/api/invoke/observed:import', body)
    expect(answer.status, answer.body.slice(0, 300)).toBe(200)
    expect(JSON.parse(answer.body).data).toMatchObject({ source: 'observed', status: 'done' })
  })

  it('refuses a body over the one stated limit with 413 naming it, before reading it', async () => {
    const answer = await new Promise<Answer>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/invoke/bundle:import',
          method: 'POST',
          headers: {
            Authorization: `Bearer ${server.token}`,
            'Content-Length': String(MAX_BODY_BYTES + 1)
          }
        },
        (res) => {
          let body = ''
          res.setEncoding('utf8')
          res.on('data', (c: string) => (body += c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
        }
      )
      req.on('error', reject)
      req.write('{"text":"')
    })
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body).error.message).toBe(
      "The request body is larger than serve mode's limit of 256 MiB"
    )
  })
})
