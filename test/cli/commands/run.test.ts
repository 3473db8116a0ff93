import { describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { runCommand, parseSeeds } from '../../../src/cli/commands/run'
import { presetsCommand } from '../../../src/cli/commands/presets'
import type { CliIO } from '../../../src/cli/io'
import { applySets, resolvePreset } from '../../../src/sim'
import { SIMULATOR_VERSION } from '../../../src/sim/version'

function capture() {
  const out: string[] = []
  const err: string[] = []
  const files = new Map<string, string>()
  const io: CliIO = {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    writeFile: (p, d) => files.set(p, d)
  }
  return { io, out, err, files, text: () => out.join('') }
}

const FAST = ['--preset', 'twin-eater-512m', '--set', 'duration_s=2.5']

describe('reclaim-lab presets', () => {
  it('lists every preset on one line each', async () => {
    const c = capture()
    expect(await presetsCommand([], c.io)).toBe(0)
    const lines = c.text().trim().split('\n')
    for (const n of [
      'phone-8g-appswitch',
      'memory-eater',
      'server-zswap-build',
      'single-cpu',
      'twin-eater-512m'
    ])
      expect(lines.some((l) => l.startsWith(n + ' '))).toBe(true)
    expect(lines.length).toBe(5)
  })
})

describe('reclaim-lab run', () => {
  it('--format json: simulator_version and runs with kernel-named vmstat keys and derived metrics', async () => {
    const c = capture()
    expect(await runCommand([...FAST, '--seeds', '1-2', '--format', 'json'], c.io)).toBe(0)
    const j = JSON.parse(c.text())
    expect(j.simulator_version).toBe(SIMULATOR_VERSION)
    expect(j.simulator_version).toMatch(/^\d+\.\d+\.\d+$/)
    expect(j.runs).toHaveLength(2)
    const r = j.runs[0]
    expect(Object.keys(r)).toEqual([
      'preset',
      'variant',
      'seed',
      'duration_s',
      'wall_s',
      'vmstat',
      'psi',
      'derived',
      'warnings'
    ])
    expect(r).toMatchObject({
      preset: 'twin-eater-512m',
      variant: 'baseline',
      seed: 1,
      duration_s: 2.5
    })
    for (const k of [
      'allocstall_normal',
      'allocstall_movable',
      'pgscan_kswapd',
      'pgsteal_anon',
      'pswpout',
      'nr_free_pages'
    ])
      expect(typeof r.vmstat[k]).toBe('number')
    expect(r.vmstat.pswpout).toBeGreaterThan(0)
    for (const k of ['pgsteal_anon_per_s', 'kswapd_cpu_pct'])
      expect(typeof r.derived[k]).toBe('number')
    expect(r.psi.some).toHaveProperty('avg10')
    expect(c.err).toEqual([])
  })
  it('--format table prints an mmtests-like summary; csv one row per seed; --out writes the file', async () => {
    const t = capture()
    expect(await runCommand(FAST, t.io)).toBe(0)
    expect(t.text()).toMatch(/^preset twin-eater-512m {2}variant baseline {2}seeds 1\n/)
    expect(t.text()).toMatch(/\npgscan_kswapd +\d+\n/)
    const c = capture()
    expect(
      await runCommand([...FAST, '--seeds', '3,5', '--format', 'csv', '--out', 'x.csv'], c.io)
    ).toBe(0)
    expect(c.text()).toBe('')
    const rows = c.files.get('x.csv')!.trim().split('\n')
    expect(rows).toHaveLength(3)
    expect(rows[0].startsWith('preset,variant,seed,duration_s,wall_s,')).toBe(true)
    expect(rows[2].startsWith('twin-eater-512m,baseline,5,2.5,')).toBe(true)
  })
  it.each([
    [[], /--preset is required/],
    [['--preset', 'nope'], /unknown preset 'nope'/],
    [['--preset', 'single-cpu', '--variant', 'v7'], /--variant v7: unknown variant/],
    [
      ['--preset', 'single-cpu', '--set', 'kernel.vm.swappiness=300'],
      /kernel\.vm\.swappiness: Too big/
    ],
    [['--preset', 'single-cpu', '--set', 'swappines=3'], /swappines/],
    [['--preset', 'single-cpu', '--format', 'xml'], /--format xml/],
    [['--preset', 'single-cpu', '--seeds', '5-2'], /--seeds 5-2/],
    [['--preset', 'single-cpu', '--bogus'], /unknown option --bogus/]
  ])('bad arguments %j: exit 2, one message on stderr, nothing on stdout', async (args, msg) => {
    const c = capture()
    expect(await runCommand(args as string[], c.io)).toBe(2)
    expect(c.out).toEqual([])
    expect(c.err.join('')).toMatch(msg)
    expect(c.err.join('').trim().split('\n').length).toBeLessThanOrEqual(2)
  })
  it('--set accepts full and short unambiguous keys', () => {
    const p = resolvePreset('single-cpu')
    for (const key of [
      'kernel.vm.swappiness',
      'vm.swappiness',
      'kernel.swappiness',
      'swappiness'
    ]) {
      const sc = applySets(p, [`${key}=0`]) as { kernel: { vm: { swappiness: number } } }
      expect(sc.kernel.vm.swappiness).toBe(0)
    }
    expect(() => applySets(p, ['disksize_mb=1'])).not.toThrow()
    expect(() => applySets(p, ['enabled=true'])).toThrow(/ambiguous/)
  })
  it('parses seed lists and ranges', () => {
    expect(parseSeeds('1-3,7')).toEqual([1, 2, 3, 7])
  })
  it('works as a process: npx tsx src/cli/index.ts run … exits 2 on a bad preset', () => {
    const r = spawnSync('npx', ['tsx', 'src/cli/index.ts', 'run', '--preset', 'nope'], {
      encoding: 'utf8'
    })
    expect(r.status).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/unknown preset/)
  })
})
