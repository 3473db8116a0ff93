/**
 * Seeded PRNG with named, independent streams (sfc32 seeded through splitmix32 of seed ⊕ hash(name)).
 * Each purpose (workload, zram sizes, ...) draws from its own stream, so variants run with the same
 * seed see the same workload (common random numbers).
 */
function fnv1a(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0
  let z = state.s
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number, name: string) {
    const st = { s: (seed ^ fnv1a(name)) | 0 }
    this.a = splitmix32(st)
    this.b = splitmix32(st)
    this.c = splitmix32(st)
    this.d = splitmix32(st) | 1
    for (let i = 0; i < 12; i++) this.u32()
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296
  }

  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next()
  }

  /** Exponential with the given mean. */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.next())
  }

  /** Approximately normal (Irwin–Hall of 4 uniforms), mean 0, sd 1; no transcendental functions. */
  normal(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * Math.sqrt(3)
  }
}

export class Streams {
  private map = new Map<string, Rng>()
  constructor(private seed: number) {}

  get(name: string): Rng {
    let r = this.map.get(name)
    if (!r) {
      r = new Rng(this.seed, name)
      this.map.set(name, r)
    }
    return r
  }
}
