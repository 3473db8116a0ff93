import { availableParallelism } from 'node:os'

/**
 * Worker threads for a Settings value: one per CPU when unset, and never more than the CPUs, since
 * a worker beyond them adds no throughput but a whole simulated machine's memory.
 */
export function workersFor(setting: number | null): number {
  const cpus = availableParallelism()
  return Math.min(setting ?? cpus, cpus)
}
