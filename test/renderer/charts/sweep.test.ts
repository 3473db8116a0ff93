import { describe, expect, it } from 'vitest'
import { sweepKnobs, sweepLineOption, sweepPoints } from '../../../src/renderer/src/charts/sweep'
import { PALETTES } from '../../../src/renderer/src/charts/palette'
import { groupRuns, type CompareRun } from '../../../src/shared/compare/groups'
import { COMPARE_METRICS } from '../../../src/shared/compare/metrics'

let nextId = 1
const run = (
  variant: string,
  seed: number,
  swappiness: number,
  allocstall: number
): CompareRun => ({
  id: nextId++,
  variant,
  seed,
  source: 'simulated',
  label: '',
  sweepPoint: { 'kernel.vm.swappiness': swappiness },
  simulatorVersion: '0.1.0',
  scenario: {},
  result: { derived: { allocstall } }
})

const allocstall = COMPARE_METRICS.find((m) => m.key === 'allocstall')!

describe('sweep charts', () => {
  const groups = groupRuns([
    run('baseline', 1, 60, 10),
    run('baseline', 2, 60, 14),
    run('baseline', 1, 100, 20),
    run('baseline', 2, 100, 20),
    run('v1', 1, 60, 4),
    run('v1', 2, 60, 6)
  ])

  it('gives one point per variant and knob value: mean and 95% t-interval over seeds', () => {
    expect(sweepKnobs(groups)).toEqual(['kernel.vm.swappiness'])
    const points = sweepPoints(groups, allocstall)
    expect(points.map((p) => [p.variant, p.knobs['kernel.vm.swappiness'], p.n, p.mean])).toEqual([
      ['baseline', 60, 2, 12],
      ['baseline', 100, 2, 20],
      ['v1', 60, 2, 5]
    ])
    // 10 and 14: sd 2.828, t(0.975, 1) = 12.706: 12 ± 25.41.
    expect(points[0].hi - points[0].mean).toBeCloseTo(25.412, 2)
    expect(points[1].lo).toBe(20)
  })

  it('draws a line per variant over the knob, sorted by its value, with error bars', () => {
    const option = sweepLineOption(
      sweepPoints(groups, allocstall),
      'kernel.vm.swappiness',
      allocstall,
      () => '#000',
      PALETTES.light
    )
    const series = option.series as Array<{ type: string; name: string; data: number[][] }>
    expect(series.map((s) => [s.type, s.name])).toEqual([
      ['line', 'baseline'],
      ['custom', 'baseline'],
      ['line', 'v1'],
      ['custom', 'v1']
    ])
    expect(series[0].data).toEqual([
      [60, 12],
      [100, 20]
    ])
  })

  it('puts a knob of words (a dispatch policy) on a category axis', () => {
    const policy = (variant: string, value: string, x: number): CompareRun => ({
      ...run(variant, 1, 0, x),
      sweepPoint: { 'variant.dispatch': value }
    })
    const points = sweepPoints(
      groupRuns([policy('custom', 'first_fit', 3), policy('custom', 'round_robin', 5)]),
      allocstall
    )
    const option = sweepLineOption(
      points,
      'variant.dispatch',
      allocstall,
      () => '#000',
      PALETTES.light
    )
    expect(option.xAxis).toMatchObject({ type: 'category', data: ['first_fit', 'round_robin'] })
    expect((option.series as Array<{ data: unknown[] }>)[0].data).toEqual([
      ['first_fit', 3],
      ['round_robin', 5]
    ])
  })
})
