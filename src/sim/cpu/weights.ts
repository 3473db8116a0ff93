/**
 * kernel/sched/core.c: sched_prio_to_weight[] (nice -20 .. 19). Each nice step is ~10% CPU.
 */
const sched_prio_to_weight = [
  88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916, 9548, 7620, 6100, 4904,
  3906, 3121, 2501, 1991, 1586, 1277, 1024, 820, 655, 526, 423, 335, 272, 215, 172, 137, 110, 87,
  70, 56, 45, 36, 29, 23, 18, 15
]

export const NICE_0_LOAD = 1024

export function niceToWeight(nice: number): number {
  const i = Math.max(-20, Math.min(19, Math.round(nice))) + 20
  return sched_prio_to_weight[i]
}

/**
 * kernel/sched/fair.c: sysctl_sched_base_slice = 0.75 ms scaled by 1 + ilog2(min(ncpus, 8))
 * (SCHED_TUNABLESCALING_LOG).
 */
export function sched_base_slice_ns(ncpus: number): number {
  const n = Math.min(Math.max(ncpus, 1), 8)
  return 750_000 * (1 + Math.floor(Math.log2(n)))
}

/** CONFIG_HZ=250 (Debian's and Android GKI's x86/arm64 default): the scheduler tick, 4 ms. */
export const TICK_NSEC = 4_000_000
