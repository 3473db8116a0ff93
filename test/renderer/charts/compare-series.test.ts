import { describe, expect, it } from 'vitest'
import { buildCompareOption, lineName } from '../../../src/renderer/src/charts/compare-options'
import {
  bandOf,
  COMPARE_SERIES,
  groupDashes,
  rollingMean,
  type SeedLine
} from '../../../src/renderer/src/charts/compare-series'
import { PALETTES } from '../../../src/renderer/src/charts/palette'

const T = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6]

describe('the compare charts', () => {
  it('smooths with a centred rolling mean over a window of simulated time, skipping gaps', () => {
    expect(rollingMean(T, [null, 2, 4, 6, 8, 10, 12], 0)).toEqual([null, 2, 4, 6, 8, 10, 12])
    // 0.2 s: each sample with the ones 0.1 s either side.
    expect(rollingMean(T, [null, 2, 4, 6, 8, 10, 12], 0.2)).toEqual([null, 3, 4, 6, 8, 10, 11])
    // A gap inside the window is skipped, not counted as zero.
    expect(rollingMean(T, [0, 3, null, 9, 0, 0, 0], 0.4)).toEqual([1.5, 4, null, 3, 2.25, 2.25, 0])
  })

  it('draws the baseline solid and gives every other group its own dash', () => {
    const dashes = groupDashes(['v1', 'baseline', 'proto', 'v2'], 'baseline')
    expect(dashes.get('baseline')).toBe('solid')
    expect(dashes.get('v1')).toEqual([7, 3])
    expect(dashes.get('proto')).toEqual([2, 2])
    expect(dashes.get('v2')).toEqual([9, 3, 2, 3])
    // With no baseline shown, no group is drawn solid.
    expect([...groupDashes(['v1', 'v2'], 'baseline').values()]).toEqual([
      [7, 3],
      [2, 2]
    ])
  })

  it('states the smoothing in the legend, keeps the baseline under the others and the bands visible', () => {
    const seeds = (offset: number): SeedLine[] =>
      [1, 2].map((seed) => ({
        runId: seed,
        seed,
        t_s: T,
        data: T.map((t) => 40 + offset + seed + t * 100)
      }))
    const psi = COMPARE_SERIES.find((m) => m.id === 'psi')!
    const base = {
      ...bandOf('baseline', 'baseline', '#777', seeds(0)),
      baseline: true,
      dash: 'solid' as const
    }
    const proto = { ...bandOf('proto', 'proto', '#c33', seeds(0)), dash: [2, 2] }
    const option = buildCompareOption(psi, [base, proto], {
      palette: PALETTES.light,
      showSeeds: false,
      annotations: [],
      xMax: 0.6,
      slider: false,
      smoothingS: 1
    })
    expect(lineName(proto, 1)).toBe('proto (rolling mean 1 s)')
    expect((option.legend as { data: string[] }).data).toEqual([
      'baseline (rolling mean 1 s)',
      'proto (rolling mean 1 s)'
    ])
    interface Drawn {
      name: string
      z: number
      lineStyle: unknown
      areaStyle?: { opacity: number }
    }
    const series = option.series as Drawn[]
    const line = (name: string) => series.find((s) => s.name === name)!
    const baseLine = line('baseline (rolling mean 1 s)')
    const protoLine = line('proto (rolling mean 1 s)')
    expect(baseLine.lineStyle).toEqual({ width: 3, type: 'solid' })
    expect(protoLine.lineStyle).toEqual({ width: 1.8, type: [2, 2] })
    expect(baseLine.z).toBeLessThan(protoLine.z)
    expect(line('proto 95% CI').areaStyle!.opacity).toBeGreaterThanOrEqual(0.2)
    // A share of time up to 100%: ticks every 25, so 90% and 100% never share a line.
    expect(option.yAxis).toMatchObject({ max: 100, interval: 25, axisLabel: { hideOverlap: true } })
  })
})
