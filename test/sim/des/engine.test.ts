import { describe, expect, it } from 'vitest'
import { EventHeap } from '../../../src/sim/des/heap'
import { Engine } from '../../../src/sim/des/engine'
import { Rng, Streams } from '../../../src/sim/des/prng'

describe('event heap and engine', () => {
  it('orders by time, then by insertion sequence', () => {
    const h = new EventHeap()
    const out: string[] = []
    const add = (t: number, s: string) => h.push(t, () => out.push(s))
    add(5, 'a')
    add(1, 'b')
    add(5, 'c')
    add(3, 'd')
    add(1, 'e')
    while (h.size) h.pop()(0)
    expect(out).toEqual(['b', 'e', 'd', 'a', 'c'])
  })
  it('runs events up to `until` in virtual integer time', () => {
    const env = new Engine()
    const seen: number[] = []
    env.after(10.2, () => seen.push(env.now))
    env.after(30, () => seen.push(env.now))
    env.run(20)
    expect(seen).toEqual([11])
    expect(env.now).toBe(20)
    env.run(100)
    expect(seen).toEqual([11, 30])
  })
})

describe('PRNG streams', () => {
  it('is deterministic per (seed, name) and independent across names', () => {
    const a = new Streams(42).get('workload')
    const b = new Streams(42).get('workload')
    const xs = Array.from({ length: 5 }, () => a.u32())
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs)
    // Drawing from another stream does not disturb this one (common random numbers).
    const s = new Streams(42)
    s.get('zram').u32()
    expect(Array.from({ length: 5 }, () => s.get('workload').u32())).toEqual(xs)
    expect(new Rng(43, 'workload').u32()).not.toBe(xs[0])
  })
  it('next() is uniform enough: mean ≈ 0.5 over 10,000 draws', () => {
    const r = new Rng(1, 'x')
    let sum = 0
    for (let i = 0; i < 10000; i++) sum += r.next()
    expect(sum / 10000).toBeGreaterThan(0.49)
    expect(sum / 10000).toBeLessThan(0.51)
  })
})
