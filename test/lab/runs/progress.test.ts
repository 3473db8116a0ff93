import { describe, expect, it } from 'vitest'
import {
  doneFraction,
  liveRate,
  secondsLeft,
  Throughput,
  type TrackedRun
} from '../../../src/lab/runs/progress'

function run(patch: Partial<TrackedRun> = {}): TrackedRun {
  return {
    batchId: 1,
    preset: 'single-cpu',
    durationS: 20,
    simS: 0,
    ended: false,
    firstReport: null,
    lastReport: null,
    ...patch
  }
}

describe('queue progress in simulated seconds', () => {
  it('counts ended runs as all their work, so a run ending never lowers the fraction', () => {
    const runs = [run({ simS: 10 }), run({ simS: 15 })]
    expect(doneFraction(runs)).toBeCloseTo(25 / 40, 9)
    // The first run ends: its 20 s count in full, the fraction grows.
    runs[0].ended = true
    expect(doneFraction(runs)).toBeCloseTo(35 / 40, 9)
    // Weighted by duration: a long run half done outweighs a short one done.
    expect(
      doneFraction([run({ durationS: 100, simS: 50 }), run({ durationS: 10, ended: true })])
    ).toBeCloseTo(60 / 110, 9)
    expect(doneFraction([])).toBe(1)
  })

  it('measures a running run from its first report, leaving the worker start-up out', () => {
    // Reported 0.2 s simulated at 5 s (after 5 s of start-up), 4.2 s at 7 s: 2 sim-s per wall-s.
    const r = run({ firstReport: { ms: 5000, simS: 0.2 }, lastReport: { ms: 7500, simS: 5.2 } })
    expect(liveRate(r)).toBeCloseTo(2, 9)
    // Too short a sample to trust: in wall time, or in the share of the run it covers (the start
    // of a run is not its average speed).
    expect(
      liveRate(run({ firstReport: { ms: 0, simS: 0 }, lastReport: { ms: 200, simS: 6 } }))
    ).toBeNull()
    expect(
      liveRate(run({ firstReport: { ms: 0, simS: 0 }, lastReport: { ms: 2000, simS: 4 } }))
    ).toBeNull()
  })

  it("estimates from the preset's finished runs, spread over the workers", () => {
    const throughput = new Throughput()
    // One finished run: 20 simulated seconds in 4 s of wall time → 5 sim-s per wall-s.
    throughput.record('single-cpu', 20, 4000)
    const runs = [run({ ended: true }), run({ simS: 10 }), run(), run(), run()]
    // Left: 10 + 20 + 20 + 20 = 70 sim-s at 5/s = 14 s of work over 2 workers.
    expect(secondsLeft(runs, throughput, 2)).toBeCloseTo(7, 9)
    // One worker: all of it in a row.
    expect(secondsLeft(runs, throughput, 1)).toBeCloseTo(14, 9)
    // Many workers: never sooner than the longest single run (20 sim-s at 5/s).
    expect(secondsLeft(runs, throughput, 16)).toBeCloseTo(4, 9)
  })

  it('uses a live speed before any run is done, and says nothing before one is measured', () => {
    const throughput = new Throughput()
    const measuring = run({
      simS: 6,
      firstReport: { ms: 3000, simS: 0.2 },
      lastReport: { ms: 5900, simS: 6 }
    })
    expect(secondsLeft([run(), run()], throughput, 2)).toBeNull()
    // 5.8 sim-s in 2.9 s → 2/s; left 14 + 20 = 34 sim-s → 17 s of work, 8.5 s over 2 workers,
    // but no sooner than the run not yet started (20 sim-s: 10 s).
    expect(secondsLeft([measuring, run()], throughput, 2)).toBeCloseTo(10, 9)
    // Another preset's finished runs do not speak for this one.
    throughput.record('phone-8g-appswitch', 10, 40_000)
    expect(secondsLeft([measuring, run()], throughput, 2)).toBeCloseTo(10, 9)
    expect(secondsLeft([run({ ended: true })], throughput, 2)).toBe(0)
  })
})
