import { describe, expect, it } from 'vitest'
import { groupRuns, type CompareRun } from '../../../src/shared/compare/groups'
import { parameterDiff } from '../../../src/shared/compare/params'
import { buildCompareTable, changeTone } from '../../../src/shared/compare/table'
import { formatP, formatPct, formatValue } from '../../../src/shared/compare/format'

// Student's sleep data (R `sleep`): extra hours of sleep under two drugs, the same 10 patients.
const DRUG1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
const DRUG2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]

let nextId = 1
function run(
  variant: string,
  seed: number,
  derived: Record<string, number>,
  extra: Partial<CompareRun> = {}
): CompareRun {
  return {
    id: nextId++,
    variant,
    seed,
    source: 'simulated',
    label: '',
    sweepPoint: {},
    simulatorVersion: '0.1.0',
    scenario: { duration_s: 60, kernel: { vm: { swappiness: 60 } } },
    result: { derived },
    ...extra
  }
}

function sleepRuns(metric: string): CompareRun[] {
  return [
    ...DRUG1.map((x, i) => run('baseline', i + 1, { [metric]: x })),
    ...DRUG2.map((x, i) => run('v2', i + 1, { [metric]: x }))
  ]
}

describe('the compare table', () => {
  it('aggregates seeds as mean ± half the 95% t-interval and marks a paired-t difference', () => {
    const table = buildCompareTable(groupRuns(sleepRuns('eater_total_s')), 'baseline')
    const row = table.rows.find((r) => r.metric.key === 'eater_total_s')!
    const [base, v2] = row.cells
    // mean 0.75, sd 1.789010, t(0.975, 9) = 2.262157: half-width 1.279770.
    expect(base.cell!.estimate).toBeCloseTo(0.75, 10)
    expect((base.cell!.hi - base.cell!.lo) / 2).toBeCloseTo(1.27977, 4)
    expect(base.cell!.text).toBe('0.75 ± 1.28 (0.00%)')
    // 2.33 against 0.75 is +210.67%; the paired t-test over the 10 patients gives p = 0.002833.
    expect(v2.delta!.paired).toBe(true)
    expect(v2.delta!.test).toBe('paired-t')
    expect(v2.delta!.p).toBeCloseTo(0.002833, 5)
    expect(v2.delta!.checkTest).toBe('wilcoxon')
    expect(v2.delta!.checkP).toBeCloseTo(0.009091, 5)
    expect(v2.delta!.mark).toBe('*')
    expect(v2.cell!.text).toBe('2.33 ± 1.43 (+210.67%)*')
    // Interval of the change: the paired-t interval of the mean difference (0.7001, 2.4599) / 0.75.
    expect(v2.delta!.pctLo).toBeCloseTo((100 * 0.7001142) / 0.75, 3)
    expect(v2.delta!.pctHi).toBeCloseTo((100 * 2.4598858) / 0.75, 3)
  })

  it('falls back to Welch and Mann-Whitney when the seeds differ, and to "~" when not significant', () => {
    const runs = [
      ...DRUG1.map((x, i) => run('baseline', i + 1, { eater_total_s: x })),
      ...DRUG2.map((x, i) => run('v2', i + 101, { eater_total_s: x }))
    ]
    const row = buildCompareTable(groupRuns(runs), 'baseline').rows[0]
    const delta = row.cells[1].delta!
    expect(delta.paired).toBe(false)
    expect(delta.test).toBe('welch')
    expect(delta.p).toBeCloseTo(0.07939, 4)
    expect(delta.checkTest).toBe('mann-whitney')
    expect(delta.checkP).toBeCloseTo(0.06933, 4)
    expect(delta.mark).toBe('~')
    expect(row.cells[1].cell!.text).toBe('2.33 ± 1.43 (+210.67%)~')
  })

  it('averages rates harmonically and compares them through their reciprocals', () => {
    const runs = [
      run('baseline', 1, { pgsteal_anon_per_s: 40 }),
      run('baseline', 2, { pgsteal_anon_per_s: 60 }),
      run('v1', 1, { pgsteal_anon_per_s: 80 }),
      run('v1', 2, { pgsteal_anon_per_s: 240 })
    ]
    const row = buildCompareTable(groupRuns(runs), 'baseline').rows[0]
    expect(row.mean).toBe('harmonic')
    expect(row.cells[0].cell!.estimate).toBeCloseTo(48, 10)
    expect(row.cells[1].cell!.estimate).toBeCloseTo(120, 10)
    expect(row.cells[1].delta!.pct).toBeCloseTo(150, 10)
    // 1/80 - 1/40 = 1/240 - 1/60 = -1/80: every seed moves the reciprocal alike, so the
    // interval of the change closes on +150% (an arithmetic mean would say +166.67%).
    expect(row.cells[1].delta!.pctLo).toBeCloseTo(150, 8)
    expect(row.cells[1].delta!.pctHi).toBeCloseTo(150, 8)
  })

  it('leaves a rate change without an upper end when the interval reaches a zero reciprocal', () => {
    const runs = [
      run('baseline', 1, { pgsteal_anon_per_s: 40 }),
      run('baseline', 2, { pgsteal_anon_per_s: 60 }),
      run('v1', 1, { pgsteal_anon_per_s: 80 }),
      run('v1', 2, { pgsteal_anon_per_s: 120 })
    ]
    const delta = buildCompareTable(groupRuns(runs), 'baseline').rows[0].cells[1].delta!
    expect(delta.pct).toBeCloseTo(100, 10)
    // Two pairs: t(0.975, 1) = 12.706 stretches the reciprocal interval past zero.
    expect(delta.pctHi).toBe(Infinity)
    expect(delta.pctLo).toBeCloseTo(-43.52, 1)
  })

  it('uses the arithmetic mean for a rate that is zero in some run', () => {
    const runs = [
      run('baseline', 1, { pswpout_per_s: 0 }),
      run('baseline', 2, { pswpout_per_s: 10 }),
      run('v1', 1, { pswpout_per_s: 4 }),
      run('v1', 2, { pswpout_per_s: 6 })
    ]
    const row = buildCompareTable(groupRuns(runs), 'baseline').rows[0]
    expect(row.mean).toBe('arithmetic')
    expect(row.cells[0].cell!.estimate).toBe(5)
  })

  it('leaves out metrics no run has or that are zero everywhere, and dashes a group without one', () => {
    const runs = [
      run('baseline', 1, { allocstall: 0, eater_total_s: 3 }),
      run('v2', 1, { allocstall: 0, eater_total_s: 4, kcompressd_queue_depth_max: 256 })
    ]
    const table = buildCompareTable(groupRuns(runs), 'baseline')
    expect(table.rows.map((r) => r.metric.key)).toEqual([
      'eater_total_s',
      'kcompressd_queue_depth_max'
    ])
    const queue = table.rows[1]
    expect(queue.cells[0].cell).toBeNull()
    expect(queue.cells[1].delta).toBeNull()
    expect(queue.cells[1].cell!.text).toBe('256')
  })

  it('compares observed runs unpaired and counts each seed of a group once', () => {
    const runs = [
      run('baseline', 1, { allocstall: 10 }),
      run('baseline', 1, { allocstall: 12 }),
      run('baseline', 2, { allocstall: 14 }),
      run('observed', 0, { allocstall: 30 }, { source: 'observed', label: 'pixel' }),
      run('observed', 0, { allocstall: 34 }, { source: 'observed', label: 'pixel' })
    ]
    const groups = groupRuns(runs)
    expect(groups.map((g) => [g.key, g.label, g.runs.length])).toEqual([
      ['baseline', 'baseline', 2],
      ['observed:pixel', 'pixel (observed)', 2]
    ])
    // The later run of seed 1 (12) replaced the earlier one (10).
    const row = buildCompareTable(groups, 'baseline').rows[0]
    expect(row.cells[0].cell!.values).toEqual([12, 14])
    expect(row.cells[1].delta!.paired).toBe(false)
    expect(row.cells[1].delta!.test).toBe('welch')
    expect(row.cells[1].delta!.pct).toBeCloseTo((100 * (32 - 13)) / 13, 10)
  })

  it('puts no mark on a change against a zero baseline, however small its p', () => {
    // proto as the baseline: its never-woken kcompressd wrote no folio, v2's wrote thousands.
    const runs = [1, 2, 3, 4].flatMap((seed) => [
      run('proto', seed, { kcompressd_fault_waits: 0, allocstall: 100 + seed }),
      run('v2', seed, { kcompressd_fault_waits: 40 + seed, allocstall: 50 + 2 * seed })
    ])
    const table = buildCompareTable(groupRuns(runs), 'proto')
    const waits = table.rows.find((r) => r.metric.key === 'kcompressd_fault_waits')!
    const delta = waits.cells[1].delta!
    expect(delta.p).toBeLessThan(0.001)
    expect(delta.mark).toBe('')
    expect(waits.cells[1].cell!.text).toBe('42.5 ± 2.05 (n/a)')
    expect(changeTone(waits.metric, delta)).toBe('')
    // A change with a percentage keeps its mark.
    const stalls = table.rows.find((r) => r.metric.key === 'allocstall')!
    expect(stalls.cells[1].cell!.text).toBe('55 ± 4.11 (-46.34%)*')
  })

  it('colours every significant change, and only those: better, worse, or just changed', () => {
    const runs = [1, 2, 3].flatMap((seed) => [
      run('baseline', seed, {
        allocstall: 100 + seed,
        app_launches: 10 + seed,
        pswpout: 500 + seed
      }),
      run('v2', seed, { allocstall: 50 + seed, app_launches: 5 + seed, pswpout: 900 + seed * 3 })
    ])
    const table = buildCompareTable(groupRuns(runs), 'baseline')
    const tone = (key: string) => {
      const row = table.rows.find((r) => r.metric.key === key)!
      return [row.cells[1].delta!.mark, changeTone(row.metric, row.cells[1].delta)]
    }
    expect(tone('allocstall')).toEqual(['*', 'better'])
    expect(tone('app_launches')).toEqual(['*', 'worse'])
    // Swapping out more is neither better nor worse: a significant change all the same.
    expect(tone('pswpout')).toEqual(['*', 'changed'])
    const same = buildCompareTable(
      groupRuns(
        [1, 2, 3].flatMap((s) => [
          run('baseline', s, { allocstall: s }),
          run('v2', s, { allocstall: 4 - s })
        ])
      ),
      'baseline'
    ).rows[0]
    expect([same.cells[1].delta!.mark, changeTone(same.metric, same.cells[1].delta)]).toEqual([
      '~',
      ''
    ])
  })

  it('gives each cell the stddev, min and max of its seeds, with the seeds', () => {
    const row = buildCompareTable(groupRuns(sleepRuns('eater_total_s')), 'baseline').rows[0]
    const v2 = row.cells[1].cell!
    expect(v2.seeds).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(v2.values).toEqual(DRUG2)
    // R: sd(sleep$extra[11:20]) = 2.002249
    expect(v2.sd).toBeCloseTo(2.002249, 6)
    expect([v2.min, v2.max]).toEqual([-0.1, 5.5])
  })

  it('keeps runs of another experiment in groups of their own, paired on seeds', () => {
    const runs = [
      run('baseline', 1, { allocstall: 100 }),
      run('baseline', 2, { allocstall: 120 }),
      run('baseline', 1, { allocstall: 80 }, { origin: '#3' }),
      run('baseline', 2, { allocstall: 90 }, { origin: '#3' }),
      run('observed', 0, { allocstall: 5 }, { source: 'observed', label: 'pixel', origin: '#3' })
    ]
    const groups = groupRuns(runs)
    expect(groups.map((g) => [g.key, g.label, g.runs.length])).toEqual([
      ['baseline', 'baseline', 2],
      ['#3 baseline', '#3 baseline', 2],
      ['observed:#3 pixel', '#3 pixel (observed)', 1]
    ])
    const delta = buildCompareTable(groups, 'baseline').rows[0].cells[1].delta!
    expect(delta.paired).toBe(true)
    expect(delta.pct).toBeCloseTo((100 * (85 - 110)) / 110, 10)
  })

  it('shows the change interval in the cell when asked', () => {
    const table = buildCompareTable(groupRuns(sleepRuns('eater_total_s')), 'baseline', {
      changeIntervals: true
    })
    const half = (100 * (2.4598858 - 0.7001142)) / 2 / 0.75
    expect(table.rows[0].cells[1].cell!.text).toBe(`2.33 ± 1.43 (+210.67% ± ${half.toFixed(2)}%)*`)
  })

  it('groups sweep points of a variant apart, and diffs only the parameters that differ', () => {
    const runs = [
      run('baseline', 1, { allocstall: 1 }, { sweepPoint: { 'kernel.vm.swappiness': 60 } }),
      run(
        'baseline',
        1,
        { allocstall: 2 },
        {
          sweepPoint: { 'kernel.vm.swappiness': 100 },
          scenario: { duration_s: 60, kernel: { vm: { swappiness: 100 } } }
        }
      )
    ]
    const groups = groupRuns(runs)
    expect(groups.map((g) => g.key)).toEqual(['baseline swappiness=60', 'baseline swappiness=100'])
    expect(parameterDiff(groups)).toEqual([{ path: 'kernel.vm.swappiness', values: ['60', '100'] }])
  })
})

describe('rounding shared by the screen and the exports', () => {
  it('keeps three significant digits below 100 and whole numbers with separators above', () => {
    expect(formatValue(0.0012345)).toBe('0.00123')
    expect(formatValue(12.345)).toBe('12.3')
    expect(formatValue(99.96)).toBe('100')
    expect(formatValue(1234567.4)).toBe('1,234,567')
    expect(formatValue(-5.5)).toBe('-5.5')
    expect(formatValue(Number.NaN)).toBe('n/a')
  })

  it('signs percentages and writes small p-values as <0.001', () => {
    expect(formatPct(12.345)).toBe('+12.35%')
    expect(formatPct(-0.004)).toBe('0.00%')
    expect(formatPct(-52)).toBe('-52.00%')
    expect(formatP(0.0028328)).toBe('0.00283')
    expect(formatP(0.0002)).toBe('<0.001')
  })
})
