import { describe, expect, it } from 'vitest'
import { groupRuns, type CompareRun } from '../../../src/shared/compare/groups'
import { buildCompareTable } from '../../../src/shared/compare/table'
import {
  armsOf,
  boxOf,
  buildPerSeedOption,
  pairedSeeds
} from '../../../src/renderer/src/charts/per-seed'
import { PALETTES } from '../../../src/renderer/src/charts/palette'

let nextId = 1
const run = (variant: string, seed: number, allocstall: number, extra: Partial<CompareRun> = {}) =>
  ({
    id: nextId++,
    variant,
    seed,
    source: 'simulated',
    label: '',
    sweepPoint: {},
    simulatorVersion: '0.1.0',
    scenario: {},
    result: { derived: { allocstall } },
    ...extra
  }) satisfies CompareRun

describe('a compare metric per seed', () => {
  const table = buildCompareTable(
    groupRuns([
      run('baseline', 1, 100),
      run('baseline', 2, 140),
      run('baseline', 3, 120),
      run('v2', 1, 60),
      run('v2', 3, 90),
      run('observed', 0, 300, { source: 'observed', label: 'pixel' })
    ]),
    'baseline'
  )
  const colors = new Map([
    ['baseline', '#777'],
    ['v2', '#2a2']
  ])
  const arms = armsOf(table, table.rows[0], colors)

  it('keeps each value with its seed, and pairs only seeds simulated groups share', () => {
    expect(arms.map((a) => [a.label, a.paired, [...a.values]])).toEqual([
      [
        'baseline',
        true,
        [
          [1, 100],
          [2, 140],
          [3, 120]
        ]
      ],
      [
        'v2',
        true,
        [
          [1, 60],
          [3, 90]
        ]
      ],
      ['pixel (observed)', false, [[1, 300]]]
    ])
    expect(pairedSeeds(arms)).toEqual([1, 3])
  })

  it('boxes with R type-7 quartiles and joins a seed across the groups that have it', () => {
    expect(boxOf([100, 140, 120])).toEqual([100, 110, 120, 130, 140])
    expect(boxOf([])).toBeNull()
    const option = buildPerSeedOption(arms, PALETTES.dark)
    const series = option.series as Array<{ type: string; name: string; data: unknown[] }>
    expect(series.map((s) => s.name)).toEqual(['quartiles', 'seed 1', 'seed 3', 'seeds'])
    expect(series[1].data).toEqual([100, 60, null])
    expect(series[2].data).toEqual([120, 90, null])
    const dots = series[3].data as Array<{ value: number[] }>
    expect(dots.map((d) => d.value)).toEqual([
      [0, 100, 1],
      [0, 140, 2],
      [0, 120, 3],
      [1, 60, 1],
      [1, 90, 3],
      [2, 300, 1]
    ])
  })
})
