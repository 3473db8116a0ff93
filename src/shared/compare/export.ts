/** The compare table as Markdown, LaTeX (booktabs) and CSV: the same cells the screen shows. */
import Papa from 'papaparse'
import { formatValue } from './format'
import type { CompareMetric } from './metrics'
import type { CompareCell, CompareTable } from './table'
import { warningLine } from './warnings'

/** A group without the metric (the baseline kernel has no kcompressd queue): shown as a dash. */
export const MISSING_CELL = '–'

export const COMPARE_LEGEND =
  'mean ± half-width of the 95% t-interval over seeds (harmonic mean for rates); ' +
  '(change against the baseline); * significant at 5% (paired t on common seeds, Welch otherwise), ' +
  '~ no significant change, no mark where there is no change to test (a zero baseline); ' +
  'better: which direction is an improvement (neither: a change is only a change)'

/** What the screen's colours mean; exports have no colours, their marks say the same. */
export const COMPARE_COLOURS =
  'Green: a significant (*) change in the better direction; red: a significant change in the ' +
  'worse direction; blue: a significant change where neither direction is better; ' +
  'uncoloured: no significant change.'

/** The legend, with the warm-up and spread rows when there are some: part of every export. */
export function compareLegend(table: CompareTable): string {
  let legend = COMPARE_LEGEND
  if (table.spread) legend += '; stddev, min and max of the per-seed values below each mean'
  if (table.warmupS > 0) legend += `; the first ${table.warmupS} s of simulated time dropped`
  return legend
}

export function betterText(metric: CompareMetric): string {
  return metric.better ?? 'neither'
}

export const SPREAD_STATS = ['stddev', 'min', 'max'] as const
export type SpreadStat = (typeof SPREAD_STATS)[number]

/** A spread row's value in a cell, by the screen's rounding (stddev of one value: n/a). */
export function spreadText(cell: CompareCell | null, stat: SpreadStat): string {
  if (!cell) return MISSING_CELL
  return formatValue(stat === 'stddev' ? cell.sd : stat === 'min' ? cell.min : cell.max)
}

/** The rows of a table as text: metric rows, each followed by its spread rows when asked. */
function textRows(table: CompareTable, rows: CompareTable['rows']) {
  return rows.flatMap((row) => [
    {
      heading: metricHeading(row),
      better: betterText(row.metric),
      cells: row.cells.map((c) => c.cell?.text ?? MISSING_CELL)
    },
    ...(table.spread ? SPREAD_STATS : []).map((stat) => ({
      heading: `${metricHeading(row)} ${stat}`,
      better: '',
      cells: row.cells.map((c) => spreadText(c.cell, stat))
    }))
  ])
}

const WARNINGS_HEADING = 'Warnings from the compared runs'

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
  const head = `| Metric | Better | ${table.groups.map((g) => esc(g.label)).join(' | ')} |`
  const rule = `|---|---|${table.groups.map(() => '---:').join('|')}|`
  const lines = [head, rule]
  for (const { section, rows } of sections(table)) {
    lines.push(`| **${esc(section)}** | |${table.groups.map(() => ' ').join('|')}|`)
    for (const r of textRows(table, rows))
      lines.push(`| ${esc(r.heading)} | ${r.better} | ${r.cells.map(esc).join(' | ')} |`)
  }
  let text = `${lines.join('\n')}\n\n${compareLegend(table)}. Seeds per column: ${table.groups
    .map((g) => `${g.label} ${g.n}`)
    .join(', ')}.\n`
  if (table.warnings.length)
    text += `\n**${WARNINGS_HEADING}:**\n\n${table.warnings.map((w) => `- ${warningLine(w)}`).join('\n')}\n`
  return text
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
    `\\begin{tabular}{ll${'r'.repeat(cols)}}`,
    '\\toprule',
    `Metric & Better & ${table.groups.map((g) => latexEscape(g.label)).join(' & ')} \\\\`,
    '\\midrule'
  ]
  sections(table).forEach(({ section, rows }, i) => {
    if (i > 0) lines.push('\\addlinespace')
    lines.push(`\\multicolumn{${cols + 2}}{l}{\\textit{${latexEscape(section)}}} \\\\`)
    for (const r of textRows(table, rows))
      lines.push(
        `${latexEscape(r.heading)} & ${r.better} & ${r.cells.map(latexEscape).join(' & ')} \\\\`
      )
  })
  lines.push('\\bottomrule', '\\end{tabular}')
  if (table.warnings.length)
    lines.push(
      '\\par\\medskip',
      `{\\footnotesize\\raggedright\\textbf{${WARNINGS_HEADING}.}`,
      ...table.warnings.map((w) => `\\par ${latexEscape(warningLine(w))}`),
      '\\par}'
    )
  lines.push(
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
  'better',
  'group',
  'source',
  'warmup_s',
  'n',
  'estimate',
  'ci_lo',
  'ci_hi',
  'sd',
  'min',
  'max',
  'change_pct',
  'change_lo_pct',
  'change_hi_pct',
  'paired',
  'test',
  'p_value',
  'check_test',
  'check_p_value',
  'mark',
  'cell',
  'warnings'
] as const

/**
 * One row per metric and group (tidy). The numbers are full precision; `cell` is the screen's
 * rounded text beside them; `warnings` holds the group's run warnings, a line each.
 */
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
        betterText(row.metric),
        g.label,
        g.source,
        table.warmupS,
        cell.n,
        num(cell.estimate),
        num(cell.lo),
        num(cell.hi),
        num(cell.sd),
        num(cell.min),
        num(cell.max),
        delta ? num(delta.pct) : g.key === table.baseline ? 0 : '',
        delta ? num(delta.pctLo) : '',
        delta ? num(delta.pctHi) : '',
        delta ? String(delta.paired) : '',
        delta?.test ?? '',
        delta ? num(delta.p) : '',
        delta?.checkTest ?? '',
        delta ? num(delta.checkP) : '',
        delta?.mark ?? '',
        cell.text,
        g.warnings.join('\n')
      ])
    })
  return Papa.unparse({ fields: [...COMPARE_CSV_COLUMNS], data }, { newline: '\n' }) + '\n'
}

/** Empty rather than NaN or Infinity in CSV, so plotting scripts read a missing value. */
function num(x: number): number | string {
  return Number.isFinite(x) ? x : ''
}
