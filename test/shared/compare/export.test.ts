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
    expect(lines[0]).toBe('| Metric | baseline | v2 |')
    expect(lines[1]).toBe('|---|---:|---:|')
    expect(lines[2]).toBe('| **Reclaim** | | |')
    // mean 1100, sd 100, t(0.975, 2) = 4.302653: half-width 248.4.
    expect(lines[3]).toBe('| allocstall | 1,100 ± 248 (0.00%) | 527 ± 75.9 (-52.12%)* |')
    expect(md).toContain('| kcompressd_queue_depth_max | – | 256 ± 0 |')
    expect(md).toContain('| alloc_slowpath p99 (µs) | 12 ± 0 (0.00%) | 12 ± 0 (0.00%)~ |')
    expect(md).toContain('Seeds per column: baseline 3, v2 3.')
  })

  it('writes a booktabs LaTeX table with every special character escaped', () => {
    const tex = toLatex(table)
    expect(tex).toContain('\\begin{tabular}{lrr}')
    expect(tex).toContain('\\toprule\nMetric & baseline & v2 \\\\\n\\midrule')
    expect(tex).toContain(
      'allocstall & 1,100 $\\pm$ 248 (0.00\\%) & 527 $\\pm$ 75.9 (-52.12\\%)* \\\\'
    )
    expect(tex).toContain(
      'kswapd\\_cpu\\_pct (\\%) & 6 $\\pm$ 2.48 (0.00\\%) & 6.5 $\\pm$ 2.48 (+8.33\\%)* \\\\'
    )
    expect(tex).toContain('kcompressd\\_queue\\_depth\\_max & -- & 256 $\\pm$ 0 \\\\')
    expect(tex).toContain('alloc\\_slowpath p99 ($\\mu$s)')
    expect(tex.trim().endsWith('\\end{table}')).toBe(true)
    expect(latexEscape('a_b & 50% ~ #1 {x} $y ^z \\')).toBe(
      'a\\_b \\& 50\\% $\\sim$ \\#1 \\{x\\} \\$y \\textasciicircum{}z \\textbackslash{}'
    )
  })

  it('writes tidy CSV that parses back to the same cells and rounded numbers', () => {
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
      n: '3',
      estimate: '527',
      change_pct: '-52.12',
      paired: 'true',
      test: 'paired-t',
      check_test: 'wilcoxon',
      mark: '*'
    })
    // Differences 500, 580, 640: t = 573.33 / (70.24 / √3) = 14.138 with 2 df, and for 2 df the
    // two-sided p is 1 − t / √(2 + t²) = 0.00496.
    expect(Number(v2.p_value)).toBeCloseTo(0.00496, 4)
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
    for (const row of rows) expect(row.replace(/\\&/g, '').split(' & ')).toHaveLength(3)
  })
})
