/**
 * The one seed grammar of the app, the CLI and the API: "7", "1-10", "1,3,5" or "1-5,9". A seed is a
 * whole number from 1 to MAX_SEED; the simulator's generators take 32-bit seeds, so larger ones would
 * repeat smaller ones.
 */
export const MAX_SEED = 4_294_967_295

/** Runs one batch may hold (variants × seeds × sweep points), wherever it is started. */
export const MAX_RUNS_PER_BATCH = 10_000

/** variants × seeds × sweep points, the runs a batch expands to. */
export function runsInBatch(spec: {
  variants: readonly unknown[]
  seeds: readonly unknown[]
  sweep: ReadonlyArray<{ values: readonly unknown[] }>
}): number {
  return (
    spec.variants.length * spec.seeds.length * spec.sweep.reduce((n, a) => n * a.values.length, 1)
  )
}

const PART = /^(\d+)(?:\s*-\s*(\d+))?$/
const OUT_OF_RANGE = `seeds are whole numbers from 1 to ${MAX_SEED}`

/** The seeds in the order given, each once; or a message naming the part that is wrong. */
export function parseSeeds(text: string): number[] | string {
  const seeds = new Set<number>()
  for (const part of text.split(',').map((p) => p.trim())) {
    const range = PART.exec(part)
    if (!range) return `"${part.slice(0, 40)}" is not a seed or a range like 1-10`
    const from = Number(range[1])
    const to = Number(range[2] ?? range[1])
    if (from < 1 || to > MAX_SEED) return `"${part.slice(0, 40)}": ${OUT_OF_RANGE}`
    if (to < from) return `"${part}" must be increasing`
    if (to - from >= MAX_RUNS_PER_BATCH)
      return `"${part}" holds more than ${MAX_RUNS_PER_BATCH} seeds (a batch holds at most ${MAX_RUNS_PER_BATCH} runs)`
    for (let s = from; s <= to; s++) {
      seeds.add(s)
      if (seeds.size > MAX_RUNS_PER_BATCH)
        return `more than ${MAX_RUNS_PER_BATCH} seeds (a batch holds at most ${MAX_RUNS_PER_BATCH} runs)`
    }
  }
  return [...seeds]
}
