import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  channelNames,
  downloadChannelNames,
  downloadSchemas,
  requestSchemas,
  type Channel
} from '../../src/shared/contract'
import { applySets, presets, resolvePreset } from '../../src/sim'
import { FUZZ_TOKEN } from '../helpers/fuzz-server'
import { arbitraryFor, edgeNumbers, edgeStrings } from '../helpers/zod-arbitrary'

/** Fixed unless FUZZ_SEED is set, so a CI failure replays here. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261204)
const RUNS = Number(process.env.FUZZ_RUNS ?? 100)
const CALL_TIMEOUT_MS = 10_000

interface Answer {
  status: number
  body: string
}

function send(port: number, path: string, body?: string, method = 'POST'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        headers: { Authorization: `Bearer ${FUZZ_TOKEN}`, 'Content-Type': 'application/json' },
        timeout: CALL_TIMEOUT_MS
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
      }
    )
    req.on('timeout', () => req.destroy(new Error(`no answer to ${path} in ${CALL_TIMEOUT_MS} ms`)))
    req.on('error', reject)
    req.end(body)
  })
}

/** A preset scenario with one leaf replaced by an edge value, or left whole. */
function scenarioArbitrary(): fc.Arbitrary<unknown> {
  const bases = presets.map((p) => applySets(resolvePreset(p.name), ['duration_s=1']))
  const leaves = (o: unknown, prefix: string[] = []): string[] =>
    o && typeof o === 'object' && !Array.isArray(o)
      ? Object.entries(o).flatMap(([k, v]) => leaves(v, [...prefix, k]))
      : [prefix.join('.')]
  const paths = [...new Set(bases.flatMap((b) => leaves(b)))]
  const value = fc.oneof(edgeNumbers, edgeStrings, fc.boolean(), fc.constant(null))
  return fc.oneof(
    fc.constantFrom(...bases),
    fc.tuple(fc.constantFrom(...bases), fc.constantFrom(...paths), value).map(([base, path, v]) => {
      const copy = structuredClone(base) as Record<string, unknown>
      const keys = path.split('.')
      let node = copy
      for (const k of keys.slice(0, -1)) {
        if (!node[k] || typeof node[k] !== 'object') node[k] = {}
        node = node[k] as Record<string, unknown>
      }
      node[keys.at(-1)!] = v
      return copy
    })
  )
}

/** Statuses a request may get: anything but a 5xx or no answer. */
const CLEAN = [200, 400, 404, 409, 413]

describe('fuzz: every contract channel over serve mode', () => {
  let dir: string
  let child: ChildProcess
  let port: number
  const stderr: string[] = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'reclaim-lab-fuzz-'))
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, '..', 'helpers', 'fuzz-server.ts'),
        join(dir, 'lab.sqlite'),
        dir
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    )
    child.stderr!.on('data', (c: Buffer) => stderr.push(c.toString()))
    port = await new Promise<number>((resolve, reject) => {
      child.stdout!.once('data', (c: Buffer) =>
        resolve((JSON.parse(c.toString()) as { port: number }).port)
      )
      child.once('exit', (code) =>
        reject(new Error(`fuzz server exited (${code}): ${stderr.join('')}`))
      )
    })
    // Something to aim at: an experiment with a scenario (id 1) and a finished run.
    await send(port, '/api/invoke/experiment:create', JSON.stringify({ title: 'target' }))
    await send(
      port,
      '/api/invoke/experiment:setScenario',
      JSON.stringify({
        id: 1,
        preset: 'single-cpu',
        scenario: applySets(resolvePreset('single-cpu'), ['duration_s=1'])
      })
    )
  }, 30_000)

  afterAll(() => {
    child?.kill('SIGKILL')
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it.each(channelNames.map((c) => [c]))(
    '%s answers every shaped or malformed request without a 5xx or a hang',
    async (channel: Channel) => {
      const input = arbitraryFor(requestSchemas[channel], scenarioArbitrary())
      await fc.assert(
        fc.asyncProperty(input, async (value) => {
          const body = value === undefined ? undefined : JSON.stringify(value)
          const answer = await send(port, `/api/invoke/${channel}`, body)
          expect(CLEAN, `${answer.status} ${answer.body.slice(0, 300)}`).toContain(answer.status)
          expect(() => JSON.parse(answer.body) as unknown).not.toThrow()
        }),
        { seed: SEED, numRuns: RUNS }
      )
    },
    120_000
  )

  it.each(downloadChannelNames.map((c) => [c]))(
    '%s downloads or refuses every shaped or malformed request without a 5xx or a hang',
    async (channel) => {
      const input = arbitraryFor(downloadSchemas[channel], scenarioArbitrary())
      await fc.assert(
        fc.asyncProperty(input, async (value) => {
          const body = value === undefined ? undefined : JSON.stringify(value)
          const answer = await send(port, `/api/download/${channel}`, body)
          expect(CLEAN, `${answer.status} ${answer.body.slice(0, 300)}`).toContain(answer.status)
        }),
        { seed: SEED, numRuns: RUNS }
      )
    },
    120_000
  )

  it('answers malformed paths and bodies with a 4xx', async () => {
    const raw = fc.record({
      path: fc.oneof(
        fc.constantFrom(
          '/%ZZ',
          '/api/invoke/%ZZ',
          '/api/invoke/experiment:get%00',
          '/%00',
          '/api/%E0%A4%A'
        ),
        fc.string({ maxLength: 40 }).map((s) => `/api/invoke/${encodeURIComponent(s)}`)
      ),
      method: fc.constantFrom('GET', 'POST', 'HEAD', 'PUT'),
      body: fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.constantFrom('{', '[]', 'null', '"x"', '{"id":1e999}')
      )
    })
    await fc.assert(
      fc.asyncProperty(raw, async ({ path, method, body }) => {
        const answer = await send(
          port,
          path,
          method === 'GET' || method === 'HEAD' ? undefined : body,
          method
        )
        expect(answer.status).toBeGreaterThanOrEqual(400)
        expect(answer.status).toBeLessThan(500)
      }),
      { seed: SEED, numRuns: RUNS * 2 }
    )
  }, 60_000)

  it('is still alive and unpolluted afterwards', async () => {
    expect(child.exitCode).toBeNull()
    const catalog = await send(port, '/api/invoke/sim:catalog', undefined)
    expect(catalog.status).toBe(200)
    const info = JSON.parse((await send(port, '/api/invoke/app:info')).body) as { ok: boolean }
    expect(info.ok).toBe(true)
  })
})
