import type { RunResult } from '../../sim'

/** One run as printed by `run --format json` (a stable contract). */
export interface RunRow {
  preset: string
  variant: string
  seed: number
  duration_s: number
  wall_s: number
  vmstat: Record<string, number>
  psi: RunResult['psi']
  derived: Record<string, number>
  warnings: string[]
}

export function toRow(preset: string, r: RunResult, wall_s: number): RunRow {
  return {
    preset,
    variant: r.variant,
    seed: r.seed,
    duration_s: r.duration_s,
    wall_s: Math.round(wall_s * 1000) / 1000,
    vmstat: r.vmstat,
    psi: r.psi,
    derived: r.derived,
    warnings: r.warnings
  }
}

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

/** An mmtests-like summary: one row per metric, one column per seed, then the mean. */
export function formatTable(rows: RunRow[]): string {
  if (rows.length === 0) return ''
  const cols = rows.map((r) => `${r.variant}#${r.seed}`)
  const lines: string[][] = []
  const add = (name: string, vals: number[]): void => {
    const mean = vals.reduce((a, b) => a + b, 0) / vals.length
    lines.push([name, ...vals.map(fmt), ...(rows.length > 1 ? [fmt(mean)] : [])])
  }
  for (const k of TABLE_VMSTAT)
    add(
      k,
      rows.map((r) => r.vmstat[k] ?? 0)
    )
  for (const k of ['avg10', 'avg60', 'total_us'] as const) {
    add(
      `psi_some_${k}`,
      rows.map((r) => r.psi.some[k])
    )
    add(
      `psi_full_${k}`,
      rows.map((r) => r.psi.full[k])
    )
  }
  for (const k of Object.keys(rows[0].derived))
    add(
      k,
      rows.map((r) => r.derived[k] ?? 0)
    )
  add(
    'duration_s',
    rows.map((r) => r.duration_s)
  )
  add(
    'wall_s',
    rows.map((r) => r.wall_s)
  )
  const header = ['', ...cols, ...(rows.length > 1 ? ['mean'] : [])]
  const all = [header, ...lines]
  const widths = header.map((_, i) => Math.max(...all.map((l) => (l[i] ?? '').length)))
  const out = [
    `preset ${rows[0].preset}  variant ${rows[0].variant}  seeds ${rows.map((r) => r.seed).join(',')}`
  ]
  for (const l of all)
    out.push(l.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '))
  const warn = [...new Set(rows.flatMap((r) => r.warnings))]
  for (const w of warn) out.push(`warning: ${w}`)
  return out.join('\n') + '\n'
}

function csvCell(v: string | number): string {
  const s = String(v)
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** One CSV row per run: identity, vmstat, psi, derived columns. */
export function formatCsv(rows: RunRow[]): string {
  if (rows.length === 0) return ''
  const vm = Object.keys(rows[0].vmstat)
  const de = Object.keys(rows[0].derived)
  const psi = [
    'some_avg10',
    'some_avg60',
    'some_avg300',
    'some_total_us',
    'full_avg10',
    'full_avg60',
    'full_avg300',
    'full_total_us'
  ]
  const header = [
    'preset',
    'variant',
    'seed',
    'duration_s',
    'wall_s',
    ...vm,
    ...psi.map((p) => `psi_${p}`),
    ...de,
    'warnings'
  ]
  const lines = [header.join(',')]
  for (const r of rows) {
    const p = r.psi
    lines.push(
      [
        r.preset,
        r.variant,
        r.seed,
        r.duration_s,
        r.wall_s,
        ...vm.map((k) => r.vmstat[k] ?? 0),
        p.some.avg10,
        p.some.avg60,
        p.some.avg300,
        p.some.total_us,
        p.full.avg10,
        p.full.avg60,
        p.full.avg300,
        p.full.total_us,
        ...de.map((k) => r.derived[k] ?? 0),
        r.warnings.join('; ')
      ]
        .map(csvCell)
        .join(',')
    )
  }
  return lines.join('\n') + '\n'
}
