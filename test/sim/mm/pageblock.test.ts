import { describe, expect, it } from 'vitest'
import { UnmovablePageblocks, pageblock_nr_pages } from '../../../src/sim/mm/pageblock'

/** The first buddy chunk of each order in a block, from its free frames alone. */
function chunksOf(free: Uint8Array): number[] {
  const first = Array<number>(10).fill(-1)
  const whole = (o: number, size: number) => free.subarray(o, o + size).every((x) => x === 1)
  for (let order = 0; order <= 9; order++) {
    const size = 1 << order
    for (let o = 0; o < pageblock_nr_pages && first[order] < 0; o += size)
      if (whole(o, size) && (order === 9 || !whole(o ^ size, size))) first[order] = o
  }
  return first
}

describe('UnmovablePageblocks', () => {
  it('keeps each order’s first chunk right through takes of chunks’ first frames and random frees', () => {
    const ub = new UnmovablePageblocks(0, 4)
    const free = [new Uint8Array(512), new Uint8Array(512)]
    ub.add_block(1)
    ub.add_block(3)
    const blockOf = [1, 3]
    let x = 12345
    const rand = (n: number) => (x = (x * 1103515245 + 12345) & 0x7fffffff) % n
    for (let s = 0; s < 2; s++)
      for (let i = 0; i < 512; i++)
        if (rand(3) > 0) {
          ub.free(blockOf[s] * 512 + i)
          free[s][i] = 1
        }
    for (let step = 0; step < 3000; step++) {
      const r = rand(6)
      if (r > 1) {
        // The smallest chunk's first frame, or the first frame of a random order's first chunk.
        const s = rand(2)
        const offset = ub.chunk(s, rand(10))
        const pfn = r > 3 ? ub.smallest() : offset < 0 ? -1 : blockOf[s] * 512 + offset
        if (pfn < 0) continue
        ub.take(pfn)
        free[blockOf.indexOf(pfn >> 9)][pfn & 511] = 0
      } else {
        const s = rand(2)
        const i = rand(512)
        if (free[s][i]) continue
        ub.free(blockOf[s] * 512 + i)
        free[s][i] = 1
      }
      for (let s = 0; s < 2; s++) {
        const want = chunksOf(free[s])
        for (let order = 0; order <= 9; order++) expect(ub.chunk(s, order)).toBe(want[order])
      }
    }
  })
  it('take_block() hands over every free frame of the block, in order, and leaves it empty', () => {
    const ub = new UnmovablePageblocks(1024, 4)
    ub.add_block(0)
    const s = ub.add_block(2)
    const frees = [0, 1, 2, 31, 32, 33, 63, 64, 200, 511].map((o) => 1024 + 2 * 512 + o)
    for (const pfn of frees) ub.free(pfn)
    ub.free(1024 + 5)
    expect(ub.chunk(s, 0)).toBe(2) // 0 and 1 are buddies; 2's buddy 3 is taken
    expect(ub.chunk(s, 1)).toBe(0)
    const got: number[] = []
    ub.take_block(s, (pfn) => got.push(pfn))
    expect(got).toEqual(frees)
    expect([ub.nr_free, ub.block_free[s]]).toEqual([1, 0])
    for (let order = 0; order <= 9; order++) expect(ub.chunk(s, order)).toBe(-1)
    expect(ub.smallest()).toBe(1024 + 5)
  })
})
