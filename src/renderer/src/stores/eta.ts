/**
 * Remaining wall time from observed progress: each run's rate is measured from the first progress
 * event this page saw, so it needs no clock shared with the server.
 */
export class EtaTracker {
  private readonly first = new Map<number, { ms: number; fraction: number }>()

  observe(runId: number, fraction: number, nowMs: number): void {
    if (!this.first.has(runId)) this.first.set(runId, { ms: nowMs, fraction })
  }

  /** Seconds left for one run, or null until its rate is known. */
  runEta(runId: number, fraction: number, nowMs: number): number | null {
    const seen = this.first.get(runId)
    if (!seen || fraction - seen.fraction < 0.01 || nowMs <= seen.ms) return null
    const perFraction = (nowMs - seen.ms) / 1000 / (fraction - seen.fraction)
    return perFraction * (1 - fraction)
  }
}
