import { describe, expect, it } from 'vitest'
import { EventHeap } from '../../src/sim/des/heap'
import { Engine } from '../../src/sim/des/engine'
import { Rng, Streams } from '../../src/sim/des/prng'
import { Scheduler } from '../../src/sim/cpu/scheduler'
import { cpu, sleep, wait } from '../../src/sim/cpu/thread'
import { WaitQueue } from '../../src/sim/cpu/waitqueue'

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

describe('fair time-sliced scheduler', () => {
  it('two CPU-bound threads on one core share it; per-thread CPU and wait are accounted', () => {
    const env = new Engine()
    const s = new Scheduler(env, [{ class: 'big', speed: 1 }])
    const body = function* () {
      for (;;) yield cpu(1_000_000)
    }
    const a = s.spawn('a', 'other', 0, body)
    const b = s.spawn('b', 'other', 0, body)
    env.run(1e9)
    expect(a.cpu_ns + b.cpu_ns).toBe(1e9)
    expect(Math.abs(a.cpu_ns - b.cpu_ns)).toBeLessThan(0.01e9)
    expect(a.wait_ns).toBeGreaterThan(0.45e9)
  })
  it('nice weights: nice 0 vs nice 5 get about 1024:335', () => {
    const env = new Engine()
    const s = new Scheduler(env, [{ class: 'big', speed: 1 }])
    const body = function* () {
      for (;;) yield cpu(500_000)
    }
    const a = s.spawn('a', 'other', 0, body)
    const b = s.spawn('b', 'other', 5, body)
    env.run(2e9)
    expect(a.cpu_ns / b.cpu_ns).toBeGreaterThan(2.7)
    expect(a.cpu_ns / b.cpu_ns).toBeLessThan(3.4)
  })
  it('work runs faster on a faster core; a second core only helps a second thread', () => {
    const run = (speeds: number[], threads: number) => {
      const env = new Engine()
      const s = new Scheduler(
        env,
        speeds.map((speed) => ({ class: 'c', speed }))
      )
      let done = 0
      for (let i = 0; i < threads; i++)
        s.spawn(`t${i}`, 'other', 0, function* () {
          yield cpu(100_000_000)
          done = Math.max(done, env.now)
        })
      env.run(1e10)
      return done
    }
    expect(run([2], 1)).toBe(50_000_000)
    expect(run([1], 2)).toBe(200_000_000)
    expect(run([1, 1], 2)).toBe(100_000_000)
    expect(run([1, 1], 1)).toBe(100_000_000)
  })
  it('wait queues: wake_up wakes the waiter with true, a timeout with false', () => {
    const env = new Engine()
    const s = new Scheduler(env, [{ class: 'big', speed: 1 }])
    const wq = new WaitQueue('q')
    const got: [number, boolean | undefined][] = []
    s.spawn('w', 'other', 0, function* () {
      const first = yield wait(wq, 1000)
      got.push([env.now, first])
      const second = yield wait(wq, 1000)
      got.push([env.now, second])
    })
    s.spawn('k', 'other', 0, function* () {
      yield sleep(500)
      wq.wake_up_all()
    })
    env.run(1e6)
    expect(got).toEqual([
      [500, true],
      [1500, false]
    ])
  })
})
