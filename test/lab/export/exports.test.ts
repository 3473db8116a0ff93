import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Papa from 'papaparse'
import { afterEach, describe, expect, it } from 'vitest'
import { dispatch, prepareDownload } from '../../../src/lab/dispatch'
import { exportText } from '../../../src/lab/export/stream'
import type { Lab } from '../../../src/lab/lab'
import type { Events } from '../../../src/shared/contract'
import type { RunDetail, RunSeries, RunSummary } from '../../../src/shared/dto'
import { applySets, resolvePreset } from '../../../src/sim'
import { memoryLab } from '../../helpers/lab'

async function call<T>(lab: Lab, channel: string, input?: unknown): Promise<T> {
  const reply = await dispatch(lab.handlers, channel, input)
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`)
  return reply.data as T
}

/** A download channel's file, written out whole. */
async function download(
  lab: Lab,
  channel: string,
  input: unknown
): Promise<{ fileName: string; text: string }> {
  const reply = prepareDownload(lab.downloads, channel, input)
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`)
  return { fileName: reply.data.fileName, text: await exportText(reply.data) }
}

async function refused(lab: Lab, channel: string, input: unknown) {
  const reply = channel.startsWith('export:')
    ? prepareDownload(lab.downloads, channel, input)
    : await dispatch(lab.handlers, channel, input)
  if (reply.ok) throw new Error(`${channel} accepted what it should refuse`)
  return reply.error
}

function finished(lab: Lab, runIds: number[]): Promise<void> {
  const pending = new Set(runIds)
  return new Promise((resolve) => {
    const off = lab.ctx.events.subscribe((name, payload) => {
      const p = payload as Events['run:progress']
      if (name === 'run:progress' && p.status === 'done') pending.delete(p.runId)
      if (!pending.size) {
        off()
        resolve()
      }
    })
  })
}

const NOTES = 'kswapd, then "direct" reclaim;\nsecond line, with a comma'
const REAL_VMSTAT = readFileSync(
  join(__dirname, '..', '..', 'fixtures', 'observed', 'vmstat-snapshots.log'),
  'utf8'
)

async function labWithRuns(
  durationS = 2
): Promise<{ lab: Lab; experimentId: number; runIds: number[] }> {
  const lab = memoryLab()
  const { id } = await call<{ id: number }>(lab, 'experiment:create', {
    title: 'Exports, "quoted", with commas'
  })
  const scenario = applySets(resolvePreset('single-cpu'), [`duration_s=${durationS}`])
  await call(lab, 'experiment:setScenario', { id, preset: 'single-cpu', scenario })
  const { runIds } = await call<{ runIds: number[] }>(lab, 'run:start', {
    experimentId: id,
    variants: ['baseline', 'v1'],
    seeds: '1-2'
  })
  await finished(lab, runIds)
  await call(lab, 'run:setNotes', { id: runIds[0], notes: NOTES })
  return { lab, experimentId: id, runIds }
}

describe('exports and imports through the contract', () => {
  let lab: Lab | undefined
  afterEach(async () => {
    await lab?.close()
    lab = undefined
  })

  it('writes run summaries, tidy series and histograms as CSV that parses back', async () => {
    const made = await labWithRuns()
    lab = made.lab
    const { experimentId, runIds } = made
    const details = await call<RunDetail[]>(lab, 'run:details', { experimentId })

    const runs = await download(lab, 'export:runsCsv', { experimentId })
    expect(runs.fileName).toBe('exports-quoted-with-commas-runs.csv')
    const rows = Papa.parse<Record<string, string>>(runs.text, {
      header: true,
      skipEmptyLines: true
    })
    expect(rows.errors).toEqual([])
    expect(rows.data.map((r) => [r.run_id, r.variant, r.seed])).toEqual(
      details.map((d) => [String(d.id), d.variant, String(d.seed)])
    )
    expect(rows.data[0].notes).toBe(NOTES)
    expect(rows.data[0].experiment).toBe('Exports, "quoted", with commas')
    const derived = details[2].result!.derived as Record<string, number>
    expect(Number(rows.data[2].allocstall)).toBe(derived.allocstall)
    expect(Number(rows.data[2].pgsteal_anon_per_s)).toBe(derived.pgsteal_anon_per_s)

    const series = await download(lab, 'export:seriesCsv', {
      experimentId,
      runIds: [runIds[1]],
      names: ['nr_free_pages', 'pgsteal_kswapd']
    })
    const long = Papa.parse<Record<string, string>>(series.text, {
      header: true,
      skipEmptyLines: true
    })
    expect(long.meta.fields).toEqual([
      'experiment',
      'run_id',
      'variant',
      'seed',
      't_s',
      'metric',
      'value'
    ])
    const stored = await call<RunSeries>(lab, 'run:series', { id: runIds[1] })
    expect(long.data.length).toBe(stored.t_s.length * 2)
    const free = long.data.filter((r) => r.metric === 'nr_free_pages')
    expect(free.map((r) => Number(r.value))).toEqual(stored.series.nr_free_pages)
    expect(free.map((r) => Number(r.t_s))).toEqual(stored.t_s)

    const hist = await download(lab, 'export:histogramsCsv', { experimentId })
    const h = Papa.parse<Record<string, string>>(hist.text, { header: true, skipEmptyLines: true })
    const first = h.data.find(
      (r) => r.run_id === String(runIds[0]) && r.histogram === 'alloc_slowpath_latency'
    )!
    const stats = (details[0].result!.histograms as Record<string, Record<string, number>>)
      .alloc_slowpath_latency
    expect(Number(first.p99_us)).toBe(stats.p99_us)
    expect(Number(first.count)).toBe(stats.count)
  })

  it('exports run summaries after the compare view warm-up, recomputed from the series', async () => {
    // The eater starts reclaim after about 12 s: cut the first 12 s of a 14 s run.
    const made = await labWithRuns(14)
    lab = made.lab
    const { experimentId, runIds } = made
    const csvRows = async (warmupS?: number) =>
      Papa.parse<Record<string, string>>(
        (await download(lab!, 'export:runsCsv', { experimentId, warmupS })).text,
        { header: true, skipEmptyLines: true }
      ).data
    const whole = await csvRows()
    const cut = await csvRows(12)
    expect(whole.map((r) => r.warmup_s)).toEqual(['0', '0', '0', '0'])
    expect(cut.map((r) => r.warmup_s)).toEqual(['12', '12', '12', '12'])
    expect(cut.map((r) => r.run_id)).toEqual(runIds.map(String))

    for (const [i, runId] of runIds.entries()) {
      // pgscan over the last 2 s, from the counters at the first sample at or after 12 s.
      const { t_s, series } = await call<RunSeries>(lab, 'run:series', { id: runId })
      const first = t_s.findIndex((t) => t >= 12)
      const last = t_s.length - 1
      const scanned =
        series.pgscan_kswapd[last] -
        series.pgscan_kswapd[first] +
        series.pgscan_direct[last] -
        series.pgscan_direct[first]
      const expected = Math.round((scanned / (t_s[last] - t_s[first])) * 100) / 100
      expect(Number(cut[i].pgscan_per_s)).toBeCloseTo(expected, 2)
      expect(Number(cut[i].pgscan_per_s)).not.toBe(Number(whole[i].pgscan_per_s))
      // Latency percentiles cannot be cut from the series: left out, as the table leaves them.
      expect(Number(whole[i].alloc_slowpath_p99_us)).toBeGreaterThan(0)
      expect(cut[i]).not.toHaveProperty('alloc_slowpath_p99_us')
    }
    const error = await refused(lab, 'export:runsCsv', { experimentId, warmupS: -1 })
    expect(error.message).toMatch(/warmupS/)
  })

  it('carries an experiment to a second notebook as a bundle, and shares its scenario by code', async () => {
    const made = await labWithRuns()
    lab = made.lab
    const bundle = await download(lab, 'bundle:export', { id: made.experimentId })
    expect(bundle.fileName).toBe('exports-quoted-with-commas.reclaimlab.json')
    const { code } = await call<{ code: string }>(lab, 'share:encode', { id: made.experimentId })

    const other = memoryLab()
    try {
      const imported = await call<{ experiment: { id: number; title: string }; runs: number }>(
        other,
        'bundle:import',
        { text: bundle.text }
      )
      expect(imported.runs).toBe(4)
      const runs = await call<RunDetail[]>(other, 'run:details', {
        experimentId: imported.experiment.id
      })
      const original = await call<RunDetail[]>(lab, 'run:details', {
        experimentId: made.experimentId
      })
      expect(runs.map((r) => r.result)).toEqual(original.map((r) => r.result))
      expect(runs[0].notes).toBe(NOTES)

      const shared = await call<{ scenario: unknown; preset: string }>(other, 'share:import', {
        code
      })
      const source = await call<{ scenario: unknown }>(lab, 'experiment:get', {
        id: made.experimentId
      })
      expect(shared.scenario).toEqual(source.scenario)
      expect(shared.preset).toBe('single-cpu')

      const tampered = bundle.text.replace('"Exports, \\"quoted\\", with commas"', '"Edited"')
      expect(tampered).not.toBe(bundle.text)
      const before = await call<unknown[]>(other, 'experiment:list')
      const error = await refused(other, 'bundle:import', { text: tampered })
      expect(error.message).toContain('modified after export')
      expect(await call<unknown[]>(other, 'experiment:list')).toEqual(before)
    } finally {
      await other.close()
    }
  })

  it('imports a real /proc/vmstat capture as an observed run and refuses a malformed one whole', async () => {
    lab = memoryLab()
    const { id } = await call<{ id: number }>(lab, 'experiment:create', { title: 'observed' })
    const error = await refused(lab, 'observed:import', {
      experimentId: id,
      label: 'broken',
      text: REAL_VMSTAT.replace(/^pgfault \d+$/m, 'pgfault twelve')
    })
    const line = REAL_VMSTAT.split('\n').findIndex((l) => l.startsWith('pgfault ')) + 1
    expect(error.issues?.[0]).toEqual(expect.objectContaining({ path: `line ${line}` }))
    expect(await call<RunSummary[]>(lab, 'run:list', { experimentId: id })).toEqual([])

    const run = await call<RunSummary>(lab, 'observed:import', {
      experimentId: id,
      label: 'this VM, idle',
      text: REAL_VMSTAT,
      fileName: 'vmstat-snapshots.log'
    })
    expect(run).toMatchObject({ source: 'observed', label: 'this VM, idle', status: 'done' })
    expect(run.metrics?.kswapd_cpu_pct).toBeNull()
    // pgfault moved by the difference between the last and first snapshot of the capture.
    const faults = [...REAL_VMSTAT.matchAll(/^pgfault (\d+)$/gm)].map((m) => Number(m[1]))
    const detail = await call<RunDetail>(lab, 'run:get', { id: run.id })
    expect((detail.result!.vmstat as Record<string, number>).pgfault).toBe(
      faults.at(-1)! - faults[0]
    )
    const series = await call<RunSeries>(lab, 'run:series', { id: run.id, names: ['pgfault'] })
    expect(Object.keys(series.series)).toEqual(['pgfault'])
    expect(series.t_s.length).toBe(faults.length - 1)
  })
})
