/*
 * Typed arrays recycled from one run to the next in the same thread (a worker runs many): a run's
 * page-frame, swap-slot and mapping arrays are tens of megabytes, and fresh ones cost a page fault
 * and a zeroing of every page they touch, up to a fifth of a short run. A recycled array is filled
 * exactly as a fresh one would be, so results do not depend on what ran before.
 */

type Typed = Int32Array | Uint32Array | Uint16Array | Uint8Array

/**
 * Smaller arrays are left to the garbage collector. From this size on a fresh array is new zeroed
 * memory whose every page faults on first touch; a phone run makes about a hundred mapping arrays
 * of 64 KiB to 1 MiB (some 18 MB), so they are recycled as well.
 */
const MIN_BYTES = 1 << 16

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

interface TypedCtor<T extends Typed> {
  new (length: number): T
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T
  readonly BYTES_PER_ELEMENT: number
}

/** The large arrays of one run; release() hands them to the next run. */
export class Arena {
  /** Buffers of the run's live arrays. */
  private held = new Set<ArrayBuffer>()
  /** Buffers of arrays the run has finished with (recycle()), reusable within the run. */
  private freed: ArrayBuffer[] = []
  private released: boolean

  /** `recycles` false: fresh arrays every time, nothing kept (FRESH). */
  constructor(recycles = true) {
    this.released = !recycles
  }

  int32(length: number, fill = 0): Int32Array {
    return this.make(Int32Array, length, fill)
  }
  uint32(length: number): Uint32Array {
    return this.make(Uint32Array, length, 0)
  }
  uint16(length: number): Uint16Array {
    return this.make(Uint16Array, length, 0)
  }
  uint8(length: number, fill = 0): Uint8Array {
    return this.make(Uint8Array, length, fill)
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

  /**
   * A spare buffer of the run or the last run when the array is large, else a fresh one; filled
   * unless it is fresh and `fill` is 0. A large array's buffer is kept for release().
   */
  private make<T extends Typed>(ctor: TypedCtor<T>, length: number, fill: number): T {
    const bytes = length * ctor.BYTES_PER_ELEMENT
    const large = bytes >= MIN_BYTES && !this.released
    const b = large ? (bestFit(this.freed, bytes) ?? bestFit(spare, bytes)) : null
    const a = b ? new ctor(b, 0, length) : new ctor(length)
    if (large) this.held.add(a.buffer as ArrayBuffer)
    if (b || fill !== 0) a.fill(fill)
    return a
  }
}

export type ArrayStore = Pick<Arena, 'int32' | 'uint32' | 'uint16' | 'uint8' | 'recycle'>

/** Fresh arrays that nothing recycles (tests and one-off kernels). */
export const FRESH: ArrayStore = new Arena(false)
