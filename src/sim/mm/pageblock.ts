/*
 * The free frames of a zone's Unmovable pageblocks, held as the buddy allocator would hold them
 * (mm/page_alloc.c): a frame-by-frame free map from which a block's buddy chunks follow (every
 * aligned power-of-two run of free frames whose buddy is not wholly free), since allocations
 * choose by chunk order: __rmqueue_smallest() takes a frame of the smallest chunk,
 * __rmqueue_claim() tries the largest chunks first, __rmqueue_steal() takes a frame of the
 * smallest. Blocks join when boot leaves them Unmovable or an Unmovable allocation claims them.
 */

/** pageblock_order 9 (x86-64, HPAGE_PMD_ORDER): the granule of a migratetype. */
export const pageblock_order = 9
export const pageblock_nr_pages = 1 << pageblock_order
/** UnmovablePageblocks.min_order of a slot with no free frame. */
const NO_CHUNK = pageblock_order + 1
/** 32-bit words of a block's free map. */
const WORDS = pageblock_nr_pages >> 5
/** Per order up to 5, the bits of a word at which a chunk of that order can start. */
const ALIGNED = [0xffffffff, 0x55555555, 0x11111111, 0x01010101, 0x00010001, 0x00000001].map(
  (x) => x | 0
)

/** The index of x's lowest set bit (x ≠ 0). */
function ctz(x: number): number {
  return 31 - Math.clz32(x & -x)
}

/** Per-slot arrays, grown as blocks join. */
function grown<T extends Uint8Array | Uint16Array | Int16Array | Int32Array>(
  a: T,
  size: number,
  fill = 0
): T {
  if (a.length >= size) return a
  const b = new (a.constructor as new (n: number) => T)(Math.max(size, 2 * a.length))
  b.fill(fill)
  b.set(a)
  return b
}

/** Unmovable pageblocks of a zone whose frames start at `first_pfn`: a slot per block. */
export class UnmovablePageblocks {
  /** Free frames in these blocks. */
  nr_free = 0
  /** The zone's block index of each slot. */
  readonly blocks: number[] = []
  /** Free frames per slot. */
  block_free = new Uint16Array(0)
  /** Frames the kernel holds per slot (boot's pages, page tables, slab). */
  block_kernel = new Uint16Array(0)
  /** Per zone block, its slot or -1. */
  private readonly slot_of: Int32Array
  /** A bit per frame, set where it is free: WORDS words a slot, the lowest frame in bit 0. */
  private free_bits = new Int32Array(0)
  /** Per slot and order, the offset of the block's first buddy chunk of that order, or -1. */
  private chunks = new Int16Array(0)
  /** Per slot, the order of its smallest buddy chunk (NO_CHUNK when none), kept with `chunks`. */
  private min_order = new Uint8Array(0)
  /** Slots whose `chunks` are out of date. */
  private stale = new Uint8Array(0)

  constructor(
    readonly first_pfn: number,
    zone_blocks: number
  ) {
    this.slot_of = new Int32Array(zone_blocks).fill(-1)
  }

  get nr_slots(): number {
    return this.blocks.length
  }

  /** Zone block `b` joins with no free frame; returns its slot. */
  add_block(b: number): number {
    if (this.slot_of[b] >= 0) return this.slot_of[b]
    const s = this.blocks.length
    this.blocks.push(b)
    this.slot_of[b] = s
    const n = s + 1
    this.block_free = grown(this.block_free, n)
    this.block_kernel = grown(this.block_kernel, n)
    this.free_bits = grown(this.free_bits, n * WORDS)
    this.chunks = grown(this.chunks, n * (pageblock_order + 1), -1)
    this.min_order = grown(this.min_order, n, NO_CHUNK)
    this.stale = grown(this.stale, n, 1)
    this.stale[s] = 1
    return s
  }

  /** The first frame of slot s's block. */
  block_pfn(s: number): number {
    return this.first_pfn + this.blocks[s] * pageblock_nr_pages
  }

  private index(pfn: number): number {
    const rel = pfn - this.first_pfn
    return (
      this.slot_of[rel >> pageblock_order] * pageblock_nr_pages + (rel & (pageblock_nr_pages - 1))
    )
  }

  /** A frame comes free; `kernel`: one the kernel held (a page table's, a slab's). */
  free(pfn: number, kernel = false): void {
    const i = this.index(pfn)
    this.free_bits[i >> 5] |= 1 << (i & 31)
    this.block_free[i >> pageblock_order]++
    if (kernel) this.block_kernel[i >> pageblock_order]--
    this.stale[i >> pageblock_order] = 1
    this.nr_free++
  }

  /** A free frame is taken; `kernel`: for the kernel to hold. */
  take(pfn: number, kernel = false): void {
    const i = this.index(pfn)
    const s = i >> pageblock_order
    this.free_bits[i >> 5] &= ~(1 << (i & 31))
    this.block_free[s]--
    if (kernel) this.block_kernel[s]++
    if (!this.stale[s]) this.split_first_frame(s, i & (pageblock_nr_pages - 1))
    this.nr_free--
  }

  /**
   * expand() after taking the frame at `offset` of slot s, kept up to date without a new split()
   * when the frame was the first of its block's first chunk of some order k: the rest of that
   * chunk becomes one chunk of each order below k (at offset + 2^j), and the block's next chunk
   * of order k is searched for above it. Otherwise the slot is marked stale.
   */
  private split_first_frame(s: number, offset: number): void {
    const at = s * (pageblock_order + 1)
    let k = 0
    while (k <= pageblock_order && this.chunks[at + k] !== offset) k++
    if (k > pageblock_order) {
      this.stale[s] = 1
      return
    }
    for (let j = 0; j < k; j++) {
      const piece = offset + (1 << j)
      const first = this.chunks[at + j]
      if (first < 0 || first > piece) this.chunks[at + j] = piece
    }
    this.chunks[at + k] = this.next_chunk(s, offset + (1 << k), k)
    this.update_min_order(s)
  }

  private update_min_order(s: number): void {
    const at = s * (pageblock_order + 1)
    let order = 0
    while (order <= pageblock_order && this.chunks[at + order] < 0) order++
    this.min_order[s] = order <= pageblock_order ? order : NO_CHUNK
  }

  /**
   * Offset of slot s's first chunk of `order` at or above `from` (aligned to the chunk's size), or
   * -1: an aligned run of 2^order free frames whose buddy run is not wholly free (a whole block at
   * pageblock_order). Below 32 frames a word's chunks are found with bit operations.
   */
  private next_chunk(s: number, from: number, order: number): number {
    const bits = this.free_bits
    const base = s * WORDS
    const size = 1 << order
    if (order < 5) {
      for (let w = from >> 5; w < WORDS; w++) {
        const x = bits[base + w]
        if (x === 0) continue
        // bit i of `full`, at an aligned i: frames i .. i + size - 1 are all free
        let full = x
        for (let j = 0; j < order; j++) full &= full >>> (1 << j)
        full &= ALIGNED[order]
        const pairs = ALIGNED[order + 1]
        const buddy_full = ((full >>> size) & pairs) | ((full & pairs) << size)
        let chunks = full & ~buddy_full
        if (w === from >> 5) chunks &= -1 << (from & 31)
        if (chunks !== 0) return (w << 5) + ctz(chunks)
      }
      return -1
    }
    const nw = size >> 5
    for (let o = from; o < pageblock_nr_pages; o += size)
      if (
        this.words_full(base + (o >> 5), nw) &&
        (order === pageblock_order || !this.words_full(base + ((o ^ size) >> 5), nw))
      )
        return o
    return -1
  }

  private words_full(at: number, n: number): boolean {
    for (let i = 0; i < n; i++) if (this.free_bits[at + i] !== -1) return false
    return true
  }

  /** Takes every free frame of slot s (its block changes migratetype), handing each to `to`. */
  take_block(s: number, to: (pfn: number) => void): void {
    const bits = this.free_bits
    const pfn0 = this.block_pfn(s)
    for (let w = 0; w < WORDS; w++) {
      let x = bits[s * WORDS + w]
      bits[s * WORDS + w] = 0
      for (; x !== 0; x &= x - 1) to(pfn0 + (w << 5) + ctz(x))
    }
    this.nr_free -= this.block_free[s]
    this.block_free[s] = 0
    this.stale[s] = 1
  }

  /** Offset in slot s's block of its first buddy chunk of `order`, or -1. */
  chunk(s: number, order: number): number {
    if (this.block_free[s] < 1 << order) return -1
    if (this.stale[s]) this.split(s)
    return this.chunks[s * (pageblock_order + 1) + order]
  }

  /**
   * __rmqueue_smallest(): the first frame of the smallest chunk (a larger chunk is split from its
   * lowest frame), or -1. Blocks that changed to Movable hold no free frame here.
   */
  smallest(): number {
    // The lowest slot among those whose smallest chunk has the lowest order.
    let best = -1
    let best_order = NO_CHUNK
    for (let s = 0; s < this.blocks.length; s++) {
      if (this.block_free[s] === 0) continue
      if (this.stale[s]) this.split(s)
      if (this.min_order[s] < best_order) {
        best = s
        best_order = this.min_order[s]
        if (best_order === 0) break
      }
    }
    if (best < 0) return -1
    return this.block_pfn(best) + this.chunks[best * (pageblock_order + 1) + best_order]
  }

  /** Recomputes slot s's buddy chunks from its free map. */
  private split(s: number): void {
    const at = s * (pageblock_order + 1)
    for (let order = 0; order <= pageblock_order; order++)
      this.chunks[at + order] = this.next_chunk(s, 0, order)
    this.update_min_order(s)
    this.stale[s] = 0
  }
}
