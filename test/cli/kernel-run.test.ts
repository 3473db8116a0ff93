import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/index'
import { captureIO } from '../helpers/io'
import { kernelSkip, SHORT_TWIN_SETS } from '../helpers/kernel'
import { useTempDir } from '../helpers/tmp'

describe('kernel-run arguments', () => {
  it('asks for what it needs, and refuses a bad accelerator or run count by flag', async () => {
    const io = captureIO()
    expect(await main(['kernel-run', '--db', 'x.sqlite'], io)).toBe(2)
    expect(io.err).toMatch(/--db, --experiment and --label are required/)
    const accel = captureIO()
    const base = ['kernel-run', '--db', 'x.sqlite', '--experiment', '1', '--label', 'k']
    expect(await main([...base, '--accel', 'hvf'], accel)).toBe(2)
    expect(accel.err).toMatch(/--accel hvf: expected kvm or tcg/)
    const runs = captureIO()
    expect(await main([...base, '--runs', '0'], runs)).toBe(2)
    expect(runs.err).toMatch(/--runs: at least 1/)
  })
})

// Boots Debian's packaged kernel in qemu under TCG: one short eater run, stored, then compared
// with the simulated twin through `compare`.
describe.skipIf(kernelSkip)("kernel-run on Debian's kernel", () => {
  const tempDir = useTempDir()
  let cache: string | undefined
  beforeEach(() => {
    cache = process.env.XDG_CACHE_HOME
  })
  afterEach(() => {
    if (cache === undefined) delete process.env.XDG_CACHE_HOME
    else process.env.XDG_CACHE_HOME = cache
  })

  it('stores a real run beside the simulated twin and compares them', async () => {
    const dir = tempDir()
    process.env.XDG_CACHE_HOME = join(dir, 'cache')
    const db = join(dir, 'lab.sqlite')
    const sets = SHORT_TWIN_SETS.flatMap((s) => ['--set', s])
    const sim = captureIO()
    const simArgs = ['run', '--preset', 'twin-eater-512m', ...sets, '--variant', 'baseline']
    expect(await main([...simArgs, '--seeds', '1-2', '--db', db, '--title', 'twin'], sim)).toBe(0)

    const real = captureIO()
    const code = await main(
      ['kernel-run', '--db', db, '--experiment', '1', '--label', 'debian 6.1', '--accel', 'tcg'],
      real
    )
    expect(code, real.err).toBe(0)
    expect(real.err).toMatch(/TCG, as asked/)
    expect(real.out).toMatch(/^1 of 1 kernel run stored as "debian 6.1"/)

    const cmp = captureIO()
    expect(await main(['compare', '--db', db, '--experiment', '1', '--format', 'csv'], cmp)).toBe(0)
    const rows = cmp.out.split('\n')
    const row = (metric: string, group: string): string[] =>
      rows.find((l) => l.split(',')[1] === metric && l.includes(`,${group},`))?.split(',') ?? []
    // Both reclaimed through zram: the real guest's pages went out as the model's did.
    const pswpout = row('pswpout', 'real debian 6.1')
    expect(pswpout.length, cmp.out).toBeGreaterThan(0)
    const header = rows[0].split(',')
    const mean = (cells: string[]): number => Number(cells[header.indexOf('estimate')])
    expect(mean(pswpout)).toBeGreaterThan(10_000)
    expect(mean(row('pswpout', 'simulated baseline'))).toBeGreaterThan(10_000)
    const md = captureIO()
    expect(await main(['compare', '--db', db, '--experiment', '1'], md)).toBe(0)
    expect(md.out.split('\n')[0]).toBe('| Metric | Better | simulated baseline | real debian 6.1 |')
  }, 150_000)
})
