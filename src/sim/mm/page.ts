import { FRESH, type ArrayStore } from '../arena'
import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { NR_LRU_LISTS, MAX_NR_GENS } = mm_types

/** List heads per node: the classic lists, then MGLRU's folios[gen][type] (single zone). */
const NR_HEADS = NR_LRU_LISTS + 2 * MAX_NR_GENS

/**
 * struct page / struct folio as a struct of arrays over all page frames (order-0 folios), with the
 * LRU lists as intrusive circular doubly-linked lists of Int32 indices. The list heads are sentinel
 * entries after the last page frame (the classic lists and MGLRU's generation lists, per node). A frame's two links sit side by side
 * in `links` (next at 2·pfn, prev at 2·pfn + 1: one cache line per list operation on the frame).
 * A frame's node follows from its number (pfn_to_nid()), as each node's frames are one range.
 * Bytes per page: flags 2 + links 8 + mapping 4 + index 4 + gen 1 = 19.
 */
export class Pages {
  readonly nr: number
  readonly flags: Uint16Array
  /** list_head: next at [2·pfn], prev at [2·pfn + 1]. */
  readonly links: Int32Array
  /** Owning address_space (Mapping id), -1 if free. */
  readonly mapping: Int32Array
  /** Page index inside the mapping. */
  readonly index: Int32Array
  /** Frames per node: node n holds [n·per_node, (n+1)·per_node). */
  readonly per_node: number
  /** MGLRU: the folio's generation + 1 (LRU_GEN_MASK), 0 when not on a generation list. */
  readonly gen: Uint8Array

  constructor(nr: number, nr_nodes: number, store: ArrayStore = FRESH) {
    this.nr = nr
    const total = nr + nr_nodes * NR_HEADS
    this.flags = store.uint16(total)
    this.links = store.int32(2 * total)
    this.mapping = store.int32(nr, -1)
    this.index = store.int32(nr)
    this.per_node = (nr / nr_nodes) | 0
    this.gen = store.uint8(nr)
    for (let h = nr; h < total; h++) {
      this.links[2 * h] = h
      this.links[2 * h + 1] = h
    }
  }

  /** pfn_to_nid(): arithmetic over the node ranges, not a byte per frame. */
  pfn_to_nid(pfn: number): number {
    return pfn < this.per_node ? 0 : (pfn / this.per_node) | 0
  }

  lru_head(nid: number, lru: number): number {
    return this.nr + nid * NR_HEADS + lru
  }

  /** MGLRU: the head of lrugen->folios[gen][type] of node nid. */
  gen_head(nid: number, gen: number, type: number): number {
    return this.nr + nid * NR_HEADS + NR_LRU_LISTS + 2 * gen + type
  }

  /** The entry after p (towards the tail). */
  next(p: number): number {
    return this.links[2 * p]
  }

  /** The entry before p (towards the head). */
  prev(p: number): number {
    return this.links[2 * p + 1]
  }

  /** list_add(): insert at the head. */
  list_add(p: number, head: number): void {
    const l = this.links
    const n = l[2 * head]
    l[2 * p] = n
    l[2 * p + 1] = head
    l[2 * n + 1] = p
    l[2 * head] = p
  }

  /** list_add_tail(): insert at the tail (the end the scanner takes from). */
  list_add_tail(p: number, head: number): void {
    const l = this.links
    const pr = l[2 * head + 1]
    l[2 * p] = head
    l[2 * p + 1] = pr
    l[2 * pr] = p
    l[2 * head + 1] = p
  }

  /**
   * Puts the chain last → … → first (each entry's next already pointing at the one added before
   * it, its prev set by the caller) at the head: what list_add() of first, …, last one by one gives.
   */
  list_splice_head(first: number, last: number, head: number): void {
    const l = this.links
    const old = l[2 * head]
    l[2 * first] = old
    l[2 * old + 1] = first
    l[2 * last + 1] = head
    l[2 * head] = last
  }

  list_del(p: number): void {
    const l = this.links
    const n = l[2 * p]
    const pr = l[2 * p + 1]
    l[2 * pr] = n
    l[2 * n + 1] = pr
    l[2 * p] = p
    l[2 * p + 1] = p
  }

  /** lru_to_folio(): the tail entry, or -1 if the list is empty. */
  tail(head: number): number {
    const t = this.links[2 * head + 1]
    return t === head ? -1 : t
  }
}
