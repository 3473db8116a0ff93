import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import {
  latexEscape,
  toCompareCsv,
  toLatex,
  toMarkdown,
  COMPARE_CSV_COLUMNS
} from '../../../src/shared/compare/export'
import { groupRuns, type CompareRun } from '../../../src/shared/compare/groups'
import { buildCompareTable } from '../../../src/shared/compare/table'

let nextId = 1
function run(variant: string, seed: number, derived: Record<string, number>): CompareRun {
  return {
    id: nextId++,
    variant,
    seed,
    source: 'simulated',
    label: '',
    sweepPoint: {},
    simulatorVersion: '0.1.0',
    scenario: {},
    result: {
      derived,
      histograms: { alloc_slowpath_latency: { count: 10, p50_us: 5, p90_us: 9, p99_us: 12 } }
    }
  }
}

// allocstall: baseline 1000, 1100, 1200; v2 500, 520, 560 (paired on seeds 1-3).
const runs = [
  run('baseline', 1, { allocstall: 1000, kswapd_cpu_pct: 5 }),
  run('baseline', 2, { allocstall: 1100, kswapd_cpu_pct: 6 }),
  run('baseline', 3, { allocstall: 1200, kswapd_cpu_pct: 7 }),
  run('v2', 1, { allocstall: 500, kswapd_cpu_pct: 5.5, kcompressd_queue_depth_max: 256 }),
  run('v2', 2, { allocstall: 520, kswapd_cpu_pct: 6.5, kcompressd_queue_depth_max: 256 }),
  run('v2', 3, { allocstall: 560, kswapd_cpu_pct: 7.5, kcompressd_queue_depth_max: 256 })
]
const table = buildCompareTable(groupRuns(runs), 'baseline')

describe('compare table exports', () => {
  it('writes Markdown with the screen text in each cell', () => {
    const md = toMarkdown(table)
    const lines = md.split('\n')
    expect(lines[0]).toBe('| Metric | Better | baseline | v2 |')
    expect(lines[1]).toBe('|---|---|---:|---:|')
    expect(lines[2]).toBe('| **Reclaim** | | | |')
    // mean 1100, sd 100, t(0.975, 2) = 4.302653: half-width 248.4.
    expect(lines[3]).toBe('| allocstall | lower | 1,100 ± 248 (0.00%) | 527 ± 75.9 (-52.12%)* |')
    expect(md).toContain('| kcompressd_queue_depth_max | neither | – | 256 ± 0 |')
    expect(md).toContain('| alloc_slowpath p99 (µs) | lower | 12 ± 0 (0.00%) | 12 ± 0 (0.00%)~ |')
    expect(md).toContain('Seeds per column: baseline 3, v2 3.')
    expect(md).not.toContain('stddev')
    expect(md).not.toContain('Warnings')
  })

  it('adds stddev, min and max rows under each metric when asked, and says so', () => {
    const spread = buildCompareTable(groupRuns(runs), 'baseline', { spread: true })
    const md = toMarkdown(spread)
    const lines = md.split('\n')
    expect(lines.slice(3, 7)).toEqual([
      '| allocstall | lower | 1,100 ± 248 (0.00%) | 527 ± 75.9 (-52.12%)* |',
      // v2: 500, 520, 560 → sd 30.55.
      '| allocstall stddev |  | 100 | 30.6 |',
      '| allocstall min |  | 1,000 | 500 |',
      '| allocstall max |  | 1,200 | 560 |'
    ])
    expect(md).toContain('| kcompressd_queue_depth_max stddev |  | – | 0 |')
    expect(md).toContain('stddev, min and max of the per-seed values below each mean')
    const tex = toLatex(spread)
    expect(tex).toContain('allocstall stddev &  & 100 & 30.6 \\\\')
  })

  it("puts the runs' warnings under the Markdown and LaTeX tables and into a CSV column", () => {
    const bug = 'proto as posted: kcompressd is never woken; kfifo_in() copies the flags word'
    const warned = [
      ...runs.filter((r) => r.variant === 'baseline'),
      ...[1, 2, 3].map((seed) => ({
        ...run('proto', seed, { allocstall: 1000 + seed }),
        result: {
          derived: { allocstall: 1000 + seed },
          warnings: seed === 2 ? [bug, '7 folios still locked at the end'] : [bug]
        }
      }))
    ]
    const t = buildCompareTable(groupRuns(warned), 'baseline')
    expect(t.warnings.map((w) => w.text)).toEqual([bug, '7 folios still locked at the end'])
    const md = toMarkdown(t)
    expect(md).toContain(
      `**Warnings from the compared runs:**\n\n- proto (all 3 runs): ${bug}\n` +
        '- proto (seed 2): 7 folios still locked at the end\n'
    )
    const tex = toLatex(t)
    expect(tex).toContain(
      '\\par proto (all 3 runs): proto as posted: kcompressd is never woken; kfifo\\_in() copies the flags word'
    )
    expect(tex.indexOf('Warnings from the compared runs')).toBeGreaterThan(
      tex.indexOf('\\end{tabular}')
    )
    const csv = Papa.parse<Record<string, string>>(toCompareCsv(t), { header: true }).data
    const proto = csv.find((r) => r.metric === 'allocstall' && r.group === 'proto')!
    expect(proto.warnings).toBe(`${bug}\nseed 2: 7 folios still locked at the end`)
    expect(csv.find((r) => r.metric === 'allocstall' && r.group === 'baseline')!.warnings).toBe('')
  })

  it('writes a booktabs LaTeX table with every special character escaped', () => {
    const tex = toLatex(table)
    expect(tex).toContain('\\begin{tabular}{llrr}')
    expect(tex).toContain('\\toprule\nMetric & Better & baseline & v2 \\\\\n\\midrule')
    expect(tex).toContain(
      'allocstall & lower & 1,100 $\\pm$ 248 (0.00\\%) & 527 $\\pm$ 75.9 (-52.12\\%)* \\\\'
    )
    expect(tex).toContain(
      'kswapd\\_cpu\\_pct (\\%) & neither & 6 $\\pm$ 2.48 (0.00\\%) & 6.5 $\\pm$ 2.48 (+8.33\\%)* \\\\'
    )
    expect(tex).toContain('kcompressd\\_queue\\_depth\\_max & neither & -- & 256 $\\pm$ 0 \\\\')
    expect(tex).toContain('alloc\\_slowpath p99 ($\\mu$s)')
    expect(tex.trim().endsWith('\\end{table}')).toBe(true)
    expect(latexEscape('a_b & 50% ~ #1 {x} $y ^z \\')).toBe(
      'a\\_b \\& 50\\% $\\sim$ \\#1 \\{x\\} \\$y \\textasciicircum{}z \\textbackslash{}'
    )
  })

  it('writes tidy CSV with the screen text beside full-precision numbers', () => {
    const csv = toCompareCsv(table)
    const parsed = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true })
    expect(parsed.errors).toEqual([])
    expect(parsed.meta.fields).toEqual([...COMPARE_CSV_COLUMNS])
    const cells = table.rows.flatMap((r) => r.cells.filter((c) => c.cell).map((c) => c.cell!.text))
    expect(parsed.data.map((r) => r.cell)).toEqual(cells)
    const v2 = parsed.data.find((r) => r.metric === 'allocstall' && r.group === 'v2')!
    expect(v2).toMatchObject({
      label: 'allocstall',
      unit: 'count',
      mean: 'arithmetic',
      better: 'lower',
      n: '3',
      min: '500',
      max: '560',
      change_pct: '-52.121212121212125',
      paired: 'true',
      test: 'paired-t',
      check_test: 'wilcoxon',
      mark: '*'
    })
    // Differences 500, 580, 640: t = 573.33 / (70.24 / √3) = 14.138 with 2 df, and for 2 df the
    // two-sided p is 1 − t / √(2 + t²) = 0.00496.
    expect(Number(v2.p_value)).toBeCloseTo(0.00496, 4)
    // Not rounded: (500 + 520 + 560) / 3, sd 30.5505…
    expect(Number(v2.estimate)).toBe(1580 / 3)
    expect(Number(v2.sd)).toBeCloseTo(30.550504633, 8)
    expect(v2.estimate).toBe(String(1580 / 3))
    expect(v2.p_value).not.toBe(String(Number(Number(v2.p_value).toPrecision(3))))
    // Three pairs cannot reach 5% in a signed-rank test: its smallest p is 0.25.
    expect(v2.check_p_value).toBe('0.25')
    const base = parsed.data.find((r) => r.metric === 'allocstall' && r.group === 'baseline')!
    expect(base.change_pct).toBe('0')
    expect(base.test).toBe('')
  })
  it('writes LaTeX that is balanced: braces, math shifts, environments and cells per row', () => {
    const tex = toLatex(table)
    const unescaped = (c: string) => tex.replace(/\\[{}$%&#_]/g, '').split(c).length - 1
    expect(unescaped('{')).toBe(unescaped('}'))
    expect(unescaped('$') % 2).toBe(0)
    const begins = [...tex.matchAll(/\\begin\{(\w+)\}/g)].map((m) => m[1])
    const ends = [...tex.matchAll(/\\end\{(\w+)\}/g)].map((m) => m[1])
    expect(ends).toEqual([...begins].reverse())
    const rows = tex.split('\n').filter((l) => l.endsWith('\\\\') && !l.startsWith('\\multicolumn'))
    for (const row of rows) expect(row.replace(/\\&/g, '').split(' & ')).toHaveLength(4)
  })
})
