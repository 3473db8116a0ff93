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
  it('a re-armed timer fires once, at its last time, in the order at() would give it then', () => {
    const env = new Engine()
    const out: string[] = []
    const id = env.timer((arg) => out.push(`timer${arg}@${env.now}`))
    env.at(20, () => out.push(`a@${env.now}`))
    env.arm(id, 10, 1)
    env.arm(id, 30, 2)
    env.at(30, () => out.push(`b@${env.now}`))
    // Moved to 20: armed after a's at(20), so it runs after a.
    env.arm(id, 19.5, 3)
    env.run(100)
    expect(out).toEqual(['a@20', 'timer3@20', 'b@30'])
    // Events counts what ran: three, not the two superseded arms.
    expect(env.events).toBe(3)
  })
  it('a disarmed timer does not fire; a timer armed in its own callback fires again', () => {
    const env = new Engine()
    const out: number[] = []
    const gone = env.timer(() => out.push(-1))
    env.arm(gone, 5)
    env.disarm(gone)
    let n = 0
    const tick = env.timer(() => {
      out.push(env.now)
      if (++n < 3) env.arm(tick, env.now + 10)
    })
    env.arm(tick, 1)
    env.run(100)
    expect(out).toEqual([1, 11, 21])
  })
  it('many timers keep (time, sequence) order through moves and cancels', () => {
    const env = new Engine()
    const out: number[] = []
    const ids = Array.from({ length: 8 }, (_, i) => env.timer(() => out.push(i)))
    // Armed at 80, 70, …, 10, then every other one moved to 45 (in id order) and timer 3 cancelled.
    ids.forEach((id, i) => env.arm(id, 80 - 10 * i))
    for (let i = 0; i < 8; i += 2) env.arm(ids[i], 45)
    env.disarm(ids[3])
    env.run(100)
    expect(out).toEqual([7, 5, 0, 2, 4, 6, 1])
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
