/**
 * The program `npm run bench:instr` counts (bench/instructions.ts): two warm-up runs of a preset,
 * then RUNS more, each recycling the last one's arrays as a pool worker does.
 */
import { resolvePreset, runSimulationSync } from '../src/sim'

const env = process.env
const scenario = resolvePreset(env.PRESET ?? 'twin-eater-512m') as { duration_s?: number }
if (env.DURATION) scenario.duration_s = Number(env.DURATION)
const runs = 2 + Number(env.RUNS ?? 1)
for (let i = 0; i < runs; i++)
  runSimulationSync(scenario, {}, { variant: env.VARIANT ?? 'baseline', seed: 1 })
