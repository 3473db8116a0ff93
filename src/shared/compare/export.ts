/** The compare table as Markdown, LaTeX (booktabs) and CSV: the same cells the screen shows. */
import Papa from 'papaparse'
import { formatP, roundPct, roundValue } from './format'
import type { CompareTable } from './table'

/** A group without the metric (the baseline kernel has no kcompressd queue): shown as a dash. */
export const MISSING_CELL = '–'

export const COMPARE_LEGEND =
  'mean ± half-width of the 95% t-interval over seeds (harmonic mean for rates); ' +
  '(change against the baseline); * significant at 5% (paired t on common seeds, Welch otherwise), ' +
  '~ no significant change'

/** The legend, with the warm-up when one was dropped: part of every export, as on screen. */
export function compareLegend(table: CompareTable): string {
  return table.warmupS > 0
    ? `${COMPARE_LEGEND}; the first ${table.warmupS} s of simulated time dropped`
    : COMPARE_LEGEND
}

function sections(table: CompareTable) {
  const out: Array<{ section: string; rows: CompareTable['rows'] }> = []
  for (const row of table.rows) {
    const last = out[out.length - 1]
    if (last?.section === row.metric.section) last.rows.push(row)
    else out.push({ section: row.metric.section, rows: [row] })
  }
  return out
}

const unitSuffix: Record<string, string> = {
  count: '',
  per_s: ' (/s)',
  pct: ' (%)',
  us: ' (µs)',
  ms: ' (ms)',
  s: ' (s)',
  mib: ' (MiB)',
  ratio: ''
}

export function metricHeading(row: CompareTable['rows'][number]): string {
  return `${row.metric.label}${unitSuffix[row.metric.unit]}`
}

export function toMarkdown(table: CompareTable): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|')
  const head = `| Metric | ${table.groups.map((g) => esc(g.label)).join(' | ')} |`
  const rule = `|---|${table.groups.map(() => '---:').join('|')}|`
  const lines = [head, rule]
  for (const { section, rows } of sections(table)) {
    lines.push(`| **${esc(section)}** |${table.groups.map(() => ' ').join('|')}|`)
    for (const row of rows)
      lines.push(
        `| ${esc(metricHeading(row))} | ${row.cells.map((c) => esc(c.cell?.text ?? MISSING_CELL)).join(' | ')} |`
      )
  }
  return `${lines.join('\n')}\n\n${compareLegend(table)}. Seeds per column: ${table.groups
    .map((g) => `${g.label} ${g.n}`)
    .join(', ')}.\n`
}

const LATEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '{': '\\{',
  '}': '\\}',
  '~': '$\\sim$',
  '^': '\\textasciicircum{}',
  '±': '$\\pm$',
  µ: '$\\mu$',
  '–': '--'
}

export function latexEscape(s: string): string {
  return s.replace(/[\\&%$#_{}~^±µ–]/g, (c) => LATEX_SPECIALS[c])
}

export function toLatex(table: CompareTable, caption = 'Reclaim Lab comparison'): string {
  const cols = table.groups.length
  const lines = [
    '% Needs \\usepackage{booktabs} in the preamble.',
    '\\begin{table}[htbp]',
    '\\centering',
    '\\small',
    `\\begin{tabular}{l${'r'.repeat(cols)}}`,
    '\\toprule',
    `Metric & ${table.groups.map((g) => latexEscape(g.label)).join(' & ')} \\\\`,
    '\\midrule'
  ]
  sections(table).forEach(({ section, rows }, i) => {
    if (i > 0) lines.push('\\addlinespace')
    lines.push(`\\multicolumn{${cols + 1}}{l}{\\textit{${latexEscape(section)}}} \\\\`)
    for (const row of rows)
      lines.push(
        `${latexEscape(metricHeading(row))} & ${row.cells
          .map((c) => latexEscape(c.cell?.text ?? MISSING_CELL))
          .join(' & ')} \\\\`
      )
  })
  lines.push(
    '\\bottomrule',
    '\\end{tabular}',
    `\\caption{${latexEscape(caption)}: ${latexEscape(compareLegend(table))}.}`,
    '\\label{tab:reclaim-lab-compare}',
    '\\end{table}'
  )
  return `${lines.join('\n')}\n`
}

export const COMPARE_CSV_COLUMNS = [
  'section',
  'metric',
  'label',
  'unit',
  'mean',
  'group',
  'source',
  'warmup_s',
  'n',
  'estimate',
  'ci_lo',
  'ci_hi',
  'change_pct',
  'change_lo_pct',
  'change_hi_pct',
  'paired',
  'test',
  'p_value',
  'check_test',
  'check_p_value',
  'mark',
  'cell'
] as const

/** One row per metric and group (tidy), rounded by the screen's rules; `cell` is the screen's text. */
export function toCompareCsv(table: CompareTable): string {
  const data: Array<Array<string | number>> = []
  for (const row of table.rows)
    row.cells.forEach(({ cell, delta }, i) => {
      if (!cell) return
      const g = table.groups[i]
      data.push([
        row.metric.section,
        row.metric.key,
        metricHeading(row),
        row.metric.unit,
        row.mean,
        g.label,
        g.source,
        table.warmupS,
        cell.n,
        roundValue(cell.estimate),
        num(roundValue(cell.lo)),
        num(roundValue(cell.hi)),
        delta ? num(roundPct(delta.pct)) : g.key === table.baseline ? 0 : '',
        delta ? num(roundPct(delta.pctLo)) : '',
        delta ? num(roundPct(delta.pctHi)) : '',
        delta ? String(delta.paired) : '',
        delta?.test ?? '',
        delta ? formatP(delta.p) : '',
        delta?.checkTest ?? '',
        delta ? formatP(delta.checkP) : '',
        delta?.mark ?? '',
        cell.text
      ])
    })
  return Papa.unparse({ fields: [...COMPARE_CSV_COLUMNS], data }, { newline: '\n' }) + '\n'
}

/** Empty rather than NaN in CSV, so plotting scripts read a missing value. */
function num(x: number): number | string {
  return Number.isFinite(x) ? x : ''
}
