import { describe, expect, it } from 'vitest'
import { Engine } from '../../../src/sim/des/engine'
import { Core, Scheduler } from '../../../src/sim/cpu/scheduler'
import { cpu, sleep } from '../../../src/sim/cpu/thread'
import { Psi } from '../../../src/sim/metrics/psi'

function machine(ncpus: number) {
  const env = new Engine()
  const s = new Scheduler(
    env,
    Array.from({ length: ncpus }, () => ({ class: 'c', speed: 1 }))
  )
  const psi = new Psi(s.cores)
  s.observer = psi
  return { env, s, psi }
}

/** A CPU holding the given task counts from t0 to t1 (kernel/sched/psi.c NR_* counts). */
function hold(
  psi: Psi,
  c: Core,
  t0: number,
  t1: number,
  n: { running?: number; memstall?: number; memstall_running?: number; iowait?: number }
) {
  psi.cpu_change(c, t0)
  c.nr_running = n.running ?? 0
  c.nr_memstall = n.memstall ?? 0
  c.nr_memstall_running = n.memstall_running ?? 0
  c.nr_iowait = n.iowait ?? 0
  psi.cpu_change(c, t1)
  c.nr_running = c.nr_memstall = c.nr_memstall_running = c.nr_iowait = 0
}

describe('PSI memory: the per-CPU states of kernel/sched/psi.c', () => {
  it('test_states(): SOME with a stalled task; FULL only when every runnable task is stalled', () => {
    const cases: [string, Parameters<typeof hold>[4], number, number][] = [
      // kswapd (memstall) running alone on its CPU: some and full
      ['stalled task running alone', { running: 1, memstall: 1, memstall_running: 1 }, 1, 1],
      // the eater running (productive), kswapd waiting for the same CPU: some, not full
      [
        'stalled task waiting beside a running productive one',
        { running: 2, memstall: 1, memstall_running: 1 },
        1,
        0
      ],
      // a task asleep in a memory stall (reclaim_throttle), nothing runnable: some and full
      ['stalled task asleep, CPU otherwise idle', { memstall: 1 }, 1, 1],
      // the same beside a running productive task: some only
      ['stalled task asleep beside a productive one', { running: 1, memstall: 1 }, 1, 0],
      // both stalled (direct reclaim and kswapd on one CPU): full
      ['two stalled tasks', { running: 2, memstall: 2, memstall_running: 2 }, 1, 1],
      ['no stall', { running: 3 }, 0, 0]
    ]
    for (const [what, n, some, full] of cases) {
      const { s, psi } = machine(1)
      hold(psi, s.cores[0], 0, 1e9, n)
      psi.collect(1e9)
      expect([what, psi.some_ns, psi.full_ns]).toEqual([what, some * 1e9, full * 1e9])
    }
  })
  it('collect_percpu_times(): CPUs weighted by their non-idle time; idle CPUs do not dilute', () => {
    const { s, psi } = machine(4)
    const [c0, c1] = s.cores
    // CPU0: kswapd stalled alone for the whole second; CPU1: the eater productive for half of
    // it; CPUs 2 and 3 idle. total = (1 s × 1 s + 0 × 0.5 s) / 1.5 s.
    hold(psi, c0, 0, 1e9, { running: 1, memstall: 1, memstall_running: 1 })
    hold(psi, c1, 0, 0.5e9, { running: 1 })
    psi.collect(1e9)
    expect(psi.some_ns).toBeCloseTo(1e9 / 1.5, 0)
    expect(psi.full_ns).toBeCloseTo(1e9 / 1.5, 0)
  })
  it('through the scheduler, one CPU: a stalled task beside a busy one is some, not full', () => {
    const { env, s, psi } = machine(1)
    s.spawn('busy', 'other', 0, function* () {
      yield cpu(1e9)
    })
    s.spawn('stall', 'other', 0, function* (t) {
      s.psi_memstall_enter(t)
      yield sleep(1e9)
      s.psi_memstall_leave(t)
    })
    env.run(1e9)
    psi.collect(env.now)
    expect(psi.some_ns).toBe(1e9)
    expect(psi.full_ns).toBe(0)
  })
  it('psi_group_change(): one CPU is FULL while the thread running on it is stalled', () => {
    const { env, s, psi } = machine(1)
    // kswapd-like (in a memstall) and a CPU hog share one CPU, 1 s of work each. Whenever the
    // stalled one runs, "nothing productive could run": full; while the hog runs, some only.
    s.spawn('hog', 'other', 0, function* () {
      yield cpu(1e9)
    })
    let stalledUntil = 0
    s.spawn('kswapd', 'other', 0, function* (t) {
      s.psi_memstall_enter(t)
      yield cpu(1e9)
      s.psi_memstall_leave(t)
      stalledUntil = env.now
    })
    env.run(3e9)
    psi.collect(env.now)
    expect(stalledUntil).toBeGreaterThan(1.5e9)
    expect(psi.some_ns).toBe(stalledUntil)
    expect(psi.full_ns).toBe(1e9)
  })
  it('through the scheduler, two CPUs: stalled kswapd-like and productive eater-like threads', () => {
    const { env, s, psi } = machine(2)
    // Both CPU-bound; each gets its own CPU. The stalled one makes its CPU full; the other CPU
    // is non-idle and not stalled: some = full = half the time, as in the twin guest.
    s.spawn('kswapd', 'other', 0, function* (t) {
      s.psi_memstall_enter(t)
      yield cpu(1e9)
      s.psi_memstall_leave(t)
    })
    s.spawn('eater', 'other', 0, function* () {
      yield cpu(1e9)
    })
    env.run(1e9)
    psi.collect(env.now)
    expect(psi.some_ns).toBe(0.5e9)
    expect(psi.full_ns).toBe(0.5e9)
  })
  it('averages decay with the kernel constants (EXP_10s = 1677/2048 per 2 s)', () => {
    const { env, s, psi } = machine(1)
    s.spawn('r', 'other', 0, function* (t) {
      s.psi_memstall_enter(t)
      yield cpu(2e9)
      s.psi_memstall_leave(t)
    })
    env.run(2e9)
    psi.update_averages(2e9)
    expect(psi.line('some').avg10).toBeCloseTo((100 * (2048 - 1677)) / 2048, 1)
  })
})
