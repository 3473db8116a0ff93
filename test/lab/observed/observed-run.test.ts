import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseObserved } from '../../../src/lab/observed'
import { buildCharts, rate } from '../../../src/renderer/src/charts/series'

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/observed/${name}`, import.meta.url), 'utf8')

// Captured on a 6.18 x86-64 VM at rest: `for i in $(seq 0 5); do date +%s.%N; cat /proc/vmstat;
// sleep 1; done`. The expected numbers come from awk over that file, e.g. the pgfault column:
//   awk '$1 == "pgfault" { print $2 }' vmstat-snapshots.log
// and sample times from the timestamp lines subtracted in decimal.
const log = fixture('vmstat-snapshots.log')
const csv = fixture('vmstat-snapshots.csv')
const pressure = fixture('pressure-memory.txt')

describe('a real /proc/vmstat capture', () => {
  const run = parseObserved({ text: log, fileName: 'vmstat-snapshots.log', pressure })

  it('spans the first to the last timestamp', () => {
    expect(run.snapshots).toBe(6)
    // 1795662580.863107986 − 1795662575.704905012
    expect(run.durationS).toBeCloseTo(5.158202974, 5)
    expect(run.result.duration_s).toBe(run.durationS)
    expect(run.result.observed).toBe(true)
  })

  it('takes differences of event counters and the last value of gauges', () => {
    const v = run.result.vmstat
    expect(v.pgfault).toBe(105550615 - 105484321)
    expect(v.pgfree).toBe(125508)
    expect(v.pgpgin).toBe(168)
    expect(v.workingset_refault_file).toBe(44)
    expect(v.nr_free_pages).toBe(1453620)
    // Cumulative although named nr_*: 2818924 − 2818870.
    expect(v.nr_dirtied).toBe(54)
    // A gauge although not named nr_*: it fell from 31061 to 31054 and came back.
    expect(v.workingset_nodes).toBe(31061)
    expect(Object.keys(v)).toHaveLength(192)
  })

  it('derives the simulator metrics that /proc/vmstat allows, over the capture', () => {
    const d = run.result.derived
    // (0 + 44) refaults / 5.158203 s
    expect(d.refaults_per_s).toBe(8.53)
    expect(d.pgscan_per_s).toBe(0)
    expect(d.allocstall).toBe(0)
    expect(d.oom_kills).toBe(0)
    expect(d.zero_pages_swapped_out).toBe(0)
    expect(d).not.toHaveProperty('kswapd_cpu_pct')
    expect(d).not.toHaveProperty('alloc_slowpath_p99_us')
    expect(d).not.toHaveProperty('lmkd_kills')
  })

  it('samples at each snapshot after the first, counters from zero, gauges as read', () => {
    const { t_s, series } = run.series
    const expected = [1.029145145, 2.06442307, 3.106135837, 4.126146377, 5.158202974]
    t_s.forEach((t, i) => expect(t).toBeCloseTo(expected[i], 5))
    expect(series.pgfault).toEqual([1823, 14247, 38152, 40010, 66294])
    expect(series.nr_free_pages).toEqual([1374192, 1373655, 1456685, 1459365, 1453620])
    expect(series.workingset_refault_file).toEqual([18, 24, 26, 42, 44])
    expect(Object.keys(series)).toContain('allocstall_device')
    expect(Object.keys(series)).not.toContain('numa_hit')
    expect(Object.keys(series)).not.toContain('kswapd_cpu_pct')
    for (const values of Object.values(series)) expect(values).toHaveLength(5)
  })

  it('takes a lone pressure reading as the final state, with a warning', () => {
    expect(run.result.psi.some).toEqual({ avg10: 0, avg60: 0, avg300: 0, total_us: 0 })
    expect(run.result.warnings).toEqual([expect.stringMatching(/since boot/)])
    expect(run.series.series).not.toHaveProperty('psi_some_total_us')
  })

  it('warns and shows zero PSI without pressure readings', () => {
    const bare = parseObserved({ text: log })
    expect(bare.result.psi.full.total_us).toBe(0)
    expect(bare.result.warnings).toEqual([expect.stringMatching(/No \/proc\/pressure\/memory/)])
  })
})

describe('the CSV form of the same capture', () => {
  const fromCsv = parseObserved({ text: csv })
  const fromLog = parseObserved({ text: log })

  it('gives the same result for the counters it holds', () => {
    expect(fromCsv.snapshots).toBe(fromLog.snapshots)
    expect(fromCsv.durationS).toBe(fromLog.durationS)
    expect(fromCsv.result.derived).toEqual(fromLog.result.derived)
    for (const [name, value] of Object.entries(fromCsv.result.vmstat))
      expect([name, value]).toEqual([name, fromLog.result.vmstat[name]])
    expect(fromCsv.series.t_s).toEqual(fromLog.series.t_s)
    for (const [name, values] of Object.entries(fromCsv.series.series))
      expect([name, values]).toEqual([name, fromLog.series.series[name]])
    expect(Object.keys(fromCsv.series.series).length).toBeGreaterThan(20)
  })

  it('reads quoted headers and CRLF line ends', () => {
    const quoted = csv.replace(/^[^\n]*/, (h) => h.replace(/([a-z_0-9]+)/g, '"$1"'))
    const r = parseObserved({ text: quoted.replace(/\n/g, '\r\n') })
    expect(r.result.vmstat.pgfault).toBe(66294)
  })
})

/** Counters under reclaim, written by hand: 4 s apart from first to last. */
const reclaiming = `--- 100 ---
nr_free_pages 5000
pgscan_kswapd 1000
pgscan_direct 0
pgsteal_kswapd 900
pgsteal_direct 0
pgsteal_anon 100
pgsteal_file 800
allocstall_normal 0
allocstall_movable 0
pswpout 50
pswpin 10
workingset_refault_anon 0
workingset_refault_file 0
oom_kill 0
--- 102 ---
nr_free_pages 4000
pgscan_kswapd 3000
pgscan_direct 500
pgsteal_kswapd 2500
pgsteal_direct 400
pgsteal_anon 600
pgsteal_file 2700
allocstall_normal 3
allocstall_movable 1
pswpout 250
pswpin 30
workingset_refault_anon 40
workingset_refault_file 60
oom_kill 0
--- 104 ---
nr_free_pages 3000
pgscan_kswapd 6000
pgscan_direct 1500
pgsteal_kswapd 5000
pgsteal_direct 1000
pgsteal_anon 1500
pgsteal_file 4400
allocstall_normal 7
allocstall_movable 1
pswpout 850
pswpin 90
workingset_refault_anon 100
workingset_refault_file 300
oom_kill 1
`

const psiAt = (t: number, some: number, full: number, avg10 = '0.00'): string =>
  `${t}\nsome avg10=${avg10} avg60=0.00 avg300=0.00 total=${some}\n` +
  `full avg10=0.00 avg60=0.00 avg300=0.00 total=${full}\n`

describe('derived metrics under reclaim', () => {
  const run = parseObserved({ text: reclaiming })

  it('uses the simulator formulas over the observed duration', () => {
    // Over 4 s: pgscan kswapd 5000 + direct 1500, pgsteal kswapd 4100, anon 1400, file 3600,
    // allocstall 7 + 1, pswpout 800, pswpin 80, refaults 100 + 300, one OOM kill.
    expect(run.result.derived).toEqual({
      pgsteal_anon_per_s: 350,
      pgsteal_file_per_s: 900,
      pgscan_per_s: 1625,
      kswapd_efficiency_pct: 82,
      kswapd_velocity_per_s: 1250,
      direct_scan_share_pct: 23.08,
      allocstall: 8,
      allocstall_per_s: 2,
      pswpout_per_s: 200,
      pswpin_per_s: 20,
      refaults_per_s: 100,
      oom_kills: 1
    })
  })

  it('feeds the run page charts under the names they read', () => {
    const ids = buildCharts(run.series, null).map((c) => c.id)
    expect(ids).toEqual(['free', 'reclaim', 'refault', 'events'])
    const reclaim = buildCharts(run.series, null)[1]
    const kswapd = reclaim.lines.find((l) => l.name === 'pgscan_kswapd')!
    // The first sample has no predecessor; then (5000 − 2000) / 2 s.
    expect(kswapd.data).toEqual([null, 1500])
    expect(reclaim.lines.find((l) => l.name === 'allocstall')!.data).toEqual([null, 2])
  })

  it('takes PSI totals over the capture and a PSI series from readings taken with it', () => {
    const text =
      psiAt(100, 1000, 0) + psiAt(102, 501000, 200000) + psiAt(104, 1501000, 300000, '9.50')
    const r = parseObserved({ text: reclaiming, pressure: text })
    expect(r.result.psi.some).toEqual({ avg10: 9.5, avg60: 0, avg300: 0, total_us: 1500000 })
    expect(r.result.psi.full.total_us).toBe(300000)
    expect(r.series.series.psi_some_total_us).toEqual([500000, 1500000])
    expect(r.series.series.psi_full_total_us).toEqual([200000, 300000])
    expect(r.result.warnings).toEqual([])
    // 1,000,000 µs stalled over 2 s: 50% of the time.
    const psi = buildCharts(r.series, null).find((c) => c.id === 'psi')!
    expect(psi.lines[0].data).toEqual([null, 50])
    expect(rate(r.series.t_s, r.series.series.psi_full_total_us)).toEqual([null, 50000])
  })

  it('keeps PSI totals but no series from readings taken at other times', () => {
    const text = psiAt(100.5, 0, 0) + psiAt(103.5, 3000, 1000)
    const r = parseObserved({ text: reclaiming, pressure: text })
    expect(r.result.psi.some.total_us).toBe(3000)
    expect(r.series.series).not.toHaveProperty('psi_some_total_us')
    expect(r.result.warnings).toEqual([expect.stringMatching(/own 3 s/)])
  })
})
