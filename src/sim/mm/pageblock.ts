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

/** Per-slot arrays, grown as blocks join. */
function grown<T extends Uint8Array | Uint16Array | Int16Array>(a: T, size: number, fill = 0): T {
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
  /** 1 where a frame is free, pageblock_nr_pages a slot. */
  private free_map = new Uint8Array(0)
  /** Per slot and order, the offset of the block's first buddy chunk of that order, or -1. */
  private chunks = new Int16Array(0)
  /** Per slot, the order of its smallest buddy chunk (NO_CHUNK when none), kept with `chunks`. */
  private min_order = new Uint8Array(0)
  /** Slots whose `chunks` are out of date. */
  private stale = new Uint8Array(0)
  private readonly prefix = new Uint16Array(pageblock_nr_pages + 1)

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
    this.free_map = grown(this.free_map, n * pageblock_nr_pages)
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
    this.free_map[i] = 1
    this.block_free[i >> pageblock_order]++
    if (kernel) this.block_kernel[i >> pageblock_order]--
    this.stale[i >> pageblock_order] = 1
    this.nr_free++
  }

  /** A free frame is taken; `kernel`: for the kernel to hold. */
  take(pfn: number, kernel = false): void {
    const i = this.index(pfn)
    const s = i >> pageblock_order
    this.free_map[i] = 0
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

  /** Offset of slot s's first chunk of `order` at or above `from` (aligned), or -1. */
  private next_chunk(s: number, from: number, order: number): number {
    const size = 1 << order
    if (order === 0) {
      // A free frame whose buddy is not free.
      const map = this.free_map
      const base = s * pageblock_nr_pages
      for (let o = from; o < pageblock_nr_pages; o++)
        if (map[base + o] && !map[base + (o ^ 1)]) return o
      return -1
    }
    for (let o = from; o < pageblock_nr_pages; o += size)
      if (
        this.wholly_free(s, o, size) &&
        (order === pageblock_order || !this.wholly_free(s, o ^ size, size))
      )
        return o
    return -1
  }

  private wholly_free(s: number, offset: number, size: number): boolean {
    const base = s * pageblock_nr_pages + offset
    for (let i = 0; i < size; i++) if (!this.free_map[base + i]) return false
    return true
  }

  /** Takes every free frame of slot s (its block changes migratetype), handing each to `to`. */
  take_block(s: number, to: (pfn: number) => void): void {
    const base = s * pageblock_nr_pages
    const pfn0 = this.block_pfn(s)
    for (let i = 0; i < pageblock_nr_pages; i++)
      if (this.free_map[base + i]) {
        this.free_map[base + i] = 0
        to(pfn0 + i)
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
    const base = s * pageblock_nr_pages
    const p = this.prefix
    for (let i = 0; i < pageblock_nr_pages; i++) p[i + 1] = p[i] + this.free_map[base + i]
    const at = s * (pageblock_order + 1)
    this.chunks.fill(-1, at, at + pageblock_order + 1)
    this.visit(s, 0, pageblock_order)
    this.update_min_order(s)
    this.stale[s] = 0
  }

  private visit(s: number, lo: number, order: number): void {
    const n = this.prefix[lo + (1 << order)] - this.prefix[lo]
    if (n === 0) return
    if (n === 1 << order) {
      const at = s * (pageblock_order + 1) + order
      if (this.chunks[at] < 0) this.chunks[at] = lo
      return
    }
    this.visit(s, lo, order - 1)
    this.visit(s, lo + (1 << (order - 1)), order - 1)
  }
}
