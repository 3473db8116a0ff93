// Summaries and two-variant tests for the compare view (notebook design, "Statistics conventions").
// Replications are seeds shared across variants, so the default comparison is paired. Every
// difference is candidate minus baseline: b - a. Distributions come from jstat; the rank tests
// follow R's wilcox.test defaults (exact when small and untied, else normal with continuity
// correction) so results can be checked against R. All p-values are two-sided. Inputs are
// expected to be finite numbers.
import jStat from 'jstat'

export interface Interval {
  estimate: number
  lo: number
  hi: number
}

export type TestName = 'paired-t' | 'wilcoxon' | 'welch' | 'mann-whitney'

export interface TestResult {
  test: TestName
  statistic: number
  p: number
  df?: number
  exact?: boolean
  n: number
}

const DEFAULT_LEVEL = 0.95

// R's wilcox.test uses the exact null distribution below this sample size (each sample, for the
// rank-sum test) when there are no ties.
const EXACT_LIMIT = 50

// --- Summaries ---

export function mean(xs: readonly number[]): number {
  const n = xs.length
  if (n === 0) return NaN
  const m = sum(xs) / n
  if (!Number.isFinite(m)) return m
  // A second pass corrects most of the first pass's rounding, as R's mean() does.
  return m + sum(xs.map((x) => x - m)) / n
}

/** The mean for rates. NaN when xs is empty or any value is not positive. */
export function harmonicMean(xs: readonly number[]): number {
  if (xs.length === 0 || !xs.every((x) => x > 0)) return NaN
  return 1 / mean(xs.map((x) => 1 / x))
}

/** R's default quantile (type 7): linear interpolation between order statistics. */
export function quantile(xs: readonly number[], p: number): number {
  if (xs.length === 0 || !(p >= 0 && p <= 1)) return NaN
  const sorted = [...xs].sort((x, y) => x - y)
  const h = (sorted.length - 1) * p
  const lo = Math.floor(h)
  const hi = Math.ceil(h)
  // Equal neighbours return the value itself; interpolating could round away from it.
  if (sorted[lo] === sorted[hi]) return sorted[lo]
  const w = h - lo
  return (1 - w) * sorted[lo] + w * sorted[hi]
}

/** Sample standard deviation (n - 1 denominator). NaN for fewer than two values. */
export function sampleSd(xs: readonly number[]): number {
  const n = xs.length
  if (n < 2) return NaN
  // Exactly zero for a constant sample, so zero-variance cases are recognised reliably.
  if (xs.every((x) => x === xs[0])) return 0
  const m = mean(xs)
  return Math.sqrt(sum(xs.map((x) => (x - m) ** 2)) / (n - 1))
}

/**
 * t-interval of the mean. With fewer than two values the estimate is the mean (NaN when empty)
 * and lo, hi, sd and halfWidth are NaN; a constant sample gives a zero-width interval.
 */
export function tInterval(
  xs: readonly number[],
  level = DEFAULT_LEVEL
): Interval & { n: number; sd: number; halfWidth: number } {
  checkLevel(level)
  const n = xs.length
  const estimate = mean(xs)
  const sd = sampleSd(xs)
  const halfWidth = tHalfWidth(sd / Math.sqrt(n), n - 1, level)
  return { estimate, lo: estimate - halfWidth, hi: estimate + halfWidth, n, sd, halfWidth }
}

/**
 * Interval for the harmonic mean: the t-interval of the reciprocals, inverted (so its ends swap).
 * hi is Infinity when the reciprocal interval reaches zero. All NaN when harmonicMean is.
 */
export function harmonicInterval(
  xs: readonly number[],
  level = DEFAULT_LEVEL
): Interval & { n: number } {
  checkLevel(level)
  const n = xs.length
  if (Number.isNaN(harmonicMean(xs))) return { estimate: NaN, lo: NaN, hi: NaN, n }
  const r = tInterval(
    xs.map((x) => 1 / x),
    level
  )
  const hi = Number.isNaN(r.lo) ? NaN : r.lo > 0 ? 1 / r.lo : Infinity
  return { estimate: 1 / r.estimate, lo: 1 / r.hi, hi, n }
}

// --- Tests for a difference between variants (b - a) ---

/**
 * Paired t-test on the per-seed differences b - a, with the t-interval of their mean. Fewer than
 * two pairs: statistic, p, df and the interval ends are NaN. Constant differences: p is 0 (or 1
 * when they are all zero) and the interval is the point.
 */
export function pairedT(
  a: readonly number[],
  b: readonly number[],
  level = DEFAULT_LEVEL
): TestResult & { diff: Interval } {
  const d = differences(a, b)
  const ci = tInterval(d, level)
  const n = d.length
  const df = n < 2 ? NaN : n - 1
  const { statistic, p } = tTest(ci.estimate, ci.sd / Math.sqrt(n), df)
  const diff = { estimate: ci.estimate, lo: ci.lo, hi: ci.hi }
  return { test: 'paired-t', statistic, p, df, n, diff }
}

/**
 * Welch's t-test for unpaired samples, with the interval of mean(b) - mean(a); n is the total
 * count. Either sample smaller than two: NaN. Both constant: p is 0 or 1 as for pairedT, df NaN.
 */
export function welchT(
  a: readonly number[],
  b: readonly number[],
  level = DEFAULT_LEVEL
): TestResult & { diff: Interval } {
  checkLevel(level)
  const va = sampleSd(a) ** 2 / a.length
  const vb = sampleSd(b) ** 2 / b.length
  const se = Math.sqrt(va + vb)
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1))
  const estimate = mean(b) - mean(a)
  const halfWidth = tHalfWidth(se, df, level)
  const { statistic, p } = tTest(estimate, se, df)
  const diff = { estimate, lo: estimate - halfWidth, hi: estimate + halfWidth }
  return { test: 'welch', statistic, p, df, n: a.length + b.length, diff }
}

/**
 * Wilcoxon signed-rank test on b - a. statistic is V, the sum of the ranks of the positive
 * differences, as R reports it. Zero differences are dropped (R's default) and n counts the rest.
 * Exact when n < 50 with no ties and no zeros, as in R; otherwise normal with tie and continuity
 * correction. All differences zero: V = 0, p = 1. No pairs at all: p = NaN.
 */
export function wilcoxonSignedRank(a: readonly number[], b: readonly number[]): TestResult {
  const d = differences(a, b)
  const nonzero = d.filter((x) => x !== 0)
  const n = nonzero.length
  if (n === 0) return { test: 'wilcoxon', statistic: 0, p: d.length ? 1 : NaN, exact: false, n }

  const { ranks, tieTerm } = rankWithTies(nonzero.map(Math.abs))
  const v = sum(ranks.filter((_, i) => nonzero[i] > 0))
  const droppedZeros = n < d.length
  const exact = n < EXACT_LIMIT && tieTerm === 0 && !droppedZeros
  const p = exact
    ? exactTwoSidedP(signedRankCounts(n), v)
    : normalTwoSidedP(
        v - (n * (n + 1)) / 4,
        Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48)
      )
  return { test: 'wilcoxon', statistic: v, p, exact, n }
}

/**
 * Wilcoxon rank-sum (Mann-Whitney) test for unpaired samples. statistic is W for R's
 * wilcox.test(b, a): the number of (b, a) pairs with b > a, ties counting one half, i.e. the rank
 * sum of b minus nb(nb + 1)/2. W above na*nb/2 means b tends to be larger. n is the total count.
 * Exact when both samples are under 50 with no ties, as in R; otherwise normal with tie and
 * continuity correction. An empty sample gives NaN.
 */
export function mannWhitney(a: readonly number[], b: readonly number[]): TestResult {
  const na = a.length
  const nb = b.length
  const n = na + nb
  if (na === 0 || nb === 0) {
    return { test: 'mann-whitney', statistic: NaN, p: NaN, exact: false, n }
  }

  const { ranks, tieTerm } = rankWithTies([...b, ...a])
  const w = sum(ranks.slice(0, nb)) - (nb * (nb + 1)) / 2
  const exact = na < EXACT_LIMIT && nb < EXACT_LIMIT && tieTerm === 0
  const p = exact
    ? exactTwoSidedP(rankSumCounts(nb, na), w)
    : normalTwoSidedP(
        w - (na * nb) / 2,
        Math.sqrt(((na * nb) / 12) * (n + 1 - tieTerm / (n * (n - 1))))
      )
  return { test: 'mann-whitney', statistic: w, p, exact, n }
}

// --- Helpers ---

function sum(xs: readonly number[]): number {
  let s = 0
  for (const x of xs) s += x
  return s
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1)) {
    throw new RangeError(`confidence level must be between 0 and 1, got ${level}`)
  }
}

function differences(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) {
    throw new RangeError(`paired samples differ in length (${a.length} and ${b.length})`)
  }
  return b.map((x, i) => x - a[i])
}

// NaN when se or df is undefined (too few values); a zero standard error gives zero width.
function tHalfWidth(se: number, df: number, level: number): number {
  if (se === 0) return 0
  if (Number.isNaN(se)) return NaN
  return jStat.studentt.inv((1 + level) / 2, df) * se
}

function tTest(effect: number, se: number, df: number): { statistic: number; p: number } {
  if (se === 0) {
    // Constant data: t is infinite unless the effect is exactly zero.
    return effect === 0 ? { statistic: 0, p: 1 } : { statistic: Math.sign(effect) * Infinity, p: 0 }
  }
  if (Number.isNaN(se) || Number.isNaN(df)) return { statistic: NaN, p: NaN }
  const t = effect / se
  return { statistic: t, p: Math.min(1, 2 * jStat.studentt.cdf(-Math.abs(t), df)) }
}

// Average ranks (1-based) and the tie term sum(t^3 - t) over groups of t equal values.
function rankWithTies(xs: readonly number[]): { ranks: number[]; tieTerm: number } {
  const order = xs.map((_, i) => i).sort((i, j) => xs[i] - xs[j])
  const ranks: number[] = new Array(xs.length)
  let tieTerm = 0
  for (let start = 0; start < order.length;) {
    let end = start + 1
    while (end < order.length && xs[order[end]] === xs[order[start]]) end++
    const midrank = (start + 1 + end) / 2
    for (let k = start; k < end; k++) ranks[order[k]] = midrank
    const t = end - start
    tieTerm += t ** 3 - t
    start = end
  }
  return { ranks, tieTerm }
}

// counts[s]: subsets of the ranks 1..n whose sum is s (the null distribution of V, unscaled).
function signedRankCounts(n: number): number[] {
  const counts: number[] = new Array((n * (n + 1)) / 2 + 1).fill(0)
  counts[0] = 1
  for (let k = 1; k <= n; k++) {
    for (let s = (k * (k + 1)) / 2; s >= k; s--) counts[s] += counts[s - k]
  }
  return counts
}

// counts[u]: orderings of m b-values and n a-values with u pairs b > a (the null distribution
// of W, unscaled). rows[i] holds the counts for i b-values and j a-values, built up over j: the
// largest of the values is either an a (u unchanged) or a b, which beats all j a-values.
function rankSumCounts(m: number, n: number): number[] {
  const rows = Array.from({ length: m + 1 }, () => new Float64Array(1).fill(1))
  for (let j = 1; j <= n; j++) {
    for (let i = 1; i <= m; i++) {
      const next = new Float64Array(i * j + 1)
      next.set(rows[i])
      const beaten = rows[i - 1]
      for (let u = 0; u < beaten.length; u++) next[u + j] += beaten[u]
      rows[i] = next
    }
  }
  return Array.from(rows[m])
}

// Twice the tail from the statistic outwards on its side of the centre, capped at 1, as R's
// wilcox.test does with psignrank/pwilcox.
function exactTwoSidedP(counts: readonly number[], statistic: number): number {
  const total = sum(counts)
  const centre = (counts.length - 1) / 2
  const tail =
    statistic > centre ? sum(counts.slice(statistic)) : sum(counts.slice(0, statistic + 1))
  return Math.min(1, (2 * tail) / total)
}

function normalTwoSidedP(deviation: number, sigma: number): number {
  // Every observation tied: the statistic sits at its null mean.
  if (sigma === 0) return 1
  const z = (deviation - Math.sign(deviation) * 0.5) / sigma
  return 2 * jStat.normal.cdf(-Math.abs(z), 0, 1)
}
