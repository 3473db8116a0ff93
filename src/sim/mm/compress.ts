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
    default: {
      const q = m.typical_len
      const pos = rng.next() * (q.length - 1)
      const i = Math.floor(pos)
      const len = q[i] + (pos - i) * ((q[i + 1] ?? q[i]) - q[i])
      return Math.min(PAGE_SIZE, Math.round(len))
    }
  }
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

export { CONTENT_TYPICAL }
