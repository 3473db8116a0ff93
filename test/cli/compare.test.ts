import BetterSqlite3 from 'better-sqlite3'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Papa from 'papaparse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/index'
import { loadMigrations } from '../../src/lab/store/migrations'
import { formatValue } from '../../src/shared/compare/format'
import { COMPARE_METRICS } from '../../src/shared/compare/metrics'
import { captureIO } from '../helpers/io'
import { MIGRATIONS_DIR, useTempDir } from '../helpers/tmp'

interface JsonRun {
  variant: string
  seed: number
  derived: Record<string, number>
}

/** The Markdown table's group cells for the row headed `label` (after its Better column). */
function mdRow(md: string, label: string): string[] {
  const line = md.split('\n').find((l) => l.startsWith(`| ${label} |`))
  if (!line) throw new Error(`no row ${label} in\n${md}`)
  return line
    .slice(1, -1)
    .split(' | ')
    .map((c) => c.trim())
    .slice(2)
}

describe('reclaim-lab compare', () => {
  const tempDir = useTempDir()
  let shared = ''
  let path = ''
  afterAll(() => rmSync(shared, { recursive: true, force: true }))
  let printed: JsonRun[] = []

  beforeAll(async () => {
    // Shared by every test here; useTempDir's folders go after each test.
    shared = mkdtempSync(join(tmpdir(), 'reclaim-lab-compare-'))
    path = join(shared, 'notebook.sqlite')
    const io = captureIO()
    const code = await main(
      [
        'run',
        '--preset',
        'phone-8g-appswitch',
        '--set',
        'duration_s=10',
        '--variant',
        'baseline,v2',
        '--seeds',
        '1-3',
        '--format',
        'json',
        '--db',
        path,
        '--title',
        'v2 on a phone'
      ],
      io
    )
    expect(code, io.err).toBe(0)
    printed = (JSON.parse(io.out) as { runs: JsonRun[] }).runs
  })

  async function compare(...args: string[]) {
    const io = captureIO()
    const code = await main(['compare', '--db', path, '--experiment', '1', ...args], io)
    return { code, out: io.out, err: io.err, files: io.files }
  }

  it('prints the compare table: the mean over seeds against the baseline, with a mark', async () => {
    const { code, out } = await compare()
    expect(code).toBe(0)
    expect(out.split('\n')[0]).toBe('| Metric | Better | baseline | v2 |')
    expect(out).toContain('| allocstall | lower | ')
    const mean = (variant: string) => {
      const values = printed.filter((r) => r.variant === variant).map((r) => r.derived.allocstall)
      return values.reduce((a, b) => a + b, 0) / values.length
    }
    const [base, v2] = mdRow(out, 'allocstall')
    expect(base).toMatch(new RegExp(`^${formatValue(mean('baseline'))} ± [\\d,.]+ \\(0\\.00%\\)$`))
    const change = ((mean('v2') - mean('baseline')) / mean('baseline')) * 100
    expect(v2).toMatch(new RegExp(`^${formatValue(mean('v2'))} ± [\\d,.]+ \\([+-][\\d.]+%\\)[*~]$`))
    expect(Number(/\(([+-][\d.]+)%\)/.exec(v2)![1])).toBeCloseTo(change, 2)
  })

  it('drops a warm-up from the summaries and says so', async () => {
    const whole = await compare()
    const cut = await compare('--warmup', '7')
    expect(cut.out).toContain('the first 7 s of simulated time dropped')
    expect(mdRow(cut.out, 'pgscan_kswapd')[0]).not.toBe(mdRow(whole.out, 'pgscan_kswapd')[0])
  })

  it('writes LaTeX and CSV, with the baseline and groups chosen', async () => {
    const tex = await compare('--format', 'tex', '--baseline', 'v2')
    expect(tex.out).toContain('\\toprule')
    // v2 is the baseline now: its column has the 0.00% change.
    expect(tex.out).toMatch(
      /^allocstall & lower & [^&]+ \([+-][\d.]+\\%\)\S* & [^&]+ \(0\.00\\%\) \\\\$/m
    )
    const csv = await compare('--format', 'csv', '--groups', 'v2', '--out', 'table.csv')
    expect(csv.code).toBe(0)
    const rows = Papa.parse<Record<string, string>>(csv.files.get('table.csv')!, {
      header: true,
      skipEmptyLines: true
    }).data
    expect(new Set(rows.map((r) => r.group))).toEqual(new Set(['v2']))
    expect(rows.length).toBeGreaterThan(COMPARE_METRICS.length / 2)
  })

  it('adds stddev, min and max rows with --spread, as the compare view does', async () => {
    const { code, out } = await compare('--spread')
    expect(code).toBe(0)
    const values = (variant: string) =>
      printed.filter((r) => r.variant === variant).map((r) => r.derived.allocstall)
    expect(mdRow(out, 'allocstall min')).toEqual([
      formatValue(Math.min(...values('baseline'))),
      formatValue(Math.min(...values('v2')))
    ])
    expect(mdRow(out, 'allocstall max')).toEqual([
      formatValue(Math.max(...values('baseline'))),
      formatValue(Math.max(...values('v2')))
    ])
    expect(out).toContain('stddev, min and max of the per-seed values below each mean')
    expect((await compare()).out).not.toContain('allocstall min')
  })

  it('names what is wrong: a missing group, experiment or notebook, or another file', async () => {
    expect(await compare('--groups', 'v1')).toMatchObject({
      code: 2,
      err: 'reclaim-lab compare: no group "v1" in experiment #1 (groups: baseline, v2)\n'
    })
    expect(await compare('--groups', 'v2', '--baseline', 'baseline')).toMatchObject({
      code: 2,
      err: 'reclaim-lab compare: --baseline baseline: not among the compared groups (v2)\n'
    })
    const io = captureIO()
    expect(await main(['compare', '--db', path, '--experiment', '9'], io)).toBe(2)
    expect(io.err).toBe(
      'reclaim-lab compare: Experiment 9 does not exist (it may have been deleted).\n'
    )
    const missing = join(tempDir(), 'none.sqlite')
    expect(await main(['compare', '--db', missing, '--experiment', '1'], io)).toBe(2)
    expect(io.err).toContain(`there is no notebook at ${missing}`)
    const garbage = join(tempDir(), 'garbage.sqlite')
    writeFileSync(garbage, 'not a database '.repeat(200))
    const errors = captureIO()
    expect(await main(['compare', '--db', garbage, '--experiment', '1'], errors)).toBe(1)
    expect(errors.err).toContain(`${garbage} cannot be opened as a notebook`)
    expect(readFileSync(garbage, 'utf8')).toBe('not a database '.repeat(200))
  })

  it('reads an older notebook without upgrading it, and says how to upgrade it', async () => {
    const migrations = loadMigrations(MIGRATIONS_DIR)
    const older = join(tempDir(), 'older.sqlite')
    const db = new BetterSqlite3(older)
    for (const m of migrations.slice(0, -1)) {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    }
    db.close()
    const before = readFileSync(older)
    const io = captureIO()
    expect(await main(['compare', '--db', older, '--experiment', '1'], io)).toBe(2)
    expect(io.err).toContain(
      `${older} has schema version ${migrations.length - 1}; open it once in this Reclaim Lab`
    )
    expect(readFileSync(older).equals(before)).toBe(true)
  })
})
