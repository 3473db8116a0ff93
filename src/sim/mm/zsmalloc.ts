import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters.
const { PAGE_SIZE } = mm_types

/*
 * mm/zsmalloc.c (Linux 6.12, 4 KiB pages, CONFIG_ZSMALLOC_CHAIN_SIZE 8): size classes 16 B apart
 * from ZS_MIN_ALLOC_SIZE; each object carries its ZS_HANDLE_SIZE handle; a class packs its objects
 * into zspages of 1..8 pages, the chain length that wastes least (calculate_zspage_chain_size());
 * neighbouring classes with the same pages and objects per zspage are merged (can_merge()).
 */
const ZS_MIN_ALLOC_SIZE = 32
const ZS_SIZE_CLASS_DELTA = 16
const ZS_HANDLE_SIZE = 8
const ZS_MAX_PAGES_PER_ZSPAGE = 8
const ZS_SIZE_CLASSES = Math.ceil((PAGE_SIZE - ZS_MIN_ALLOC_SIZE) / ZS_SIZE_CLASS_DELTA) + 1

function calculate_zspage_chain_size(class_size: number): number {
  if ((class_size & (class_size - 1)) === 0) return 1
  let min_waste = Infinity
  let chain_size = 1
  for (let i = 1; i <= ZS_MAX_PAGES_PER_ZSPAGE; i++) {
    const waste = (i * PAGE_SIZE) % class_size
    if (waste < min_waste) {
      min_waste = waste
      chain_size = i
    }
  }
  return chain_size
}

/** Per class index: the (merged) class it allocates from, its pages and objects per zspage. */
const classOf = new Int32Array(ZS_SIZE_CLASSES)
const pagesPerZspage = new Int32Array(ZS_SIZE_CLASSES)
const objsPerZspage = new Int32Array(ZS_SIZE_CLASSES)
for (let i = ZS_SIZE_CLASSES - 1, prev = -1; i >= 0; i--) {
  const size = Math.min(ZS_MIN_ALLOC_SIZE + i * ZS_SIZE_CLASS_DELTA, PAGE_SIZE)
  const pages = calculate_zspage_chain_size(size)
  const objs = Math.floor((pages * PAGE_SIZE) / size)
  if (prev >= 0 && pagesPerZspage[prev] === pages && objsPerZspage[prev] === objs) {
    classOf[i] = prev
    continue
  }
  classOf[i] = i
  pagesPerZspage[i] = pages
  objsPerZspage[i] = objs
  prev = i
}

function size_class(len: number): number {
  const size = len + ZS_HANDLE_SIZE
  const idx =
    size > ZS_MIN_ALLOC_SIZE ? Math.ceil((size - ZS_MIN_ALLOC_SIZE) / ZS_SIZE_CLASS_DELTA) : 0
  return classOf[Math.min(idx, ZS_SIZE_CLASSES - 1)]
}

/** size_class() of every length a page compresses to (0..PAGE_SIZE): a lookup per object. */
const classOfLen = new Int32Array(PAGE_SIZE + 1)
for (let len = 0; len <= PAGE_SIZE; len++) classOfLen[len] = size_class(len)

/** The size class an object of `len` bytes goes to (zs_malloc(): handle added, rounded up). */
export function zs_class(len: number): number {
  return len >= 0 && len <= PAGE_SIZE ? classOfLen[len] : size_class(len)
}

/**
 * A zsmalloc pool's page count: objects per class, packed into whole zspages.
 * Simplified: packed as if compacted (a free empties the last zspage of its class first).
 */
export class ZsPool {
  /** Free object slots in each class's last zspage (its objects modulo objects per zspage, counted). */
  private room = new Int32Array(ZS_SIZE_CLASSES)
  pages = 0
  /** Objects stored, each with a handle. */
  objects = 0
  /** Pages of the pool's zs_handle slab cache (mm/swap.ts: zs_handle_alloc()). */
  handle_slabs = 0

  /** zs_malloc(): the class the object went to. */
  malloc(len: number): number {
    const c = zs_class(len)
    this.objects++
    if (this.room[c] === 0) {
      this.pages += pagesPerZspage[c]
      this.room[c] = objsPerZspage[c] - 1
    } else this.room[c]--
    return c
  }

  /** zs_free() of an object of class c. */
  free(c: number): void {
    this.objects--
    if (this.room[c] === objsPerZspage[c] - 1) {
      this.pages -= pagesPerZspage[c]
      this.room[c] = 0
    } else this.room[c]++
  }
}
