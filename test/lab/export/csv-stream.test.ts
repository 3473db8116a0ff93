import { describe, expect, it } from 'vitest'
import { histogramsCsv, runSummariesCsv, seriesCsv } from '../../../src/lab/export/csv'
import type { SeriesColumns } from '../../../src/lab/store/series-codec'
import type { RunDetail } from '../../../src/shared/dto'

const TITLE = 'Exports, "quoted", with commas'
const RUNS = [
  {
    id: 3,
    source: 'simulated',
    label: '',
    variant: 'v2',
    seed: 4,
    sweepPoint: { 'kernel.vm.swappiness': 100 },
    status: 'done',
    simulatorVersion: '0.4.1',
    configHash: 'abc',
    wallMs: 12,
    notes: 'kswapd, then "direct";\nsecond line',
    result: {
      duration_s: 2,
      derived: { allocstall: 5, pgsteal_anon_per_s: 1.5 },
      vmstat: { allocstall: 5, pgfault: 9 },
      psi: { some: { avg10: 0.5, total_us: 10 } },
      warnings: ['w1', 'w, 2'],
      histograms: { alloc: { count: 3, p99_us: 7.5 } }
    }
  },
  {
    id: 7,
    source: 'observed',
    label: 'pixel, idle',
    variant: 'observed',
    seed: 0,
    sweepPoint: {},
    status: 'done',
    simulatorVersion: '',
    configHash: 'def',
    wallMs: null,
    notes: '',
    result: { derived: { allocstall: 1 }, vmstat: { pgfault: 2 }, histograms: {} }
  }
] as unknown as RunDetail[]
const SERIES: SeriesColumns = {
  t_s: [0, 0.5, 1],
  series: { nr_free_pages: [10, 9.5, 8], pgsteal: [0, 1, 2] }
}

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = []
  for await (const chunk of chunks) all.push(chunk)
  return all
}
const text = async (chunks: AsyncIterable<string>) => (await collect(chunks)).join('')

// What the exports wrote when they were built whole: streaming must not change a byte.
const Q = '"Exports, ""quoted"", with commas"'
const header = 'experiment,run_id,variant,seed,t_s,metric,value\n'

describe('CSV exports produced in chunks', () => {
  it('writes run summaries byte for byte as before', async () => {
    expect(await text(runSummariesCsv(TITLE, RUNS))).toBe(
      'experiment,run_id,source,variant,label,seed,sweep.kernel.vm.swappiness,status,simulator_version,' +
        'config_hash,duration_s,warmup_s,wall_ms,allocstall,pgsteal_anon_per_s,pgfault,psi_some_avg10,' +
        'psi_full_avg10,psi_some_total_us,psi_full_total_us,warnings,notes\n' +
        `${Q},3,simulated,v2,,4,100,done,0.4.1,abc,2,0,12,5,1.5,9,0.5,,10,,"w1\nw, 2","kswapd, then ""direct"";\nsecond line"\n` +
        `${Q},7,observed,observed,"pixel, idle",,,done,,def,,0,,1,,2,,,,,,\n`
    )
  })

  it('writes series and histograms byte for byte as before, a table without rows included', async () => {
    const rows = (prefix: string, names: string[]) =>
      SERIES.t_s
        .flatMap((t, i) => names.map((n) => `${prefix},${t},${n},${SERIES.series[n][i]}\n`))
        .join('')
    const picked = await text(
      seriesCsv(TITLE, RUNS, () => SERIES, ['pgsteal', 'missing', 'nr_free_pages'])
    )
    expect(picked).toBe(
      header +
        rows(`${Q},3,v2,4`, ['pgsteal', 'nr_free_pages']) +
        rows(`${Q},7,"pixel, idle",`, ['pgsteal', 'nr_free_pages'])
    )
    expect(picked).toContain(`${Q},3,v2,4,0.5,nr_free_pages,9.5\n`)
    expect(await text(seriesCsv(TITLE, [], () => SERIES))).toBe(`${header}\n`)
    expect(await text(histogramsCsv(TITLE, RUNS))).toBe(
      'experiment,run_id,variant,seed,histogram,count,mean_us,p50_us,p90_us,p99_us,p999_us,max_us\n' +
        `${Q},3,v2,4,alloc,3,,,,7.5,,\n`
    )
  })

  it('reads one run at a time and cuts a run into chunks of about 2000 rows', async () => {
    const t_s = Array.from({ length: 100 }, (_, i) => i)
    const big: SeriesColumns = {
      t_s,
      series: Object.fromEntries(Array.from({ length: 60 }, (_, m) => [`m${m}`, t_s]))
    }
    const loaded: number[] = []
    const chunks = seriesCsv(TITLE, RUNS, (id) => (loaded.push(id), big))
    expect((await chunks.next()).value).toBe(header)
    await chunks.next()
    expect(loaded).toEqual([3])
    const rest = await collect(chunks)
    expect(loaded).toEqual([3, 7])
    // 100 samples × 60 series per run: 33 samples (1980 rows) per chunk, 4 chunks per run.
    expect(rest.length + 1).toBe(8)
    expect(rest[0].split('\n').length - 1).toBe(1980)
  })
})
