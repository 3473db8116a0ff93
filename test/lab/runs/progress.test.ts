import { describe, expect, it } from 'vitest'
import {
  doneFraction,
  finishedSpeed,
  liveRate,
  noteReport,
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
    sampleFrom: null,
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

  it('measures a finished run from its first report past a quarter, leaving a cold start out', () => {
    // A worker's first run: 1.5 s of start-up, a slow first quarter while the simulator compiles.
    const r = run({ durationS: 30 })
    noteReport(r, 1500, 0.3)
    noteReport(r, 2400, 7.5)
    noteReport(r, 2700, 15)
    noteReport(r, 3000, 30)
    expect(finishedSpeed(r, 3000, 3000)).toEqual({ simS: 22.5, ms: 600 })
    // Without a report past the quarter: from the first report; without any: the whole run.
    const short = run({ durationS: 30 })
    noteReport(short, 1500, 0.3)
    expect(finishedSpeed(short, 2000, 2000)).toEqual({ simS: 29.7, ms: 500 })
    expect(finishedSpeed(run({ durationS: 30 }), 900, 900)).toEqual({ simS: 30, ms: 900 })
  })

  it('measures a running run past its first quarter, leaving start-up and warm-up out', () => {
    const r = run()
    // Start-up: nothing reported. Then 0.2 s at 5 s, 5 s (a quarter of 20) at 7 s, 9 s at 9 s.
    noteReport(r, 5000, 0.2)
    noteReport(r, 7000, 5)
    expect(liveRate(r)).toBeNull()
    noteReport(r, 9000, 9)
    // From the quarter on: 4 sim-s in 2 s, not 8.8 in 4 (the slow start).
    expect(liveRate(r)).toBeCloseTo(2, 9)
    expect(r.simS).toBe(9)
    // Too short a sample to trust, or none past the first quarter.
    const brief = run()
    noteReport(brief, 0, 6)
    noteReport(brief, 800, 7)
    expect(liveRate(brief)).toBeNull()
    const early = run()
    noteReport(early, 0, 0)
    noteReport(early, 2000, 4)
    expect(liveRate(early)).toBeNull()
  })

  it("takes a preset's speed from its latest finished runs", () => {
    const throughput = new Throughput()
    // A cold first run, then warm ones: the first drops out after four more.
    throughput.record('single-cpu', 20, 20_000)
    for (let i = 0; i < 3; i++) throughput.record('single-cpu', 20, 4000)
    expect(throughput.rate('single-cpu')).toBeCloseTo(80 / 32, 9)
    throughput.record('single-cpu', 20, 4000)
    expect(throughput.rate('single-cpu')).toBeCloseTo(5, 9)
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
    const measuring = run()
    noteReport(measuring, 3000, 0.2)
    noteReport(measuring, 4000, 5)
    noteReport(measuring, 5000, 7)
    expect(secondsLeft([run(), run()], throughput, 2)).toBeNull()
    // 2 sim-s in 1 s → 2/s; left 13 + 20 = 33 sim-s → 16.5 s of work, 8.25 s over 2 workers,
    // but no sooner than the run not yet started (20 sim-s: 10 s).
    expect(secondsLeft([measuring, run()], throughput, 2)).toBeCloseTo(10, 9)
    // Another preset's finished runs do not speak for this one.
    throughput.record('phone-8g-appswitch', 10, 40_000)
    expect(secondsLeft([measuring, run()], throughput, 2)).toBeCloseTo(10, 9)
    expect(secondsLeft([run({ ended: true })], throughput, 2)).toBe(0)
  })
})
