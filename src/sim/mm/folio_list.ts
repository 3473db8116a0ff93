/**
 * A list of isolated folios (the kernel's on-stack `LIST_HEAD(folio_list)`), reused from pass to
 * pass: a JS array emptied with `length = 0` drops its backing store and regrows on every pass.
 */
export class FolioList {
  pfns: Int32Array
  length = 0

  constructor(capacity = 32) {
    this.pfns = new Int32Array(capacity)
  }

  push(pfn: number): void {
    if (this.length === this.pfns.length) {
      const grown = new Int32Array(2 * this.pfns.length)
      grown.set(this.pfns)
      this.pfns = grown
    }
    this.pfns[this.length++] = pfn
  }

  [Symbol.iterator](): IterableIterator<number> {
    return this.pfns.subarray(0, this.length)[Symbol.iterator]()
  }
}
