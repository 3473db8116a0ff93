import { describe, expect, it } from 'vitest'
import { groupRuns, type CompareRun } from '../../../src/shared/compare/groups'
import {
  compareWarnings,
  groupWarningLines,
  warningLine
} from '../../../src/shared/compare/warnings'

let nextId = 1
function run(variant: string, seed: number, warnings: unknown, extra: Partial<CompareRun> = {}) {
  return {
    id: nextId++,
    variant,
    seed,
    source: 'simulated',
    label: '',
    sweepPoint: {},
    simulatorVersion: '0.1.0',
    scenario: {},
    result: { warnings } as CompareRun['result'],
    ...extra
  } satisfies CompareRun
}

const IGNORED = 'kernel.vm.page_cluster is not modelled (no swap readahead)'

describe('the compared runs’ warnings', () => {
  it('names the groups and seeds that carry each warning, once per text', () => {
    const groups = groupRuns([
      run('baseline', 1, [IGNORED]),
      run('baseline', 2, [IGNORED]),
      run('proto', 1, [IGNORED, 'never woken', '3 folios locked']),
      run('proto', 2, [IGNORED, 'never woken', 'never woken']),
      run('v2', 1, [])
    ])
    const warnings = compareWarnings(groups)
    expect(warnings.map(warningLine)).toEqual([
      `baseline (all 2 runs); proto (all 2 runs): ${IGNORED}`,
      'proto (all 2 runs): never woken',
      'proto (seed 1): 3 folios locked'
    ])
    expect(groupWarningLines(groups[1])).toEqual([
      IGNORED,
      'never woken',
      'seed 1: 3 folios locked'
    ])
    expect(groupWarningLines(groups[2])).toEqual([])
  })

  it('counts observed runs rather than seeds, and skips results without a warning list', () => {
    const observed = { source: 'observed' as const, label: 'pixel' }
    const groups = groupRuns([
      run('observed', 0, ['No /proc/pressure/memory readings'], observed),
      run('observed', 0, undefined, observed),
      run('baseline', 1, 'not a list')
    ])
    expect(compareWarnings(groups).map(warningLine)).toEqual([
      'pixel (observed) (1 of 2 runs): No /proc/pressure/memory readings'
    ])
    const single = groupRuns([run('v1', 4, ['only one run'])])
    expect(compareWarnings(single).map(warningLine)).toEqual(['v1 (its run): only one run'])
  })
})
