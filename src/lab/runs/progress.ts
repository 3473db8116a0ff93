/**
 * Honest progress for the queue and its batches. Work is counted in simulated seconds, so a batch's
 * fraction only grows (a finished, failed or cancelled run counts as all its work done), and the
 * time left is that work divided by a measured speed: simulated seconds per wall second of runs
 * already done with the same preset, or, before any is done, of the running runs; both from a run's
 * first report past a quarter of it on (a worker's start-up, seconds on a slow machine, and the
 * start of its first run, while the simulator compiles, are not simulation speed).
 */

/** One run the queue holds, as far as progress is concerned. */
export interface TrackedRun {
  batchId: number
  /** The scenario's name (its preset): runs of one preset simulate at about one speed. */
  preset: string
  /** Simulated seconds the run covers (`duration_s`). */
  durationS: number
  /** Simulated seconds done so far. */
  simS: number
  ended: boolean
  /** The first progress report after the run started: wall ms and simulated seconds. */
  firstReport: { ms: number; simS: number } | null
  /** The first report past MIN_SAMPLE_SHARE of the run: where its live speed is measured from. */
  sampleFrom: { ms: number; simS: number } | null
  lastReport: { ms: number; simS: number } | null
}

/**
 * A run's speed is measured from the first report past this share of its simulated time, over at
 * least this long: runs do not simulate at one speed (a worker's first run compiles the simulator
 * as it goes, and the phone presets' first quarter, while memory fills, is the slowest), so the
 * start of a run made first estimates 2–4 times too long.
 */
const MIN_SAMPLE_SHARE = 0.25
const MIN_SAMPLE_MS = 1000
/** Finished runs a preset's speed is taken over: the latest, as later runs run in warmer workers. */
const RECENT_RUNS = 4

/** A progress report of a running run: simulated seconds done at wall time `ms`. */
export function noteReport(run: TrackedRun, ms: number, simS: number): void {
  run.simS = simS
  run.lastReport = { ms, simS }
  run.firstReport ??= run.lastReport
  if (!run.sampleFrom && simS >= MIN_SAMPLE_SHARE * run.durationS) run.sampleFrom = run.lastReport
}

export class Throughput {
  private readonly byPreset = new Map<string, Array<{ simS: number; wallS: number }>>()

  /** A run that finished: `simS` simulated seconds in `wallMs` of wall time. */
  record(preset: string, simS: number, wallMs: number): void {
    if (!(wallMs > 0) || !(simS > 0)) return
    const seen = this.byPreset.get(preset) ?? []
    seen.push({ simS, wallS: wallMs / 1000 })
    if (seen.length > RECENT_RUNS) seen.shift()
    this.byPreset.set(preset, seen)
  }

  /**
   * Simulated seconds per wall second over the preset's latest finished runs, or null before one
   * has finished.
   */
  rate(preset: string): number | null {
    const seen = this.byPreset.get(preset)
    if (!seen) return null
    const simS = seen.reduce((a, r) => a + r.simS, 0)
    const wallS = seen.reduce((a, r) => a + r.wallS, 0)
    return simS / wallS
  }
}

/**
 * What a run that has just ended (at `nowMs`, after `wallMs` in all) simulated, and in how long,
 * from its first report past a quarter of it, else from its first report: a worker's start-up
 * (seconds of loading the simulator) and the start of its first run, while the simulator compiles,
 * are not what the runs after it will take.
 */
export function finishedSpeed(
  run: TrackedRun,
  nowMs: number,
  wallMs: number
): { simS: number; ms: number } {
  const from = run.sampleFrom ?? run.firstReport
  if (from && nowMs - from.ms > 0) return { simS: run.durationS - from.simS, ms: nowMs - from.ms }
  return { simS: run.durationS, ms: wallMs }
}

/** Simulated seconds per wall second of a running run past its first quarter, once measurable. */
export function liveRate(run: TrackedRun): number | null {
  const from = run.sampleFrom
  const last = run.lastReport
  if (!from || !last || last.ms - from.ms < MIN_SAMPLE_MS || last.simS <= from.simS) return null
  return (last.simS - from.simS) / ((last.ms - from.ms) / 1000)
}

/** Done work over all work, 0..1 (1 for no runs). */
export function doneFraction(runs: TrackedRun[]): number {
  const total = runs.reduce((s, r) => s + r.durationS, 0)
  if (total <= 0) return 1
  const done = runs.reduce((s, r) => s + (r.ended ? r.durationS : Math.min(r.simS, r.durationS)), 0)
  return done / total
}

/**
 * Wall seconds until every unfinished run in `runs` has ended, run `workers` at a time; null while
 * no speed is known. A run's speed is its preset's from finished runs, else its own live one, else
 * the mean of the live speeds measured so far.
 */
export function secondsLeft(
  runs: TrackedRun[],
  throughput: Throughput,
  workers: number
): number | null {
  const unfinished = runs.filter((r) => !r.ended)
  if (!unfinished.length) return 0
  const live = unfinished.map(liveRate).filter((r): r is number => r !== null)
  const meanLive = live.length ? live.reduce((a, b) => a + b, 0) / live.length : null
  let total = 0
  let longest = 0
  for (const r of unfinished) {
    const rate = throughput.rate(r.preset) ?? liveRate(r) ?? meanLive
    if (rate === null) return null
    const left = Math.max(0, r.durationS - r.simS) / rate
    total += left
    longest = Math.max(longest, left)
  }
  return Math.max(total / Math.max(1, workers), longest)
}
