import { describe, expect, it } from 'vitest'
import { Engine } from '../../../src/sim/des/engine'
import { Core, Scheduler } from '../../../src/sim/cpu/scheduler'
import { Thread, call, cpu, sleep, wait, type Sub } from '../../../src/sim/cpu/thread'
import { WaitQueue } from '../../../src/sim/cpu/waitqueue'
import { TICK_NSEC } from '../../../src/sim/cpu/weights'

function machine(speeds: number[]) {
  const env = new Engine()
  const s = new Scheduler(
    env,
    speeds.map((speed) => ({ class: 'c', speed }))
  )
  return { env, s }
}
const hog = function* () {
  for (;;) yield cpu(1_000_000)
}

describe('EEVDF per-CPU scheduler (kernel/sched/fair.c)', () => {
  it('two CPU-bound threads on one core share it, switching only at ticks', () => {
    const { env, s } = machine([1])
    const switches: number[] = []
    let last: Thread | null = null
    s.onBurst = (_c, t, start) => {
      if (last && t !== last) switches.push(start)
      last = t
    }
    const a = s.spawn('a', 'other', 0, hog)
    const b = s.spawn('b', 'other', 0, hog)
    env.run(1e9)
    expect(a.cpu_ns + b.cpu_ns).toBe(1e9)
    expect(Math.abs(a.cpu_ns - b.cpu_ns)).toBeLessThanOrEqual(TICK_NSEC)
    // The slice (0.75 ms on one CPU) is over long before a tick: a switch every tick (HZ=250).
    expect(switches.every((t) => t % TICK_NSEC === 0)).toBe(true)
    expect(switches.length).toBeGreaterThan(240)
  })
  it('nice weights: nice 0 vs nice 5 get about 1024:335', () => {
    const { env, s } = machine([1])
    const a = s.spawn('a', 'other', 0, hog)
    const b = s.spawn('b', 'other', 5, hog)
    env.run(4e9)
    expect(a.cpu_ns / b.cpu_ns).toBeGreaterThan(2.7)
    expect(a.cpu_ns / b.cpu_ns).toBeLessThan(3.4)
  })
  it('work runs faster on a faster core; a second core only helps a second thread', () => {
    const run = (speeds: number[], threads: number) => {
      const { env, s } = machine(speeds)
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
    const { env, s } = machine([1])
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
  it('a periodic sleeper beside a CPU hog waits at most a tick, mostly not at all', () => {
    const { env, s } = machine([1])
    s.spawn('hog', 'other', 0, hog)
    let wakeups = 0
    let worst = 0
    s.spawn('sleeper', 'other', 0, function* (t) {
      for (;;) {
        yield sleep(10_000_000)
        wakeups++
        const waited = t.wait_ns
        yield cpu(200_000)
        worst = Math.max(worst, t.wait_ns - waited)
      }
    })
    env.run(1e9)
    // It wakes with no lag (DELAY_DEQUEUE clipped it to 0): it preempts the hog at once when the
    // hog is past its deadline (the last 3.25 ms of each 4 ms tick), else it waits for the tick.
    expect(wakeups).toBeGreaterThan(90)
    expect(worst).toBeLessThanOrEqual(TICK_NSEC)
    expect(worst).toBeGreaterThan(0)
  })
  it('a waking thread goes to an idle CPU rather than wait behind a busy one', () => {
    const { env, s } = machine([1, 1])
    const h = s.spawn('hog', 'other', 0, hog)
    const sleeper = s.spawn('sleeper', 'other', 0, function* () {
      for (;;) {
        yield cpu(1_000_000)
        yield sleep(3_000_000)
      }
    })
    env.run(1e9)
    expect(sleeper.wait_ns).toBe(0)
    expect(h.wait_ns).toBe(0)
    expect(sleeper.cpu).not.toBe(h.cpu)
  })
  it('a CPU going idle pulls a waiting thread (sched_balance_newidle)', () => {
    const { env, s } = machine([1, 1])
    const threads: Thread[] = []
    // Three CPU-bound threads on two CPUs, one of them stopping after 100 ms: its CPU must not
    // stay idle while another CPU has a thread waiting.
    threads.push(s.spawn('a', 'other', 0, hog), s.spawn('b', 'other', 0, hog))
    threads.push(
      s.spawn('c', 'other', 0, function* () {
        yield cpu(100_000_000)
      })
    )
    env.run(1e9)
    const busy = s.cores.reduce((a, c) => a + c.busy_ns, 0)
    expect(busy).toBe(2e9)
    expect(threads[2].cpu_ns).toBe(100_000_000)
  })
})

/** Each thread's turns on a one-CPU machine: [thread name, start, end] in order. */
function turnsOf(s: Scheduler): Array<[string, number, number]> {
  const turns: Array<[string, number, number]> = []
  s.onBurst = (_c, t, start, end) => {
    const last = turns[turns.length - 1]
    if (last && last[0] === t.name && last[2] === start) last[2] = end
    else turns.push([t.name, start, end])
  }
  return turns
}

describe('preemption models and lost ticks', () => {
  // Kernel code in units of 300 µs (a reclaim pass's folios, say) beside a user-mode hog.
  const kernel = function* () {
    for (;;) yield cpu(30_000_000, 100)
  }
  it('CONFIG_PREEMPT: a kernel-mode thread is switched out at the tick like any other', () => {
    const env = new Engine()
    const s = new Scheduler(env, [{ class: 'c', speed: 1 }], false)
    const turns = turnsOf(s)
    s.spawn('k', 'kswapd', 0, kernel)
    s.spawn('hog', 'other', 0, hog)
    env.run(1e9)
    for (const [, start, end] of turns.slice(1, -1)) {
      expect(start % TICK_NSEC).toBe(0)
      expect(end % TICK_NSEC).toBe(0)
    }
  })
  it('CONFIG_PREEMPT_VOLUNTARY: it runs on to its next preemption point, and the hog gets two ticks now and then', () => {
    const env = new Engine()
    const s = new Scheduler(env, [{ class: 'c', speed: 1 }], true)
    const turns = turnsOf(s)
    s.spawn('k', 'kswapd', 0, kernel)
    s.spawn('hog', 'other', 0, hog)
    env.run(2e9)
    const k = turns.slice(1, -1).filter(([n]) => n === 'k')
    const h = turns.slice(1, -1).filter(([n]) => n === 'hog')
    // Its turns end at a unit's end, up to 300 µs after the tick that asked for the switch ...
    for (const [, start, end] of k) {
      expect(end - start).toBeGreaterThanOrEqual(TICK_NSEC)
      expect(end - start).toBeLessThan(TICK_NSEC + 300_000)
    }
    expect(k.filter(([, , end]) => end % TICK_NSEC !== 0).length).toBeGreaterThan(k.length / 2)
    // ... so the hog's turns start late and end on ticks, shorter by as much; once the difference
    // adds up, the hog's vruntime is behind and it keeps the CPU for a second tick.
    for (const [, , end] of h) expect(end % TICK_NSEC).toBe(0)
    const doubles = h.filter(([, start, end]) => end - start > TICK_NSEC + 300_000).length
    expect(doubles).toBeGreaterThan(0)
    expect(doubles).toBeLessThan(h.length / 4)
  })
  it('a lost tick (device.lost_tick_pct) leaves the running thread on for one more tick', () => {
    const env = new Engine()
    let n = 0
    const s = new Scheduler(env, [{ class: 'c', speed: 1 }], false, () => ++n % 10 === 0)
    const turns = turnsOf(s)
    s.spawn('a', 'other', 0, hog)
    s.spawn('b', 'other', 0, hog)
    env.run(2e9)
    const lengths = turns.slice(1, -1).map(([, start, end]) => (end - start) / TICK_NSEC)
    // every tenth switching tick is lost: a turn of two ticks about every ten turns
    expect(lengths.every((l) => l === 1 || l === 2)).toBe(true)
    const doubles = lengths.filter((l) => l === 2).length
    expect(doubles / lengths.length).toBeGreaterThan(0.07)
    expect(doubles / lengths.length).toBeLessThan(0.13)
  })
})

describe('user and system time', () => {
  it('kernel bursts count as stime, and an interrupt in the mode of the burst it lands in', () => {
    const { env, s } = machine([1])
    const t = s.spawn('p', 'app', 0, function* () {
      yield cpu(3_000_000) // user code
      yield cpu(2_000_000, 4) // a fault path with four preemption points
      yield cpu(1_000_000, 0, true) // kernel code without a known preemption point
      yield cpu(5_000_000) // user code again, a flush lands in it
    })
    env.at(7_000_000, () => s.interrupt(t, 500_000))
    env.run(1e9)
    expect(t.cpu_ns).toBe(11_500_000)
    expect(t.stime_ns).toBe(3_000_000)
  })
})

describe('load balancing (sched_balance_rq()) and PELT', () => {
  it('three CPU-bound threads on two CPUs take turns on the lone CPU: none is left with half a CPU', () => {
    const { env, s } = machine([1, 1])
    const moves: number[] = []
    const threads = ['a', 'b', 'c'].map((n) => s.spawn(n, 'other', 0, hog))
    const cpus = threads.map((t) => t.cpu)
    const track = (): void => {
      threads.forEach((t, i) => {
        if (t.cpu !== cpus[i]) moves.push(env.now)
        cpus[i] = t.cpu
      })
      env.after(1_000_000, track)
    }
    env.after(1_000_000, track)
    env.run(10e9)
    // Without balancing the two sharing a CPU would get 1/2 each and the third 1 (here 0.60-0.79).
    for (const t of threads) expect(t.cpu_ns / 10e9).toBeGreaterThan(0.58)
    for (const t of threads) expect(t.cpu_ns / 10e9).toBeLessThan(0.85)
    // The lone CPU's share of the busiest's load (512 of 1024) moves only once a balance has
    // failed (shr_bound(1024, 1) = 512): a move every two balance intervals (2 × 28 ms) or so.
    expect(moves.length).toBeGreaterThan(120)
    expect(moves.length).toBeLessThan(250)
  })
  it('two CPU-bound threads on two CPUs: balanced, nothing waits and no balance fails', () => {
    const { env, s } = machine([1, 1])
    const a = s.spawn('a', 'other', 0, hog)
    const b = s.spawn('b', 'other', 0, hog)
    env.run(100_000_000)
    // two threads on two CPUs: nothing to balance, neither waits
    expect([a.wait_ns, b.wait_ns]).toEqual([0, 0])
    expect(s.cores.map((c) => c.nr_balance_failed)).toEqual([0, 0])
  })
  it('a woken sleeper’s load_avg has decayed: 32 periods asleep halve it (y^32 = 1/2)', () => {
    const { env, s } = machine([1])
    const t = s.spawn('t', 'other', 0, function* () {
      yield cpu(1_000_000_000)
      yield sleep(32 * 1_024_000)
      yield cpu(1000)
    })
    const seen: number[] = []
    env.after(1_000_000_000, () => seen.push(t.load_avg))
    env.run(2e9)
    // a second on the run queue: load_avg within 0.1% of the weight
    expect(seen[0]).toBeGreaterThan(1023)
    // updated when it was queued again after 32.768 ms asleep
    expect(t.load_avg).toBeGreaterThan(511.9)
    expect(t.load_avg).toBeLessThan(513)
  })
})

/** A thread for the EEVDF arithmetic, nice 0 unless given a weight. */
function entity(name: string, vruntime: number, weight = 1024): Thread {
  const t = new Thread(0, name, 'other', weight)
  t.vruntime = vruntime
  t.slice = 750_000
  return t
}

describe('call(): a sub-step as a frame of its own', () => {
  /** A sub-step three levels down that sleeps, waits and burns CPU, then returns a value. */
  function* inner(env: Engine, log: string[], wq: WaitQueue): Sub<number> {
    log.push(`inner starts ${env.now}`)
    yield cpu(1000)
    const woken = yield wait(wq, 5000)
    log.push(`inner woken ${String(woken)} at ${env.now}`)
    yield sleep(2000)
    return 42
  }
  function* middle(env: Engine, log: string[], wq: WaitQueue, framed: boolean): Sub<number> {
    const v = framed ? yield* call(inner(env, log, wq)) : yield* inner(env, log, wq)
    log.push(`middle got ${v} at ${env.now}`)
    yield cpu(500)
    return v + 1
  }
  function trace(framed: boolean): { log: string[]; t: Thread } {
    const { env, s } = machine([1])
    const log: string[] = []
    const wq = new WaitQueue('q')
    const t = s.spawn('t', 'other', 0, function* () {
      const v = yield* middle(env, log, wq, framed)
      log.push(`body got ${v} at ${env.now}`)
    })
    env.after(3000, () => wq.wake_up_all())
    env.run(1e6)
    return { log, t }
  }

  it('runs, waits and returns exactly as the same sub-step under yield* does', () => {
    const framed = trace(true)
    expect(framed.log).toEqual(trace(false).log)
    expect(framed.log).toEqual([
      'inner starts 0',
      'inner woken true at 3000',
      'middle got 42 at 5000',
      'body got 43 at 5500'
    ])
    expect(framed.t.frames).toEqual([])
    expect(framed.t.cpu_ns).toBe(1500)
  })

  it('a thread killed inside a frame drops its frames', () => {
    const { env, s } = machine([1])
    let after = false
    const t = s.spawn('t', 'other', 0, function* () {
      yield* call(
        (function* (): Sub<void> {
          yield sleep(10_000)
        })()
      )
      after = true
    })
    env.after(5000, () => s.kill(t))
    env.run(1e6)
    expect(t.frames).toEqual([])
    expect(after).toBe(false)
  })
})

describe('EEVDF arithmetic on one run queue (kernel/sched/fair.c)', () => {
  it('avg_vruntime() is the weighted mean vruntime of current and queued threads', () => {
    const c = new Core(0, 'c', 1)
    c.current = entity('curr', 1000)
    c.queue.push(entity('a', 4000, 3072))
    expect(c.avg_vruntime()).toBe((1000 * 1024 + 4000 * 3072) / 4096)
  })
  it('pick_eevdf(): among eligible threads (v <= V) the earliest deadline; ineligible ones wait', () => {
    const c = new Core(0, 'c', 1)
    const a = entity('a', 0)
    a.deadline = 900
    const b = entity('b', 100)
    b.deadline = 500
    const late = entity('late', 10_000)
    late.deadline = 10
    c.queue.push(a, b, late)
    // V = 3366: a and b are eligible, `late` (earliest deadline of all) is not.
    expect(c.pick_eevdf()).toBe(b)
  })
  it('RUN_TO_PARITY: an eligible current keeps the CPU until its deadline, then loses it', () => {
    const c = new Core(0, 'c', 1)
    const curr = entity('curr', 0)
    curr.deadline = 1000
    curr.run_to_parity = true
    const w = entity('woken', 0)
    w.deadline = 10
    c.current = curr
    c.queue.push(w)
    expect(c.pick_eevdf()).toBe(curr)
    curr.vruntime = 1000
    expect(c.update_deadline(curr)).toBe(true)
    expect(curr.run_to_parity).toBe(false)
    expect(c.pick_eevdf()).toBe(w)
  })
  it('place_entity(): lag is inflated by (W + w)/W so it survives its own effect on V', () => {
    const c = new Core(0, 'c', 1)
    c.current = entity('curr', 10_000)
    const t = entity('t', 0)
    t.vlag = 600
    c.place_entity(t, false)
    c.queue.push(t)
    expect(t.vruntime).toBe(10_000 - 1200)
    expect(c.avg_vruntime() - t.vruntime).toBe(600)
    expect(t.deadline).toBe(t.vruntime + 750_000)
    const fresh = entity('fresh', 0)
    c.place_entity(fresh, true)
    expect(fresh.deadline - fresh.vruntime).toBe(375_000)
  })
  it('update_entity_lag(): V - v, clamped to two slices of virtual time (at least a tick)', () => {
    const c = new Core(0, 'c', 1)
    c.current = entity('curr', 0)
    const t = entity('t', 50_000_000)
    c.queue.push(t)
    c.update_entity_lag(t)
    expect(t.vlag).toBe(-TICK_NSEC)
    const heavy = entity('heavy', -50_000_000, 2048)
    c.queue.push(heavy)
    c.update_entity_lag(heavy)
    expect(heavy.vlag).toBe((TICK_NSEC * 1024) / 2048)
  })
})
