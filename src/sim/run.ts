import type { Kernel } from './kernel'
import * as build_mod from './build'
import * as workloads_mod from './workloads'
import * as lmkd_mod from './lmkd'
import { Sampler, type SampleBatch } from './metrics/sampler'
import * as metrics_psi_mod from './metrics/psi'
import * as invariants_mod from './invariants'
import { type RunResult } from './result'
import * as result_mod from './result'
import { type Scenario } from '../shared/scenario/schema'
import * as scenario_schema_mod from '../shared/scenario/schema'
import type { Vmstat } from './metrics/vmstat'
import { SIMULATOR_VERSION } from './version'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { buildKernel } = build_mod
const { start_workload } = workloads_mod
const { start_lmkd } = lmkd_mod
const { PSI_FREQ_NS } = metrics_psi_mod
const { checkInvariants } = invariants_mod
const { buildResult } = result_mod
const { parseScenario } = scenario_schema_mod

export { SIMULATOR_VERSION }

export interface Progress {
  sim_ns: number
  fraction: number
}

/** Receives a run's progress, sample batches and (optionally) trace events as they happen. */
export interface SimSink {
  progress?(p: Progress): void
  samples?(batch: SampleBatch): void
}

export interface RunOptions {
  seed?: number
  variant?: string
  /** Samples per batch handed to sink.samples (default 50). */
  batch_samples?: number
  /** Called with the kernel after it is built (tests). */
  inspect?: (k: Kernel) => void
}

/**
 * Runs one scenario to completion, synchronously. Deterministic: (scenario, variant, seed,
 * SIMULATOR_VERSION) → identical result.
 */
export function runSimulationSync(
  input: Scenario | unknown,
  sink: SimSink = {},
  opts: RunOptions = {}
): RunResult {
  const sc = parseScenario(input)
  const seed = opts.seed ?? 1
  const variant = opts.variant ?? 'baseline'
  const k = buildKernel(sc, seed, variant)
  start_workload(k)
  if (sc.kernel.lmkd.enabled) start_lmkd(k)
  opts.inspect?.(k)
  const end = Math.round(sc.duration_s * 1e9)
  const interval = Math.round(sc.sample_interval_ms * 1e6)
  const sampler = new Sampler(k)
  const per = opts.batch_samples ?? 50
  let prev: Vmstat | undefined
  const tick = (): void => {
    sampler.sample()
    if (sc.check_invariants) {
      checkInvariants(k, prev, true)
      prev = { ...k.vmstat }
    }
    if (sampler.count % per === 0) {
      const b = sampler.take()
      if (b) sink.samples?.(b)
    }
    if (k.env.now + interval <= end) k.env.after(interval, tick)
  }
  k.env.after(interval, tick)
  const psiTick = (): void => {
    k.psi.update_averages(k.env.now)
    k.env.after(PSI_FREQ_NS, psiTick)
  }
  k.env.after(PSI_FREQ_NS, psiTick)
  const steps = 100
  for (let i = 1; i <= steps; i++) {
    const until = Math.round((end * i) / steps)
    k.env.run(until)
    sink.progress?.({ sim_ns: until, fraction: i / steps })
  }
  const last = sampler.take()
  if (last) sink.samples?.(last)
  if (sc.check_invariants) checkInvariants(k, prev, true)
  const result = buildResult(k, SIMULATOR_VERSION, variant, seed, sc.duration_s)
  // Nobody else holds the kernel unless it was handed to `inspect`.
  if (!opts.inspect) k.arena.release()
  return result
}

/** The same as runSimulationSync, as a promise (the worker and app API). */
export async function runSimulation(
  input: Scenario | unknown,
  sink: SimSink = {},
  opts: RunOptions = {}
): Promise<RunResult> {
  return runSimulationSync(input, sink, opts)
}
