import { describe, expect, it } from 'vitest'
import { Engine } from '../../src/sim/des/engine'
import { Scheduler } from '../../src/sim/cpu/scheduler'
import { cpu, sleep } from '../../src/sim/cpu/thread'
import { Psi } from '../../src/sim/metrics/psi'

function machine(ncpus: number) {
  const env = new Engine()
  const s = new Scheduler(
    env,
    Array.from({ length: ncpus }, () => ({ class: 'c', speed: 1 }))
  )
  const psi = new Psi(s, ncpus)
  s.observer = psi
  return { env, s, psi }
}

describe('PSI memory (some/full from simulated stall time)', () => {
  it('one task stalled for 1 s, nothing else running: some = full = 1 s', () => {
    const { env, s, psi } = machine(2)
    s.spawn('r', 'other', 0, function* (t) {
      s.psi_memstall_enter(t)
      yield cpu(1e9)
      s.psi_memstall_leave(t)
    })
    env.run(3e9)
    psi.beforeChange(env.now)
    expect(psi.some_ns).toBe(1e9)
    expect(psi.full_ns).toBe(1e9)
  })
  it.each([
    [2, 0.5e9, 0.5e9],
    [1, 1e9, 0]
  ])(
    'a stalled task beside a productive one on %i CPU(s): some %d ns, full %d ns',
    (ncpus, some, full) => {
      // threads = min(nonidle, ncpus); SOME = min(stalled / threads, 1); FULL = (threads - min(productive, threads)) / threads
      const { env, s, psi } = machine(ncpus)
      s.spawn('stall', 'other', 0, function* (t) {
        s.psi_memstall_enter(t)
        yield sleep(1e9)
        s.psi_memstall_leave(t)
      })
      s.spawn('busy', 'other', 0, function* () {
        yield cpu(1e9)
      })
      env.run(1e9)
      psi.beforeChange(env.now)
      expect(psi.some_ns).toBe(some)
      expect(psi.full_ns).toBe(full)
    }
  )
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
