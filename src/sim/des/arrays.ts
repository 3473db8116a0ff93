/**
 * Reuse of the model's large typed arrays (page frames, free lists, swap slots, page tables)
 * between runs in the same thread. A fresh array's memory is mapped by the OS page by page on its
 * first write, and on a virtual machine such a fault costs about as much as simulating several
 * events; a run that touches more of its arrays (a fuller swap device, a region torn down at
 * exit) pays more. runSimulationSync hands the arrays of a finished run back here, and the next
 * run takes those of the same type and length, refilled with their initial value, so its result
 * is the same. The pool holds at most the arrays of the last finished run.
 */
type Pooled = Int32Array | Uint8Array | Uint16Array | Uint32Array

/** Smaller arrays are cheap to allocate: not pooled. */
const MIN_LENGTH = 4096

let pool = new Map<string, Pooled[]>()
/** Arrays of regions unmapped during the current run (handed on at its end). */
let retired: Pooled[] = []

function take<T extends Pooled>(
  name: string,
  length: number,
  fill: number,
  create: (n: number) => T
): T {
  if (length >= MIN_LENGTH) {
    const a = pool.get(`${name}:${length}`)?.pop() as T | undefined
    if (a) return a.fill(fill) as T
  }
  const a = create(length)
  return fill !== 0 ? (a.fill(fill) as T) : a
}

export function int32Array(length: number, fill = 0): Int32Array {
  return take('i32', length, fill, (n) => new Int32Array(n))
}
export function uint32Array(length: number): Uint32Array {
  return take('u32', length, 0, (n) => new Uint32Array(n))
}
export function uint16Array(length: number): Uint16Array {
  return take('u16', length, 0, (n) => new Uint16Array(n))
}
export function uint8Array(length: number): Uint8Array {
  return take('u8', length, 0, (n) => new Uint8Array(n))
}

function nameOf(a: Pooled): string {
  if (a instanceof Int32Array) return 'i32'
  if (a instanceof Uint32Array) return 'u32'
  if (a instanceof Uint16Array) return 'u16'
  return 'u8'
}

/**
 * An unmapped region's arrays (release_mapping()): kept until the run ends, then pooled with the
 * others (a fault in progress may still hold them until then).
 */
export function retireArray(a: Pooled | null): void {
  if (a && a.length >= MIN_LENGTH) retired.push(a)
}

/**
 * Hands a finished run's arrays, and those it retired, to the next run (dropping what the previous
 * run left unused). The caller must not use them afterwards except to read them until the next
 * run starts.
 */
export function recycleArrays(arrays: Iterable<Pooled | null>): void {
  pool = new Map()
  const seen = new Set<Pooled>()
  const old = retired
  retired = []
  for (const a of [...arrays, ...old]) {
    if (!a || a.length < MIN_LENGTH || seen.has(a)) continue
    seen.add(a)
    const key = `${nameOf(a)}:${a.length}`
    const l = pool.get(key)
    if (l) l.push(a)
    else pool.set(key, [a])
  }
}

/** Lets the pooled arrays go (an idle worker: see worker.ts). */
export function dropArrays(): void {
  pool = new Map()
  retired = []
}
