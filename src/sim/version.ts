/** Part of every run's identity: same scenario + variant + seed + version → identical results. */
export const SIMULATOR_VERSION = '0.11.1'
