import type { RunRow } from './sim-format'

const TABLE_VMSTAT = [
  'pgscan_kswapd',
  'pgscan_direct',
  'pgsteal_kswapd',
  'pgsteal_direct',
  'pgscan_anon',
  'pgsteal_anon',
  'pgscan_file',
  'pgsteal_file',
  'allocstall_normal',
  'allocstall_movable',
  'pswpout',
  'pswpin',
  'zswpout',
  'zswpin',
  'zswpwb',
  'workingset_refault_anon',
  'workingset_refault_file',
  'workingset_activate_anon',
  'workingset_activate_file',
  'pgactivate',
  'pgdeactivate',
  'pgrefill',
  'pageoutrun',
  'kswapd_low_wmark_hit_quickly',
  'kswapd_high_wmark_hit_quickly',
  'pgmajfault',
  'oom_kill'
]

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '-'
  if (Number.isInteger(x)) return String(x)
  return x.toFixed(2)
}

const unique = <T>(xs: T[]): T[] => [...new Set(xs)]

/** A column of the table: one run (`v2#3`), or the mean of a variant's runs. */
interface Column {
  label: string
  runs: RunRow[]
}

function columnsOf(rows: RunRow[]): Column[] {
  return unique(rows.map((r) => r.variant)).flatMap((variant) => {
    const runs = rows.filter((r) => r.variant === variant)
    const each = runs.map((r) => ({ label: `${variant}#${r.seed}`, runs: [r] }))
    return runs.length > 1 ? [...each, { label: 'mean', runs }] : each
  })
}

/** One block: a header line, one row per metric, one column per run plus each variant's mean. */
function formatBlock(rows: RunRow[], title: string): string[] {
  const columns = columnsOf(rows)
  const lines: string[][] = []
  const add = (name: string, value: (r: RunRow) => number): void => {
    const means = columns.map((c) => c.runs.reduce((s, r) => s + value(r), 0) / c.runs.length)
    lines.push([name, ...means.map(fmt)])
  }
  for (const k of TABLE_VMSTAT) add(k, (r) => r.vmstat[k] ?? 0)
  for (const k of ['avg10', 'avg60', 'total_us'] as const) {
    add(`psi_some_${k}`, (r) => r.psi.some[k])
    add(`psi_full_${k}`, (r) => r.psi.full[k])
  }
  for (const k of Object.keys(rows[0].derived)) add(k, (r) => r.derived[k] ?? 0)
  add('duration_s', (r) => r.duration_s)
  add('wall_s', (r) => r.wall_s)
  const header = ['', ...columns.map((c) => c.label)]
  const all = [header, ...lines]
  const widths = header.map((_, i) => Math.max(...all.map((l) => l[i].length)))
  const variants = unique(rows.map((r) => r.variant))
  const out = [
    [
      title,
      ...Object.entries(rows[0].sweep_point ?? {}).map(([k, v]) => `${k}=${v}`),
      `${variants.length > 1 ? 'variants' : 'variant'} ${variants.join(',')}`,
      `seeds ${unique(rows.map((r) => r.seed)).join(',')}`
    ].join('  ')
  ]
  for (const l of all)
    out.push(l.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '))
  for (const w of unique(rows.flatMap((r) => r.warnings))) out.push(`warning: ${w}`)
  return out
}

/**
 * An mmtests-like summary: per sweep point a block with one row per metric and one column per run,
 * each variant's runs followed by their mean. `title` names the source (`preset NAME`).
 */
export function formatTable(rows: RunRow[], title = `preset ${rows[0]?.preset}`): string {
  if (rows.length === 0) return ''
  const points = unique(rows.map((r) => JSON.stringify(r.sweep_point ?? {})))
  const blocks = points.map((p) =>
    formatBlock(
      rows.filter((r) => JSON.stringify(r.sweep_point ?? {}) === p),
      title
    )
  )
  return blocks.map((b) => b.join('\n') + '\n').join('\n')
}
