import type { Rng } from '../des/prng'
import * as mm_types from './types'
import * as comp_tables_mod from './comp_tables'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const {
  CONTENT_INCOMPRESSIBLE,
  CONTENT_PARTIAL,
  CONTENT_SAME,
  CONTENT_TYPICAL,
  CONTENT_ZERO,
  PAGE_SIZE
} = mm_types
const { COMP_MEASURED, COMP_REF_SCALE, PARTIAL_R } = comp_tables_mod
type CompMeasurements = comp_tables_mod.CompMeasurements

export type CompAlgorithm = 'lz4' | 'lzo' | 'lzo-rle' | 'zstd'

/**
 * zsmalloc's huge_class_size for 4 KiB pages in Linux 6.12 (CONFIG_ZSMALLOC_CHAIN_SIZE 8):
 * zs_create_pool() takes the first class, from the top, that does not fill a single page with a
 * single object (3632), minus ZS_HANDLE_SIZE - 1. zram stores a page whose compressed length is
 * at least this uncompressed (zram_write_page()).
 */
export const huge_class_size = 3625

/** Linear interpolation of ys over ascending xs, clamped at both ends. */
function interpolate(xs: number[], ys: number[], x: number): number {
  if (x <= xs[0]) return ys[0]
  const n = xs.length - 1
  if (x >= xs[n]) return ys[n]
  let i = 1
  while (xs[i] < x) i++
  const f = (x - xs[i - 1]) / (xs[i] - xs[i - 1])
  return ys[i - 1] + f * (ys[i] - ys[i - 1])
}

/** ys at every integer R from 0 to PAGE_SIZE, computed on first use (a lookup per page). */
const byR = new Map<number[], Float64Array>()
function interp(xs: number[], ys: number[], x: number): number {
  let t = byR.get(ys)
  if (!t) {
    t = new Float64Array(PAGE_SIZE + 1)
    for (let r = 0; r <= PAGE_SIZE; r++) t[r] = interpolate(xs, ys, r)
    byR.set(ys, t)
  }
  return t[x < 0 ? 0 : x > PAGE_SIZE ? PAGE_SIZE : x | 0]
}

/**
 * Compressed length of one page of a content class (src/sim/mm/comp_tables.ts): a zero or
 * same-filled page compresses as the measured page of zeros (zram never compresses them, zswap in
 * 6.12 does), an incompressible one to the page size; partly random pages by their random bytes;
 * typical pages drawn from the measured distribution.
 */
export function comp_len(
  alg: CompAlgorithm,
  content: number,
  random_bytes: number,
  rng: Rng
): number {
  const m = COMP_MEASURED[alg]
  switch (content) {
    case CONTENT_ZERO:
    case CONTENT_SAME:
      return m.partial_len[0]
    case CONTENT_INCOMPRESSIBLE:
      return PAGE_SIZE
    case CONTENT_PARTIAL:
      return Math.min(PAGE_SIZE, Math.round(interp(PARTIAL_R, m.partial_len, random_bytes)))
    case CONTENT_TYPICAL:
    default:
      return typical_len(typical_quantiles(alg), rng)
  }
}

/** Each algorithm's measured quantiles of a typical page's compressed length, as a typed array. */
const typicalQuantiles = new Map<CompAlgorithm, Float64Array>()
function typical_quantiles(alg: CompAlgorithm): Float64Array {
  let q = typicalQuantiles.get(alg)
  if (!q) {
    q = Float64Array.from(COMP_MEASURED[alg].typical_len)
    typicalQuantiles.set(alg, q)
  }
  return q
}

/** A typical page's compressed length: a draw from the measured quantile function `q`. */
function typical_len(q: Float64Array, rng: Rng): number {
  const pos = rng.next() * (q.length - 1)
  const i = Math.floor(pos)
  const next = i + 1 < q.length ? q[i + 1] : q[i]
  return Math.min(PAGE_SIZE, Math.round(q[i] + (pos - i) * (next - q[i])))
}

/**
 * Measured time for a content class, in reference ns: typical pages their mean; partly random ones
 * interpolated in R; incompressible ones as R = PAGE_SIZE, zero and same-filled ones as R = 0.
 */
function cost(typical_ns: number, partial_ns: number[], content: number, random_bytes: number) {
  let ns: number
  if (content === CONTENT_TYPICAL) ns = typical_ns
  else if (content === CONTENT_PARTIAL) ns = interp(PARTIAL_R, partial_ns, random_bytes)
  else if (content === CONTENT_INCOMPRESSIBLE) ns = partial_ns[partial_ns.length - 1]
  else ns = partial_ns[0]
  return ns * COMP_REF_SCALE
}

/** CPU work to compress one page of this content class (reference ns). */
export function comp_cost(alg: CompAlgorithm, content: number, random_bytes = 0): number {
  const m = COMP_MEASURED[alg]
  return cost(m.typical_comp_ns, m.partial_comp_ns, content, random_bytes)
}

/** CPU work to decompress one page of this content class (reference ns). */
export function decomp_cost(alg: CompAlgorithm, content: number, random_bytes = 0): number {
  const m = COMP_MEASURED[alg]
  return cost(m.typical_decomp_ns, m.partial_decomp_ns, content, random_bytes)
}

/** f at every integer R from 0 to PAGE_SIZE. */
function byRandomBytes<T extends Float64Array | Int32Array>(t: T, f: (r: number) => number): T {
  for (let r = 0; r <= PAGE_SIZE; r++) t[r] = f(r)
  return t
}

/** The index interp() reads for x random bytes. */
function r_index(x: number): number {
  return x < 0 ? 0 : x > PAGE_SIZE ? PAGE_SIZE : x | 0
}

/** Index of a content class other than partly random in Compressor's tables (as cost() groups them). */
function class_index(content: number): number {
  return content === CONTENT_TYPICAL ? 0 : content === CONTENT_INCOMPRESSIBLE ? 1 : 2
}

/**
 * One algorithm as a zram device or zswap pool uses it, with the scenario's cost scales
 * (costs.comp_scale, costs.decomp_scale) applied: the values comp_cost() × scale, comp_len() and
 * decomp_cost() × scale give, looked up per content class (and random bytes, for partly random
 * pages) rather than recomputed for every page.
 */
export class Compressor {
  private readonly m: CompMeasurements
  /** By content class: typical, incompressible, zero or same-filled; partly random by R. */
  private readonly comp_ns: number[]
  private readonly decomp_ns: number[]
  private readonly comp_partial_ns: Float64Array
  private readonly decomp_partial_ns: Float64Array
  private readonly partial_len: Int32Array
  /** typical_quantiles(alg): one draw per typical page compressed. */
  private readonly typical: Float64Array

  constructor(
    readonly alg: CompAlgorithm,
    comp_scale: number,
    decomp_scale: number
  ) {
    this.m = COMP_MEASURED[alg]
    this.typical = typical_quantiles(alg)
    const classes = [CONTENT_TYPICAL, CONTENT_INCOMPRESSIBLE, CONTENT_ZERO]
    this.comp_ns = classes.map((c) => comp_cost(alg, c) * comp_scale)
    this.decomp_ns = classes.map((c) => decomp_cost(alg, c) * decomp_scale)
    const n = PAGE_SIZE + 1
    this.comp_partial_ns = byRandomBytes(
      new Float64Array(n),
      (r) => comp_cost(alg, CONTENT_PARTIAL, r) * comp_scale
    )
    this.decomp_partial_ns = byRandomBytes(
      new Float64Array(n),
      (r) => decomp_cost(alg, CONTENT_PARTIAL, r) * decomp_scale
    )
    this.partial_len = byRandomBytes(new Int32Array(n), (r) =>
      Math.min(PAGE_SIZE, Math.round(interp(PARTIAL_R, this.m.partial_len, r)))
    )
  }

  /** comp_cost() × costs.comp_scale */
  compress_ns(content: number, random_bytes: number): number {
    if (content === CONTENT_PARTIAL) return this.comp_partial_ns[r_index(random_bytes)]
    return this.comp_ns[class_index(content)]
  }

  /** decomp_cost() × costs.decomp_scale */
  decompress_ns(content: number, random_bytes: number): number {
    if (content === CONTENT_PARTIAL) return this.decomp_partial_ns[r_index(random_bytes)]
    return this.decomp_ns[class_index(content)]
  }

  /** comp_len() */
  len(content: number, random_bytes: number, rng: Rng): number {
    if (content === CONTENT_PARTIAL) return this.partial_len[r_index(random_bytes)]
    if (content === CONTENT_ZERO || content === CONTENT_SAME) return this.m.partial_len[0]
    if (content === CONTENT_INCOMPRESSIBLE) return PAGE_SIZE
    return typical_len(this.typical, rng)
  }
}

export { CONTENT_TYPICAL }
