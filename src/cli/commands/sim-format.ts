import type { RunResult } from '../../shared/result'

export type SweepPoint = Record<string, number | string | boolean>

/** One run as printed by `run --format json` (a stable contract; `sweep_point` only in sweeps). */
export interface RunRow {
  preset: string
  variant: string
  seed: number
  sweep_point?: SweepPoint
  duration_s: number
  wall_s: number
  vmstat: Record<string, number>
  psi: RunResult['psi']
  derived: Record<string, number>
  warnings: string[]
}

export function toRow(
  preset: string,
  r: RunResult,
  wall_s: number,
  sweepPoint?: SweepPoint
): RunRow {
  return {
    preset,
    variant: r.variant,
    seed: r.seed,
    ...(sweepPoint ? { sweep_point: sweepPoint } : {}),
    duration_s: r.duration_s,
    wall_s: Math.round(wall_s * 1000) / 1000,
    vmstat: r.vmstat,
    psi: r.psi,
    derived: r.derived,
    warnings: r.warnings
  }
}

function csvCell(v: string | number | boolean): string {
  const s = String(v)
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** One CSV row per run: identity (with a column per swept knob), vmstat, psi, derived columns. */
export function formatCsv(rows: RunRow[]): string {
  if (rows.length === 0) return ''
  const knobs = Object.keys(rows[0].sweep_point ?? {})
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
    ...knobs,
    'duration_s',
    'wall_s',
    ...vm,
    ...psi.map((p) => `psi_${p}`),
    ...de,
    'warnings'
  ]
  const lines = [header.map(csvCell).join(',')]
  for (const r of rows) {
    const p = r.psi
    lines.push(
      [
        r.preset,
        r.variant,
        r.seed,
        ...knobs.map((k) => r.sweep_point?.[k] ?? ''),
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
