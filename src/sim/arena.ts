/*
 * Typed arrays recycled from one run to the next in the same thread (a worker runs many): a run's
 * page-frame, swap-slot and mapping arrays are tens of megabytes, and fresh ones cost a page fault
 * and a zeroing of every page they touch, up to a fifth of a short run. A recycled array is filled
 * exactly as a fresh one would be, so results do not depend on what ran before.
 */

type Typed = Int32Array | Uint32Array | Uint16Array | Uint8Array

/** Smaller arrays are left to the garbage collector. */
const MIN_BYTES = 1 << 20

/** Buffers the last run released; taken best-fit. */
let spare: ArrayBuffer[] = []

/** Lets go of the buffers kept for the next run (a worker gone idle). */
export function dropSpareArrays(): void {
  spare = []
}

/** Removes and returns the smallest buffer of `list` with at least `bytes`, or null. */
function bestFit(list: ArrayBuffer[], bytes: number): ArrayBuffer | null {
  let best = -1
  for (let i = 0; i < list.length; i++)
    if (list[i].byteLength >= bytes && (best < 0 || list[i].byteLength < list[best].byteLength))
      best = i
  return best < 0 ? null : list.splice(best, 1)[0]
}

/** The large arrays of one run; release() hands them to the next run. */
export class Arena {
  /** Buffers of the run's live arrays. */
  private held = new Set<ArrayBuffer>()
  /** Buffers of arrays the run has finished with (recycle()), reusable within the run. */
  private freed: ArrayBuffer[] = []
  private released = false

  int32(length: number, fill = 0): Int32Array {
    const b = this.take(length * 4)
    return this.own(b ? new Int32Array(b, 0, length) : new Int32Array(length), fill, b !== null)
  }
  uint32(length: number): Uint32Array {
    const b = this.take(length * 4)
    return this.own(b ? new Uint32Array(b, 0, length) : new Uint32Array(length), 0, b !== null)
  }
  uint16(length: number): Uint16Array {
    const b = this.take(length * 2)
    return this.own(b ? new Uint16Array(b, 0, length) : new Uint16Array(length), 0, b !== null)
  }
  uint8(length: number, fill = 0): Uint8Array {
    const b = this.take(length)
    return this.own(b ? new Uint8Array(b, 0, length) : new Uint8Array(length), fill, b !== null)
  }

  /** An array of this run that nothing uses any more (an unmapped region's). */
  recycle(a: Typed): void {
    const b = a.buffer as ArrayBuffer
    if (this.held.delete(b)) this.freed.push(b)
  }

  /**
   * Gives every array back for the next run; the run's kernel must not be used afterwards. Only
   * the latest run's arrays are kept, so a thread holds at most one run's worth.
   */
  release(): void {
    if (this.released) return
    this.released = true
    spare = [...this.held, ...this.freed]
    this.held.clear()
    this.freed = []
  }

  private take(bytes: number): ArrayBuffer | null {
    if (bytes < MIN_BYTES || this.released) return null
    return bestFit(this.freed, bytes) ?? bestFit(spare, bytes)
  }

  /** Keeps a's buffer (a large one) for release(); fills it unless it is fresh and `fill` is 0. */
  private own<T extends Typed>(a: T, fill: number, reused: boolean): T {
    if (a.byteLength >= MIN_BYTES && !this.released) this.held.add(a.buffer as ArrayBuffer)
    if (reused || fill !== 0) a.fill(fill)
    return a
  }
}

/** Fresh arrays that nothing recycles (tests and one-off kernels). */
export const FRESH: ArrayStore = {
  int32: (length: number, fill = 0): Int32Array =>
    fill === 0 ? new Int32Array(length) : new Int32Array(length).fill(fill),
  uint32: (length: number): Uint32Array => new Uint32Array(length),
  uint16: (length: number): Uint16Array => new Uint16Array(length),
  uint8: (length: number, fill = 0): Uint8Array =>
    fill === 0 ? new Uint8Array(length) : new Uint8Array(length).fill(fill),
  recycle: (): void => {}
}

export type ArrayStore = Pick<Arena, 'int32' | 'uint32' | 'uint16' | 'uint8' | 'recycle'>
