import { mkdirSync, writeFileSync } from 'node:fs'
import { request, type IncomingHttpHeaders } from 'node:http'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import Papa from 'papaparse'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openLab, type Lab } from '../../../src/lab/lab'
import { startServer, type RunningServer } from '../../../src/lab/serve/server'
import type { SeriesColumns } from '../../../src/lab/store/series-codec'
import { WORKER_ENTRY } from '../../helpers/lab'
import { MIGRATIONS_DIR, useTempDir } from '../../helpers/tmp'

const SAMPLES = 250
const METRICS = 60

/** A run's worth of series as the simulator stores them: counters and gauges over 250 samples. */
function syntheticSeries(seed: number): SeriesColumns {
  const t_s = Array.from({ length: SAMPLES }, (_, i) => i * 0.1)
  const series: Record<string, number[]> = {}
  for (let m = 0; m < METRICS; m++)
    series[`metric_${String(m).padStart(2, '0')}`] = t_s.map((_, i) => seed * 1000 + m * i)
  return { t_s, series }
}

/** Stores `count` finished runs with series straight through the run repository. */
function seedRuns(lab: Lab, count: number): number {
  const { id } = lab.ctx.experiments.create({
    title: `${count} runs`,
    hypothesis: '',
    notes: '',
    tags: [],
    preset: null,
    scenario: null
  })
  const plan = Array.from({ length: count }, (_, i) => ({
    variant: i % 2 ? 'v2' : 'baseline',
    seed: i + 1,
    sweepPoint: {},
    scenario: {},
    simulatorVersion: 'test',
    configHash: `hash-${i}`
  }))
  const { runIds } = lab.ctx.runs.createBatch(id, {}, plan)
  const metrics = {
    allocstall: 1,
    pgsteal_anon_per_s: 2,
    psi_some_avg10: 3,
    alloc_p99_us: 4,
    kswapd_cpu_pct: 5
  }
  runIds.forEach((runId, i) =>
    lab.ctx.runs.finish(runId, {
      wallMs: 10,
      metrics,
      result: { derived: { allocstall: i }, histograms: { alloc: { count: i, p99_us: 7 } } },
      series: syntheticSeries(i + 1)
    })
  )
  return id
}

interface Streamed {
  status: number
  headers: IncomingHttpHeaders
  bytes: number
  lines: number
  head: string
}

function post(
  server: RunningServer,
  path: string,
  body: unknown,
  headers: Record<string, string> = { Authorization: `Bearer ${server.token}` }
): Promise<Streamed> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: 'POST', headers },
      (res) => {
        const answer: Streamed = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          bytes: 0,
          lines: 0,
          head: ''
        }
        res.on('data', (chunk: Buffer) => {
          answer.bytes += chunk.length
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) answer.lines++
          if (answer.head.length < 4096) answer.head += chunk.toString('utf8', 0, 4096)
        })
        res.on('end', () => resolve(answer))
        res.on('error', reject)
      }
    )
    req.on('error', reject)
    req.end(JSON.stringify(body))
  })
}

describe('serve mode downloads', () => {
  const tempDir = useTempDir()
  let lab: Lab
  let server: RunningServer

  beforeEach(async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'web'))
    writeFileSync(join(dir, 'web', 'index.html'), '<!doctype html>')
    lab = openLab({
      databasePath: join(dir, 'notebook.sqlite'),
      migrationsDir: MIGRATIONS_DIR,
      workerEntry: WORKER_ENTRY,
      workers: 1
    })
    server = await startServer({
      handlers: lab.handlers,
      downloads: lab.downloads,
      events: lab.ctx.events,
      staticDir: join(dir, 'web')
    })
  })
  afterEach(async () => {
    await server.close()
    await lab.close()
  })

  it('streams a series CSV as an attachment, behind the same guards and validation', async () => {
    const experimentId = seedRuns(lab, 3)
    const answer = await post(server, '/api/download/export:seriesCsv', {
      experimentId,
      names: ['metric_01', 'metric_02']
    })
    expect(answer.status).toBe(200)
    expect(answer.headers['content-disposition']).toBe('attachment; filename="3-runs-series.csv"')
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(answer.headers['content-security-policy']).toContain("default-src 'self'")
    expect(answer.lines).toBe(1 + 3 * SAMPLES * 2)
    const rows = Papa.parse<string[]>(answer.head).data
    expect(rows[0]).toEqual(['experiment', 'run_id', 'variant', 'seed', 't_s', 'metric', 'value'])
    expect(rows[1]).toEqual(['3 runs', '1', 'baseline', '1', '0', 'metric_01', '1000'])

    const noToken = await post(server, '/api/download/export:seriesCsv', { experimentId }, {})
    expect(noToken.status).toBe(401)
    const foreignHost = await post(
      server,
      '/api/download/export:seriesCsv',
      { experimentId },
      { Authorization: `Bearer ${server.token}`, Host: `evil.example:${server.port}` }
    )
    expect(foreignHost.status).toBe(421)
    const invalid = await post(server, '/api/download/export:seriesCsv', { experimentId: -1 })
    expect(invalid.status).toBe(400)
    expect(invalid.head).toContain('"path":"experimentId"')
    const missing = await post(server, '/api/download/bundle:export', { id: 99 })
    expect(missing.status).toBe(404)
    const notADownload = await post(server, '/api/download/experiment:list', {})
    expect(notADownload.status).toBe(404)
    // Exports are downloads only: the JSON channel no longer holds a whole file in one answer.
    const asJson = await post(server, '/api/invoke/export:seriesCsv', { experimentId })
    expect(asJson.status).toBe(404)
  })

  it('keeps list calls fast and memory flat while a 300-run series export streams', async () => {
    const measure = async (count: number) => {
      const experimentId = seedRuns(lab, count)
      global.gc?.()
      const before = process.memoryUsage()
      const peak = { rss: before.rss, heapUsed: before.heapUsed }
      const sampler = setInterval(() => {
        const now = process.memoryUsage()
        peak.rss = Math.max(peak.rss, now.rss)
        peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed)
      }, 10)
      let exporting = true
      const started = performance.now()
      const exported = post(server, '/api/download/export:seriesCsv', { experimentId }).finally(
        () => (exporting = false)
      )
      const latencies: number[] = []
      while (exporting) {
        for (const [channel, input] of [
          ['experiment:list', {}],
          ['run:list', { experimentId }]
        ] as const) {
          const t0 = performance.now()
          const answer = await post(server, `/api/invoke/${channel}`, input)
          latencies.push(performance.now() - t0)
          expect(answer.status).toBe(200)
        }
      }
      const answer = await exported
      const seconds = (performance.now() - started) / 1000
      clearInterval(sampler)
      expect(answer.status).toBe(200)
      expect(answer.lines).toBe(1 + count * SAMPLES * METRICS)
      latencies.sort((a, b) => a - b)
      const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))]
      const mb = (n: number) => Math.round(n / 1024 / 1024)
      const figures = {
        runs: count,
        csvMB: mb(answer.bytes),
        seconds: Number(seconds.toFixed(1)),
        listCalls: latencies.length,
        p50ms: Number(latencies[Math.floor(latencies.length / 2)].toFixed(1)),
        p99ms: Number(p99.toFixed(1)),
        maxMs: Number(latencies.at(-1)!.toFixed(1)),
        rssGrowthMB: mb(peak.rss - before.rss),
        heapGrowthMB: mb(peak.heapUsed - before.heapUsed)
      }
      console.log(JSON.stringify(figures))
      return figures
    }
    const hundred = await measure(100)
    const threeHundred = await measure(300)
    expect(threeHundred.listCalls).toBeGreaterThan(20)
    expect(threeHundred.p99ms).toBeLessThan(250)
    // Flat: three times the runs (and the bytes) do not grow the heap with them.
    expect(threeHundred.csvMB).toBeGreaterThan(2.5 * hundred.csvMB)
    expect(threeHundred.heapGrowthMB).toBeLessThan(64)
    expect(threeHundred.heapGrowthMB).toBeLessThan(hundred.heapGrowthMB + 32)
  }, 180_000)
})
