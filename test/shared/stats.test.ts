import { describe, expect, it } from 'vitest'
import {
  harmonicInterval,
  harmonicMean,
  mannWhitney,
  mean,
  pairedT,
  quantile,
  sampleSd,
  tInterval,
  welchT,
  wilcoxonSignedRank
} from '../../src/shared/stats'

// Reference values are R's output for the cited examples, each re-derived by hand (shown in the
// comments) and cross-checked against scipy 1.17 (ttest_rel, ttest_ind, wilcoxon, mannwhitneyu).

// R's `sleep` data: extra hours of sleep under two drugs, the same ten patients.
const sleep1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
const sleep2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]

// ?wilcox.test, Hollander & Wolfe: depression scale before (x) and after (y) therapy.
const depressionX = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3]
const depressionY = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]

// ?wilcox.test, two-sample example (Hollander & Wolfe).
const hwX = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
const hwY = [1.15, 0.88, 0.9, 0.74, 1.21]

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe('summaries', () => {
  it('mean and sample sd', () => {
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5)
    expect(sampleSd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12)
    expect(mean([0.1, 0.1, 0.1])).toBe(0.1)
    expect(sampleSd([0.1, 0.1, 0.1])).toBe(0)
    expect(mean([])).toBeNaN()
    expect(sampleSd([3])).toBeNaN()
  })

  it('harmonic mean of rates, NaN for empty or non-positive input', () => {
    expect(harmonicMean([40, 60])).toBeCloseTo(48, 12)
    expect(harmonicMean([1, 2, 4])).toBeCloseTo(12 / 7, 12)
    expect(harmonicMean([])).toBeNaN()
    expect(harmonicMean([40, 0])).toBeNaN()
    expect(harmonicMean([40, -60])).toBeNaN()
  })

  it('quantiles match R type 7', () => {
    const xs = range(1, 10)
    // quantile(1:10, c(0.9, 0.5, 0.99)): 1 + 9p interpolated -> 9.1, 5.5, 9.91
    expect(quantile(xs, 0.9)).toBeCloseTo(9.1, 12)
    expect(quantile(xs, 0.5)).toBeCloseTo(5.5, 12)
    expect(quantile(xs, 0.99)).toBeCloseTo(9.91, 12)
    expect(quantile(xs, 0)).toBe(1)
    expect(quantile(xs, 1)).toBe(10)
    // Order of input does not matter; the input is not mutated.
    const shuffled = [7, 3, 10, 1, 9, 2, 8, 4, 6, 5]
    expect(quantile(shuffled, 0.9)).toBeCloseTo(9.1, 12)
    expect(shuffled[0]).toBe(7)
    expect(quantile([4], 0.99)).toBe(4)
    expect(quantile([], 0.5)).toBeNaN()
    expect(quantile(xs, 1.5)).toBeNaN()
  })
})

describe('tInterval', () => {
  it('t.test(1:10): mean 5.5, 95% CI 3.334149 to 7.665851', () => {
    // sd = 3.02765, se = 0.957427, qt(0.975, 9) = 2.262157 -> half-width 2.165851
    const ci = tInterval(range(1, 10))
    expect(ci.estimate).toBe(5.5)
    expect(ci.n).toBe(10)
    expect(ci.sd).toBeCloseTo(3.02765, 5)
    expect(ci.halfWidth).toBeCloseTo(2.165851, 5)
    expect(ci.lo).toBeCloseTo(3.334149, 5)
    expect(ci.hi).toBeCloseTo(7.665851, 5)
  })

  it('honours the level: 90% uses qt(0.95, 9) = 1.833113', () => {
    const ci = tInterval(range(1, 10), 0.9)
    expect(ci.halfWidth).toBeCloseTo(1.833113 * 0.957427, 5)
  })

  it('one value: the value with NaN ends; no values: all NaN', () => {
    expect(tInterval([7])).toMatchObject({ estimate: 7, n: 1 })
    expect(tInterval([7]).lo).toBeNaN()
    expect(tInterval([7]).hi).toBeNaN()
    expect(tInterval([7]).halfWidth).toBeNaN()
    expect(tInterval([]).estimate).toBeNaN()
  })

  it('a constant sample collapses to the point', () => {
    expect(tInterval([0.3, 0.3, 0.3])).toEqual({
      estimate: 0.3,
      lo: 0.3,
      hi: 0.3,
      n: 3,
      sd: 0,
      halfWidth: 0
    })
  })

  it('rejects a level outside (0, 1)', () => {
    expect(() => tInterval([1, 2, 3], 95)).toThrow(RangeError)
  })
})

describe('harmonicInterval', () => {
  it('inverts the t-interval of the reciprocals', () => {
    // 1/x: mean 0.0204141, sd 0.0032976; qt(0.975, 4) = 2.776445 -> [0.0163196, 0.0245086]
    const ci = harmonicInterval([40, 50, 60, 45, 55])
    expect(ci.estimate).toBeCloseTo(48.98565, 4)
    expect(ci.lo).toBeCloseTo(40.80184, 4)
    expect(ci.hi).toBeCloseTo(61.27606, 4)
    expect(ci.n).toBe(5)
  })

  it('hi is Infinity when the reciprocal interval reaches zero', () => {
    // 1/x: mean 0.0208333, se 0.0041667, qt(0.975, 1) = 12.7062 -> [-0.0321092, 0.0737759]
    const ci = harmonicInterval([40, 60])
    expect(ci.estimate).toBeCloseTo(48, 10)
    expect(ci.lo).toBeCloseTo(13.55457, 4)
    expect(ci.hi).toBe(Infinity)
  })

  it('NaN for non-positive rates; NaN ends for a single rate', () => {
    expect(harmonicInterval([40, 0, 60]).estimate).toBeNaN()
    const one = harmonicInterval([40])
    expect(one.estimate).toBe(40)
    expect(one.lo).toBeNaN()
    expect(one.hi).toBeNaN()
  })
})

describe('pairedT', () => {
  it('sleep, paired: t = -4.0621, df = 9, p = 0.002833, CI -2.4598858 to -0.7001142', () => {
    // R reports group 1 - group 2, so group 2 is the baseline here.
    const r = pairedT(sleep2, sleep1)
    expect(r.test).toBe('paired-t')
    expect(r.statistic).toBeCloseTo(-4.0621, 4)
    expect(r.df).toBe(9)
    expect(r.n).toBe(10)
    expect(r.p).toBeCloseTo(0.002833, 6)
    expect(r.diff.estimate).toBeCloseTo(-1.58, 12)
    expect(r.diff.lo).toBeCloseTo(-2.4598858, 6)
    expect(r.diff.hi).toBeCloseTo(-0.7001142, 6)
  })

  it('is antisymmetric in the order of the variants', () => {
    const r = pairedT(sleep1, sleep2)
    expect(r.statistic).toBeCloseTo(4.0621, 4)
    expect(r.p).toBeCloseTo(0.002833, 6)
    expect(r.diff.lo).toBeCloseTo(0.7001142, 6)
  })

  it('constant non-zero differences: p = 0 and the interval is the point', () => {
    const r = pairedT([1, 2, 3], [3, 4, 5])
    expect(r.p).toBe(0)
    expect(r.statistic).toBe(Infinity)
    expect(r.diff).toEqual({ estimate: 2, lo: 2, hi: 2 })
  })

  it('identical samples: p = 1, t = 0, interval the point 0', () => {
    const r = pairedT(sleep1, sleep1)
    expect(r.p).toBe(1)
    expect(r.statistic).toBe(0)
    expect(r.diff).toEqual({ estimate: 0, lo: 0, hi: 0 })
  })

  it('one pair: the difference with NaN ends, NaN statistic and p', () => {
    const r = pairedT([1], [3])
    expect(r.diff.estimate).toBe(2)
    expect(r.diff.lo).toBeNaN()
    expect(r.statistic).toBeNaN()
    expect(r.p).toBeNaN()
    expect(r.n).toBe(1)
    expect(pairedT([], []).p).toBeNaN()
  })

  it('refuses samples of different lengths', () => {
    expect(() => pairedT([1, 2], [1, 2, 3])).toThrow(RangeError)
  })
})

describe('welchT', () => {
  it('sleep, unpaired: t = -1.8608, df = 17.776, p = 0.07939, CI -3.3654832 to 0.2054832', () => {
    const r = welchT(sleep2, sleep1)
    expect(r.test).toBe('welch')
    expect(r.statistic).toBeCloseTo(-1.8608, 4)
    expect(r.df).toBeCloseTo(17.776, 3)
    expect(r.p).toBeCloseTo(0.07939, 5)
    expect(r.n).toBe(20)
    expect(r.diff.estimate).toBeCloseTo(-1.58, 12)
    expect(r.diff.lo).toBeCloseTo(-3.3654832, 6)
    expect(r.diff.hi).toBeCloseTo(0.2054832, 6)
  })

  it('both samples constant: p = 0 for different values, 1 for the same', () => {
    const apart = welchT([1, 1, 1], [2, 2])
    expect(apart.p).toBe(0)
    expect(apart.diff).toEqual({ estimate: 1, lo: 1, hi: 1 })
    expect(welchT([1, 1, 1], [1, 1]).p).toBe(1)
  })

  it('identical samples: t = 0, p = 1', () => {
    const r = welchT(sleep1, sleep1)
    expect(r.statistic).toBe(0)
    // jstat's t distribution is accurate to about 1e-8, so p is 1 only to that precision.
    expect(r.p).toBeCloseTo(1, 6)
  })

  it('a sample of fewer than two: NaN', () => {
    const r = welchT([1], [2, 3, 4])
    expect(r.statistic).toBeNaN()
    expect(r.p).toBeNaN()
    expect(r.diff.estimate).toBe(2)
    expect(r.diff.lo).toBeNaN()
  })
})

describe('wilcoxonSignedRank', () => {
  it('depression, paired: V = 40, p = 0.03906 (exact)', () => {
    // d = x - y has no ties; V = 40 of 45, so p = 2 P(V <= 5) = 2 * 10 / 2^9 = 0.0390625.
    const r = wilcoxonSignedRank(depressionY, depressionX)
    expect(r).toMatchObject({ test: 'wilcoxon', statistic: 40, exact: true, n: 9 })
    expect(r.p).toBeCloseTo(0.0390625, 10)
    expect(wilcoxonSignedRank(depressionX, depressionY)).toMatchObject({ statistic: 5 })
    expect(wilcoxonSignedRank(depressionX, depressionY).p).toBeCloseTo(0.0390625, 10)
  })

  it('sleep, paired (a zero and a tie): V = 0, p = 0.009091 (normal approximation)', () => {
    // Nine non-zero differences, one tied pair (1.3): sigma = sqrt(9*10*19/24 - 6/48) = 8.43357,
    // z = (0 - 22.5 + 0.5) / sigma = -2.60862, p = 2 * pnorm(-2.60862).
    const r = wilcoxonSignedRank(sleep2, sleep1)
    expect(r).toMatchObject({ statistic: 0, exact: false, n: 9 })
    expect(r.p).toBeCloseTo(0.009091, 6)
  })

  it('hand-computed tie case: d = 1, 2, 2, -3 gives V = 6, p = 0.85392', () => {
    // Ranks 1, 2.5, 2.5, 4; sigma = sqrt(4*5*9/24 - 6/48) = 2.71570;
    // z = (6 - 5 - 0.5) / sigma = 0.184115; 2 * (1 - pnorm(0.184115)) = 0.853923.
    const r = wilcoxonSignedRank([0, 0, 0, 0], [1, 2, 2, -3])
    expect(r).toMatchObject({ statistic: 6, exact: false, n: 4 })
    expect(r.p).toBeCloseTo(0.853923, 5)
  })

  it('a zero difference forces the normal approximation, as in R', () => {
    // Depression plus one unchanged patient: still V = 40 on n = 9, but
    // z = (40 - 22.5 - 0.5) / sqrt(71.25) = 2.01399, p = 0.044011.
    const r = wilcoxonSignedRank([...depressionY, 1], [...depressionX, 1])
    expect(r).toMatchObject({ statistic: 40, exact: false, n: 9 })
    expect(r.p).toBeCloseTo(0.044011, 5)
  })

  it('all differences zero: p = 1; no pairs: p = NaN', () => {
    expect(wilcoxonSignedRank(sleep1, sleep1)).toMatchObject({ statistic: 0, p: 1, n: 0 })
    expect(wilcoxonSignedRank([], []).p).toBeNaN()
  })

  it('a single non-zero difference is not significant', () => {
    expect(wilcoxonSignedRank([1], [2])).toMatchObject({ statistic: 1, p: 1, exact: true })
  })
})

describe('mannWhitney', () => {
  it('Hollander & Wolfe two-sample: W = 35, p = 0.2544 (exact)', () => {
    // wilcox.test(x, y): W counts pairs x > y, so x is b here. 2 * P(W >= 35) = 2 * 382 / 3003.
    const r = mannWhitney(hwY, hwX)
    expect(r).toMatchObject({ test: 'mann-whitney', statistic: 35, exact: true, n: 15 })
    expect(r.p).toBeCloseTo((2 * 382) / 3003, 10)
    expect(r.p).toBeCloseTo(0.2544, 4)
    // Swapping the samples gives W' = 10 * 5 - 35 and the same p.
    const swapped = mannWhitney(hwX, hwY)
    expect(swapped.statistic).toBe(15)
    expect(swapped.p).toBeCloseTo(r.p, 12)
  })

  it('sleep, unpaired (ties): W = 25.5, p = 0.06933 (normal approximation)', () => {
    // wilcox.test(extra ~ group, data = sleep): b is group 1.
    const r = mannWhitney(sleep2, sleep1)
    expect(r).toMatchObject({ statistic: 25.5, exact: false, n: 20 })
    expect(r.p).toBeCloseTo(0.06933, 5)
  })

  it('hand-computed tie case: a = 1, 2, 3 and b = 3, 4, 5 give W = 8.5, p = 0.12118', () => {
    // Ranks of b: 3.5, 5, 6 -> W = 14.5 - 6 = 8.5; sigma = sqrt(9/12 * (7 - 6/30)) = sqrt(5.1);
    // z = (8.5 - 4.5 - 0.5) / sqrt(5.1) = 1.549826; 2 * (1 - pnorm(1.549826)) = 0.121183.
    const r = mannWhitney([1, 2, 3], [3, 4, 5])
    expect(r).toMatchObject({ statistic: 8.5, exact: false })
    expect(r.p).toBeCloseTo(0.121183, 5)
  })

  it('complete separation at the exact limit (49 each) is computed exactly', () => {
    // All 49 * 49 pairs have b > a: p = 2 / choose(98, 49).
    const a = range(1, 49)
    const b = range(50, 98)
    const r = mannWhitney(a, b)
    expect(r).toMatchObject({ statistic: 49 * 49, exact: true })
    const choose98of49 = range(1, 49).reduce((c, k) => (c * (49 + k)) / k, 1) // 2.5478e28
    expect(r.p * choose98of49).toBeCloseTo(2, 10)
  })

  it('identical or all-tied samples: p = 1; an empty sample: NaN', () => {
    expect(mannWhitney(sleep1, sleep1)).toMatchObject({ statistic: 50, p: 1 })
    expect(mannWhitney([2, 2, 2], [2, 2])).toMatchObject({ statistic: 3, p: 1 })
    expect(mannWhitney([], [1, 2]).p).toBeNaN()
  })
})
