import type { Rng } from '../des/prng'
import * as mm_types from './types'

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

export type CompAlgorithm = 'lz4' | 'lzo' | 'lzo-rle' | 'zstd'

/**
 * Per-algorithm cost and ratio on the reference core (kernel-reference.md §3):
 * compress/decompress ns per 4 KiB page from lzbench (i5-4300U, one core): lz4 452/2244 MB/s,
 * lzo1x-1 394/551 MB/s, zstd -1 242/636 MB/s; lzo-rle = lzo × 0.73 (Rodgman, "reduced by around
 * 27%"). Ratios on typical data from the linuxreviews zram copy test: lz4 2.58, lzo 2.69,
 * lzo-rle 2.68, zstd 3.96.
 */
export const COMP_TABLE: Record<
  CompAlgorithm,
  { comp_ns: number; decomp_ns: number; ratio: number }
> = {
  lz4: { comp_ns: 9062, decomp_ns: 1825, ratio: 2.58 },
  lzo: { comp_ns: 10396, decomp_ns: 7434, ratio: 2.69 },
  'lzo-rle': { comp_ns: 7589, decomp_ns: 5427, ratio: 2.68 },
  zstd: { comp_ns: 16926, decomp_ns: 6440, ratio: 3.96 }
}

/** zsmalloc: objects at least this large are stored as a whole page (huge_class_size, 4 KiB pages). */
export const huge_class_size = 3264
/** ZS_SIZE_CLASS_DELTA for 4 KiB pages (PAGE_SIZE >> CLASS_BITS). */
export const ZS_SIZE_CLASS_DELTA = 16

/** Spread of compressed sizes of typical pages around the mean (assumed: ±35% sd). */
const TYPICAL_SD = 0.35

/**
 * Compressed length of one page. Same/zero pages return 0 (handled before compression).
 * CONTENT_PARTIAL: random bytes do not compress, the zero rest compresses to ~1/255 (lz4 literal
 * runs), plus a small header (assumed 16 B).
 */
export function comp_len(
  alg: CompAlgorithm,
  content: number,
  random_bytes: number,
  rng: Rng
): number {
  switch (content) {
    case CONTENT_ZERO:
    case CONTENT_SAME:
      return 0
    case CONTENT_INCOMPRESSIBLE:
      return PAGE_SIZE
    case CONTENT_PARTIAL:
      return Math.min(PAGE_SIZE, random_bytes + Math.ceil((PAGE_SIZE - random_bytes) / 255) + 16)
    case CONTENT_TYPICAL:
    default: {
      const mean = PAGE_SIZE / COMP_TABLE[alg].ratio
      const s = Math.round(mean * (1 + TYPICAL_SD * rng.normal()))
      return Math.max(64, Math.min(PAGE_SIZE, s))
    }
  }
}

/** CPU work to compress one page of this content class (reference ns). */
export function comp_cost(alg: CompAlgorithm, content: number, random_bytes = 0): number {
  const c = COMP_TABLE[alg].comp_ns
  // Incompressible input makes lz4/lzo skip ahead quickly (assumed: half the typical cost).
  if (content === CONTENT_INCOMPRESSIBLE) return c * 0.5
  // Partly random pages: time in proportion to the random bytes; zero runs are matched at
  // memory speed (assumed: 10 GB/s).
  if (content === CONTENT_PARTIAL)
    return (c * random_bytes) / PAGE_SIZE + (PAGE_SIZE - random_bytes) / 10
  return c
}

export function decomp_cost(alg: CompAlgorithm, content: number): number {
  return content === CONTENT_INCOMPRESSIBLE ? 400 : COMP_TABLE[alg].decomp_ns
}

export { CONTENT_TYPICAL }
