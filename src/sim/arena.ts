/*
 * Typed arrays recycled from one run to the next in the same thread (a worker runs many): a run's
 * page-frame, swap-slot and mapping arrays are tens of megabytes, and fresh ones cost a page fault
 * and a zeroing of every page they touch, up to a fifth of a short run. A recycled array is filled
 * exactly as a fresh one would be, so results do not depend on what ran before.
 */

type Typed = Int32Array | Uint32Array | Uint16Array | Uint8Array

/** Buffers released by the last run, largest first; taken best-fit. */
let spare: ArrayBuffer[] = []

/** A spare buffer of at least `bytes`, or null. */
function take(bytes: number): ArrayBuffer | null {
  let best = -1
  for (let i = 0; i < spare.length; i++)
    if (spare[i].byteLength >= bytes && (best < 0 || spare[i].byteLength < spare[best].byteLength))
      best = i
  return best < 0 ? null : spare.splice(best, 1)[0]
}

/** The arrays one run holds; release() hands them to the next run. */
export class Arena {
  private held: ArrayBuffer[] = []
  private released = false

  int32(length: number, fill = 0): Int32Array {
    const b = take(length * 4)
    return this.own(b ? new Int32Array(b, 0, length) : new Int32Array(length), fill, b !== null)
  }
  uint32(length: number): Uint32Array {
    const b = take(length * 4)
    return this.own(b ? new Uint32Array(b, 0, length) : new Uint32Array(length), 0, b !== null)
  }
  uint16(length: number): Uint16Array {
    const b = take(length * 2)
    return this.own(b ? new Uint16Array(b, 0, length) : new Uint16Array(length), 0, b !== null)
  }
  uint8(length: number, fill = 0): Uint8Array {
    const b = take(length)
    return this.own(b ? new Uint8Array(b, 0, length) : new Uint8Array(length), fill, b !== null)
  }

  /**
   * Gives every array back for the next run; the run's kernel must not be used afterwards. Only
   * the latest run's arrays are kept, so a thread holds at most one run's worth.
   */
  release(): void {
    if (this.released) return
    this.released = true
    spare = this.held.sort((a, b) => b.byteLength - a.byteLength)
    this.held = []
  }

  /** Keeps a's buffer for release(); fills it unless it is a fresh one already holding `fill`. */
  private own<T extends Typed>(a: T, fill: number, reused: boolean): T {
    this.held.push(a.buffer as ArrayBuffer)
    if (reused || fill !== 0) a.fill(fill)
    return a
  }
}

/** Fresh arrays that nothing recycles (tests and one-off kernels). */
export const FRESH = {
  int32: (length: number, fill = 0): Int32Array =>
    fill === 0 ? new Int32Array(length) : new Int32Array(length).fill(fill),
  uint32: (length: number): Uint32Array => new Uint32Array(length),
  uint16: (length: number): Uint16Array => new Uint16Array(length),
  uint8: (length: number, fill = 0): Uint8Array =>
    fill === 0 ? new Uint8Array(length) : new Uint8Array(length).fill(fill)
}

export type ArrayStore = Pick<Arena, 'int32' | 'uint32' | 'uint16' | 'uint8'>
