import { describe, expect, it } from 'vitest'
import { parseSweepValues } from '../../../src/shared/sweep'
import { EtaTracker } from '../../../src/renderer/src/stores/eta'

describe('ETA from observed progress', () => {
  it('extrapolates a run from the first progress it saw', () => {
    const eta = new EtaTracker()
    eta.observe(1, 0.1, 10_000)
    expect(eta.runEta(1, 0.1, 10_000)).toBeNull()
    // 0.1 → 0.3 in 4 s: 20 s per run, 70% left → 14 s.
    expect(eta.runEta(1, 0.3, 14_000)).toBeCloseTo(14, 6)
    expect(eta.runEta(2, 0.5, 14_000)).toBeNull()
  })
})

describe('sweep values', () => {
  it('reads lists and start:end:step ranges', () => {
    expect(parseSweepValues('0, 60,100')).toEqual([0, 60, 100])
    expect(parseSweepValues('0:200:50')).toEqual([0, 50, 100, 150, 200])
    expect(parseSweepValues('0.1:0.3:0.1')).toEqual([0.1, 0.2, 0.3])
    expect(parseSweepValues('lz4,zstd,true')).toEqual(['lz4', 'zstd', true])
    expect(parseSweepValues('0:1000:1')).toBe('1001 values: at most 100')
    expect(parseSweepValues('5:1:1')).toBe('the range must go up')
  })
})
