import { describe, expect, it } from 'vitest'
import { batchLabel } from '../../src/renderer/src/batch-label'

describe('the batch the run controls would start, in words', () => {
  it('names the chosen variants and counts seeds and sweep points', () => {
    expect(batchLabel({ variants: ['baseline'], seeds: '1-10', axes: [] })).toBe(
      'Run baseline × 10 seeds'
    )
    expect(batchLabel({ variants: ['baseline', 'v1', 'proto'], seeds: '1-5', axes: [] })).toBe(
      'Run baseline, v1 and proto × 5 seeds'
    )
    expect(
      batchLabel({
        variants: ['v2'],
        seeds: '7',
        axes: [{ knob: 'kernel.vm.swappiness', values: '0:200:50' }]
      })
    ).toBe('Run v2 × 1 seed × 5 sweep points')
  })

  it('says nothing while the controls cannot start a batch', () => {
    expect(batchLabel({ variants: [], seeds: '1-10', axes: [] })).toBeNull()
    expect(batchLabel({ variants: ['v2'], seeds: '5-2', axes: [] })).toBeNull()
    expect(
      batchLabel({ variants: ['v2'], seeds: '1', axes: [{ knob: null, values: '1,2' }] })
    ).toBeNull()
  })
})
