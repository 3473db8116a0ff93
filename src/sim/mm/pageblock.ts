/*
 * The free frames of the boot's Unmovable pageblocks, held as the buddy allocator would hold
 * them (mm/page_alloc.c): a frame-by-frame free map from which a block's buddy chunks follow
 * (every aligned power-of-two run of free frames whose buddy is not wholly free), since a
 * Movable allocation's fallback chooses by chunk order: __rmqueue_claim() tries the largest
 * chunks first, __rmqueue_steal() takes one frame of the smallest.
 */

/** pageblock_order 9 (x86-64, HPAGE_PMD_ORDER): the granule of a migratetype. */
export const pageblock_order = 9
export const pageblock_nr_pages = 1 << pageblock_order

/** Pageblocks [0, nr_blocks) of a zone, Unmovable at boot. */
export class UnmovablePageblocks {
  /** Free frames in these blocks. */
  nr_free = 0
  /** Free frames per block. */
  readonly block_free: Uint16Array
  /** Frames the kernel holds per block (never freed). */
  readonly block_kernel: Uint16Array
  /** 1 where a frame is free. */
  private readonly free_map: Uint8Array
  /** Per block and order, the offset of the block's first buddy chunk of that order, or -1. */
  private readonly chunks: Int16Array
  /** Blocks whose `chunks` are out of date. */
  private readonly stale: Uint8Array
  private readonly prefix = new Uint16Array(pageblock_nr_pages + 1)

  constructor(
    readonly first_pfn: number,
    readonly nr_blocks: number
  ) {
    this.block_free = new Uint16Array(nr_blocks)
    this.block_kernel = new Uint16Array(nr_blocks)
    this.free_map = new Uint8Array(nr_blocks * pageblock_nr_pages)
    this.chunks = new Int16Array(nr_blocks * (pageblock_order + 1))
    this.stale = new Uint8Array(nr_blocks).fill(1)
  }

  free(pfn: number): void {
    const i = pfn - this.first_pfn
    this.free_map[i] = 1
    this.block_free[i >> pageblock_order]++
    this.stale[i >> pageblock_order] = 1
    this.nr_free++
  }

  take(pfn: number): void {
    const i = pfn - this.first_pfn
    this.free_map[i] = 0
    this.block_free[i >> pageblock_order]--
    this.stale[i >> pageblock_order] = 1
    this.nr_free--
  }

  /** Takes every free frame of block `b` (it changes migratetype), handing each to `to`. */
  take_block(b: number, to: (pfn: number) => void): void {
    const base = b * pageblock_nr_pages
    for (let i = base; i < base + pageblock_nr_pages; i++)
      if (this.free_map[i]) {
        this.free_map[i] = 0
        to(this.first_pfn + i)
      }
    this.nr_free -= this.block_free[b]
    this.block_free[b] = 0
    this.stale[b] = 1
  }

  /** Offset in block `b` of its first buddy chunk of `order`, or -1. */
  chunk(b: number, order: number): number {
    if (this.stale[b]) this.split(b)
    return this.chunks[b * (pageblock_order + 1) + order]
  }

  /** Recomputes block b's buddy chunks from its free map. */
  private split(b: number): void {
    const base = b * pageblock_nr_pages
    const p = this.prefix
    for (let i = 0; i < pageblock_nr_pages; i++) p[i + 1] = p[i] + this.free_map[base + i]
    this.chunks.fill(-1, b * (pageblock_order + 1), (b + 1) * (pageblock_order + 1))
    this.visit(b, 0, pageblock_order)
    this.stale[b] = 0
  }

  private visit(b: number, lo: number, order: number): void {
    const n = this.prefix[lo + (1 << order)] - this.prefix[lo]
    if (n === 0) return
    if (n === 1 << order) {
      const at = b * (pageblock_order + 1) + order
      if (this.chunks[at] < 0) this.chunks[at] = lo
      return
    }
    this.visit(b, lo, order - 1)
    this.visit(b, lo + (1 << (order - 1)), order - 1)
  }
}
