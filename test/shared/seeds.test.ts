import { describe, expect, it } from 'vitest'
import { parseSeeds as cliSeeds, parseRunOptions } from '../../src/cli/commands/run-options'
import { runStartInput } from '../../src/shared/schemas'
import { MAX_RUNS_PER_BATCH, MAX_SEED, parseSeeds } from '../../src/shared/seeds'

const start = (seeds: unknown, extra: object = {}) =>
  runStartInput.safeParse({ experimentId: 1, variants: ['baseline'], seeds, ...extra })

describe('one seed grammar and range for the app, the API and the CLI', () => {
  it('reads lists and ranges, each seed once, in the order given', () => {
    expect(parseSeeds('3, 1-3,9')).toEqual([3, 1, 2, 9])
    expect(parseSeeds(`${MAX_SEED - 1}-${MAX_SEED}`)).toEqual([MAX_SEED - 1, MAX_SEED])
  })

  it('refuses seeds past 2^32 - 1 at once, without counting up to them', () => {
    const t0 = performance.now()
    expect(parseSeeds('9007199254740993')).toMatch(/from 1 to 4294967295/)
    expect(parseSeeds('1000000000000000000')).toMatch(/from 1 to 4294967295/)
    expect(parseSeeds(`${MAX_SEED}-${MAX_SEED + 1}`)).toMatch(/from 1 to 4294967295/)
    expect(performance.now() - t0).toBeLessThan(50)
  })

  it('refuses 0, empty parts and batches over the cap', () => {
    expect(parseSeeds('0')).toMatch(/from 1/)
    expect(parseSeeds('1,,2')).toMatch(/"" is not a seed/)
    expect(parseSeeds(`1-${MAX_RUNS_PER_BATCH + 1}`)).toMatch(/more than 10000 seeds/)
    // Many small ranges add up too.
    const parts = Array.from({ length: 11 }, (_, i) => `${i * 1000 + 1}-${i * 1000 + 1000}`)
    expect(parseSeeds(parts.join(','))).toMatch(/more than 10000 seeds/)
  })

  it('the API refuses what the grammar refuses, as text or as a list', () => {
    expect(start('9007199254740993').success).toBe(false)
    expect(start([2 ** 53 + 1]).success).toBe(false)
    expect(start([0]).success).toBe(false)
    expect(start([MAX_SEED]).success).toBe(true)
    const big = start('1-5000', { variants: ['baseline', 'v1', 'v2'] })
    expect(big.success).toBe(false)
    expect(big.error?.issues[0].message).toBe(`a batch holds at most ${MAX_RUNS_PER_BATCH} runs`)
  })

  it('the CLI refuses the same seeds and batch sizes with a usage error', () => {
    expect(() => cliSeeds('0')).toThrow(/--seeds 0: .*from 1 to 4294967295/)
    expect(() => cliSeeds('1000000000000000000')).toThrow(/from 1 to 4294967295/)
    expect(cliSeeds('1-3')).toEqual([1, 2, 3])
    expect(() =>
      parseRunOptions([
        '--preset',
        'single-cpu',
        '--seeds',
        '1-5000',
        '--variant',
        'baseline,v1,v2'
      ])
    ).toThrow(/the batch holds 15000 runs .* at most 10000/)
  })
})
