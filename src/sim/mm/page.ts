import * as mm_types from './types'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { NR_LRU_LISTS } = mm_types

/**
 * struct page / struct folio as a struct of arrays over all page frames (order-0 folios), with the
 * LRU lists as intrusive circular doubly-linked lists of Int32 indices. The list heads are sentinel
 * entries after the last page frame (NR_LRU_LISTS per node).
 * Bytes per page: flags 2 + next 4 + prev 4 + mapping 4 + index 4 + nid 1 = 19.
 */
export class Pages {
  readonly nr: number
  readonly flags: Uint16Array
  readonly next: Int32Array
  readonly prev: Int32Array
  /** Owning address_space (Mapping id), -1 if free. */
  readonly mapping: Int32Array
  /** Page index inside the mapping. */
  readonly index: Int32Array
  readonly nid: Uint8Array

  constructor(nr: number, nr_nodes: number) {
    this.nr = nr
    const total = nr + nr_nodes * NR_LRU_LISTS
    this.flags = new Uint16Array(total)
    this.next = new Int32Array(total)
    this.prev = new Int32Array(total)
    this.mapping = new Int32Array(nr).fill(-1)
    this.index = new Int32Array(nr)
    this.nid = new Uint8Array(nr)
    for (let h = nr; h < total; h++) {
      this.next[h] = h
      this.prev[h] = h
    }
  }

  lru_head(nid: number, lru: number): number {
    return this.nr + nid * NR_LRU_LISTS + lru
  }

  /** list_add(): insert at the head. */
  list_add(p: number, head: number): void {
    const n = this.next[head]
    this.next[p] = n
    this.prev[p] = head
    this.prev[n] = p
    this.next[head] = p
  }

  /** list_add_tail(): insert at the tail (the end the scanner takes from). */
  list_add_tail(p: number, head: number): void {
    const pr = this.prev[head]
    this.next[p] = head
    this.prev[p] = pr
    this.next[pr] = p
    this.prev[head] = p
  }

  list_del(p: number): void {
    const n = this.next[p]
    const pr = this.prev[p]
    this.next[pr] = n
    this.prev[n] = pr
    this.next[p] = p
    this.prev[p] = p
  }

  /** lru_to_folio(): the tail entry, or -1 if the list is empty. */
  tail(head: number): number {
    const t = this.prev[head]
    return t === head ? -1 : t
  }
}
