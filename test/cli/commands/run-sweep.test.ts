import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseSweep } from '../../../src/cli/commands/run-options'
import { main } from '../../../src/cli/index'
import { applySets, resolvePreset, scenarioSchema, VARIANTS } from '../../../src/sim'
import { captureIO } from '../../helpers/io'
import { useTempDir } from '../../helpers/tmp'

const QUICK = ['run', '--preset', 'single-cpu', '--set', 'duration_s=1']

interface JsonRun {
  preset: string
  variant: string
  seed: number
  sweep_point?: Record<string, unknown>
  duration_s: number
  vmstat: Record<string, number>
  derived: Record<string, number>
}

async function runJson(args: string[]): Promise<JsonRun[]> {
  const io = captureIO()
  expect(await main([...args, '--format', 'json'], io)).toBe(0)
  expect(io.err).toBe('')
  return (JSON.parse(io.out) as { runs: JsonRun[] }).runs
}

const identity = (r: JsonRun) => [r.sweep_point, r.variant, r.seed]

describe('reclaim-lab run: variants, sweeps and shards', () => {
  const tempDir = useTempDir()

  it('expands 2 sweep axes × 2 variants × 2 seeds in the app order: point, variant, seed', async () => {
    const runs = await runJson([
      ...QUICK,
      '--variant',
      'v2,baseline',
      '--seeds',
      '1-2',
      '--sweep',
      'kernel.vm.swappiness=60,100',
      '--sweep',
      'kernel.vm.page_cluster=0,3'
    ])
    const expected: unknown[] = []
    for (const swappiness of [60, 100])
      for (const cluster of [0, 3])
        for (const variant of ['v2', 'baseline'])
          for (const seed of [1, 2])
            expected.push([
              { 'kernel.vm.swappiness': swappiness, 'kernel.vm.page_cluster': cluster },
              variant,
              seed
            ])
    expect(runs.map(identity)).toEqual(expected)
    expect(Object.keys(runs[0]).slice(0, 5)).toEqual([
      'preset',
      'variant',
      'seed',
      'sweep_point',
      'duration_s'
    ])
  })

  it('shards 1/3, 2/3 and 3/3 are disjoint and together are exactly the unsharded runs', async () => {
    const args = [...QUICK, '--variant', 'baseline,v2', '--seeds', '1-3']
    const sweep = ['--sweep', 'kernel.vm.swappiness=60,100']
    const all = (await runJson([...args, ...sweep])).map(identity)
    expect(all).toHaveLength(12)
    const shards = []
    for (const i of [1, 2, 3])
      shards.push((await runJson([...args, ...sweep, '--shard', `${i}/3`])).map(identity))
    shards.forEach((shard, i) => expect(shard).toEqual(all.filter((_, j) => j % 3 === i)))
    const keys = shards.flat().map((r) => JSON.stringify(r))
    expect(new Set(keys).size).toBe(12)
    expect(keys.sort()).toEqual(all.map((r) => JSON.stringify(r)).sort())
  })

  it('runs a shard exactly as the unsharded batch runs it (same metrics)', async () => {
    const args = ['run', '--preset', 'twin-eater-512m', '--set', 'duration_s=2']
    const sweep = ['--variant', 'baseline,v2', '--sweep', 'kernel.vm.watermark_scale_factor=10,200']
    const all = await runJson([...args, ...sweep])
    const second = await runJson([...args, ...sweep, '--shard', '2/2'])
    expect(second.map(identity)).toEqual([all[1], all[3]].map(identity))
    expect(second.map((r) => r.vmstat)).toEqual([all[1].vmstat, all[3].vmstat])
    expect(all[1].vmstat.pswpout).not.toBe(all[0].vmstat.pswpout)
  })

  it('an empty shard prints no runs and says so', async () => {
    const io = captureIO()
    expect(await main([...QUICK, '--seeds', '1-2', '--shard', '3/3', '--format', 'json'], io)).toBe(
      0
    )
    expect(JSON.parse(io.out).runs).toEqual([])
    expect(io.err).toBe('shard 3/3 holds no runs\n')
  })

  it('--variant takes comma lists and repeats; an unknown name is refused with the list', async () => {
    const runs = await runJson([...QUICK, '--variant', 'baseline,v2', '--variant', 'v1,v2'])
    expect(runs.map((r) => r.variant)).toEqual(['baseline', 'v2', 'v1'])
    expect((await runJson(QUICK)).map((r) => r.variant)).toEqual(['baseline'])
    const io = captureIO()
    expect(await main([...QUICK, '--variant', 'v2,v9'], io)).toBe(2)
    expect(io.err).toBe(
      `reclaim-lab run: --variant v9: unknown variant (available: ${Object.keys(VARIANTS).join(', ')})\n`
    )
    expect(io.out).toBe('')
  })

  it.each([
    ['3/2', '--shard 3/2: i must be from 1 to n (3 is not in 1..2)'],
    ['0/4', '--shard 0/4: i must be from 1 to n (0 is not in 1..4)'],
    ['x', '--shard x: expected i/n, such as 2/8'],
    ['1/', '--shard 1/: expected i/n, such as 2/8']
  ])('--shard %s is refused by name with exit code 2', async (shard, message) => {
    const io = captureIO()
    expect(await main([...QUICK, '--shard', shard], io)).toBe(2)
    expect(io.err).toBe(`reclaim-lab run: ${message}\n`)
    expect(io.out).toBe('')
  })

  it('reads sweep values as the app does: numbers, ranges, booleans and text', () => {
    expect(
      parseSweep(['kernel.vm.swappiness=0:100:50', 'variant.dispatch=first_fit,per_node'])
    ).toEqual([
      { knob: 'kernel.vm.swappiness', values: [0, 50, 100] },
      { knob: 'variant.dispatch', values: ['first_fit', 'per_node'] }
    ])
    expect(parseSweep(['check_invariants=true,false'])[0].values).toEqual([true, false])
  })

  it.each([
    [['--sweep', 'a=1', '--sweep', 'b=1', '--sweep', 'c=1'], '--sweep: at most two knobs, got 3'],
    [['--sweep', 'swappiness'], '--sweep swappiness: expected knob=v1,v2,…'],
    [['--sweep', 'swappiness=10:0:5'], '--sweep swappiness=10:0:5: the range must go up'],
    [
      ['--sweep', 'kernel.vm.swappiness=1', '--sweep', 'kernel.vm.swappiness=2'],
      '--sweep kernel.vm.swappiness: the two axes sweep the same knob'
    ],
    [
      ['--sweep', 'kernel.vm.swappiness=60,300'],
      'The scenario is not valid (sweep point {"kernel.vm.swappiness":300}): ' +
        'scenario.kernel.vm.swappiness: Too big: expected number to be <=200'
    ]
  ])('a bad sweep %j exits 2 naming it', async (args, message) => {
    const io = captureIO()
    expect(await main([...QUICK, ...args], io)).toBe(2)
    expect(io.err).toBe(`reclaim-lab run: ${message}\n`)
    expect(io.out).toBe('')
  })

  it('table: a block per sweep point headed by its knob values; csv: a column per knob', async () => {
    const args = [...QUICK, '--variant', 'baseline,v2', '--seeds', '1-2']
    const sweep = ['--sweep', 'kernel.vm.swappiness=60,100']
    const table = captureIO()
    expect(await main([...args, ...sweep], table)).toBe(0)
    const lines = table.out.split('\n')
    const headers = lines.filter((l) => l.startsWith('preset '))
    expect(headers).toEqual([
      'preset single-cpu  kernel.vm.swappiness=60  variants baseline,v2  seeds 1,2',
      'preset single-cpu  kernel.vm.swappiness=100  variants baseline,v2  seeds 1,2'
    ])
    expect(lines[1].trim().split(/\s+/)).toEqual([
      'baseline#1',
      'baseline#2',
      'mean',
      'v2#1',
      'v2#2',
      'mean'
    ])
    const csv = captureIO()
    expect(await main([...args, ...sweep, '--format', 'csv'], csv)).toBe(0)
    const rows = csv.out.trim().split('\n')
    expect(rows).toHaveLength(9)
    expect(rows[0].startsWith('preset,variant,seed,kernel.vm.swappiness,duration_s,wall_s,')).toBe(
      true
    )
    expect(rows.slice(1).map((r) => r.split(',').slice(0, 4).join(','))).toEqual([
      'single-cpu,baseline,1,60',
      'single-cpu,baseline,2,60',
      'single-cpu,v2,1,60',
      'single-cpu,v2,2,60',
      'single-cpu,baseline,1,100',
      'single-cpu,baseline,2,100',
      'single-cpu,v2,1,100',
      'single-cpu,v2,2,100'
    ])
  })

  it('--scenario FILE runs the app’s scenario JSON as the preset it came from, --set on top', async () => {
    const file = join(tempDir(), 'scenario-3.json')
    const scenario = scenarioSchema.parse(
      applySets(resolvePreset('twin-eater-512m'), ['duration_s=2'])
    )
    writeFileSync(file, `${JSON.stringify(scenario, null, 2)}\n`)
    const fromFile = await runJson(['run', '--scenario', file, '--variant', 'v2'])
    const fromPreset = await runJson([
      'run',
      '--preset',
      'twin-eater-512m',
      '--set',
      'duration_s=2',
      '--variant',
      'v2'
    ])
    expect(fromFile[0].preset).toBe(file)
    expect(fromFile[0].vmstat).toEqual(fromPreset[0].vmstat)
    expect(fromFile[0].vmstat.pswpout).toBeGreaterThan(0)
    const shorter = await runJson(['run', '--scenario', file, '--set', 'duration_s=1'])
    expect(shorter[0].duration_s).toBe(1)
    const table = captureIO()
    expect(await main(['run', '--scenario', file], table)).toBe(0)
    expect(table.out.split('\n')[0]).toBe(`scenario ${file}  variant baseline  seeds 1`)
  })

  it('--scenario refuses bad JSON or an out-of-range field, naming the file and field', async () => {
    const dir = tempDir()
    const broken = join(dir, 'broken.json')
    writeFileSync(broken, '{"duration_s": 2,')
    const tooBig = join(dir, 'too-big.json')
    const scenario = scenarioSchema.parse(resolvePreset('single-cpu'))
    writeFileSync(tooBig, JSON.stringify({ ...scenario, duration_s: -1 }))
    const bad = captureIO()
    expect(await main(['run', '--scenario', broken], bad)).toBe(2)
    expect(bad.err).toMatch(
      new RegExp(`^reclaim-lab run: --scenario ${broken}: not valid JSON \\(`)
    )
    const range = captureIO()
    expect(await main(['run', '--scenario', tooBig], range)).toBe(2)
    expect(range.err).toBe(
      `reclaim-lab run: --scenario ${tooBig}: duration_s: Too small: expected number to be >0\n`
    )
    const both = captureIO()
    expect(await main(['run', '--scenario', tooBig, '--preset', 'single-cpu'], both)).toBe(2)
    expect(both.err).toBe('reclaim-lab run: give --preset or --scenario, not both\n')
    expect(bad.out + range.out + both.out).toBe('')
  })
})
