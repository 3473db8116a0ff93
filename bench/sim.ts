/**
 * `npm run bench [-- --json] [-- --only NAME] [-- --variants LIST|all] [-- --set KEY=VALUE …]`:
 * runs the reference scenarios and prints, per scenario and variant, simulated seconds, wall
 * seconds, their ratio, events per second and peak heap. `--set` overrides every scenario as the
 * CLI's does (e.g. `--set kernel.lru_gen.enabled=true`). By default every preset runs with baseline, and
 * phone-8g-appswitch and memory-eater also with each patch variant (`vs_base` = wall time over
 * baseline's on the same scenario); `--variants all` runs every variant on every preset.
 * A benchmark, not a test. Each scenario runs once shortened to warm up the JIT, then `--repeat N`
 * (default 3) times, the variants interleaved; the fastest run is reported (the machine may be
 * shared). Each run recycles the previous run's large arrays, as a pool worker's runs do
 * (src/sim/arena.ts); `npm run bench:batch` reports a worker's first, cold run apart.
 */
import { VARIANTS, applySets, presets, resolvePreset, runSimulationSync } from '../src/sim'
import { modelBytes } from '../src/sim/metrics/footprint'
import type { Kernel } from '../src/sim/kernel'
import { loadavg } from 'node:os'

interface Row {
  scenario: string
  variant: string
  /** wall_s / baseline's wall_s on the same scenario. */
  vs_base: number
  sim_s: number
  wall_s: number
  ratio: number
  /** User + system CPU time of this process during the run (robust to a shared, loaded machine). */
  cpu_s: number
  cpu_ratio: number
  events: number
  events_per_s: number
  peak_heap_mb: number
  pages: number
  model_mb: number
  bytes_per_page: number
}

const args = process.argv.slice(2)
/** Scenario overrides for every run, as the CLI's `--set` (e.g. kernel.lru_gen.enabled=true). */
const sets = args.flatMap((a, i) => (a === '--set' && args[i + 1] ? [args[i + 1]] : []))
const json = args.includes('--json')
const onlyIdx = args.indexOf('--only')
const only = onlyIdx >= 0 ? args[onlyIdx + 1] : null
const repIdx = args.indexOf('--repeat')
const repeat = repIdx >= 0 ? Math.max(1, Number(args[repIdx + 1])) : 3
const names = presets.map((p) => p.name).filter((n) => !only || n === only)
const varIdx = args.indexOf('--variants')
const varArg = varIdx >= 0 ? args[varIdx + 1] : null
const allVariants = Object.keys(VARIANTS)
const VARIANT_SCENARIOS = ['phone-8g-appswitch', 'memory-eater']
function variantsFor(name: string): string[] {
  if (varArg === 'all') return allVariants
  if (varArg) return ['baseline', ...varArg.split(',').filter((v) => v !== 'baseline')]
  return VARIANT_SCENARIOS.includes(name) ? allVariants : ['baseline']
}

function mb(x: number): number {
  return Math.round((x / 1048576) * 10) / 10
}

const rows: Row[] = []
for (const name of names) {
  const base = applySets(resolvePreset(name), sets) as { duration_s?: number }
  // Warm-up: the same code paths (every variant measured here) for a tenth of the time.
  for (const variant of variantsFor(name))
    runSimulationSync(
      applySets(base, [`duration_s=${(base.duration_s ?? 30) / 10}`]),
      {},
      { variant }
    )
  // Repetitions interleave the variants (rep 1 of each, then rep 2 of each, ...), so a change in
  // the machine's load during the scenario affects every variant alike; the fastest rep is kept.
  const variants = variantsFor(name)
  const best = new Map<string, Row>()
  for (let rep = 0; rep < repeat; rep++) {
    for (const variant of variants) {
      let peak = 0
      let kernel: Kernel | null = null
      const c0 = process.cpuUsage()
      const t0 = performance.now()
      const r = runSimulationSync(
        base,
        {
          progress: () => {
            const m = process.memoryUsage()
            peak = Math.max(peak, m.heapUsed + m.arrayBuffers)
          }
        },
        { variant, inspect: (k) => (kernel = k) }
      )
      const wall = (performance.now() - t0) / 1000
      const cu = process.cpuUsage(c0)
      const cpuS = (cu.user + cu.system) / 1e6
      const k = kernel as unknown as Kernel
      const bytes = modelBytes(k)
      // As a pool worker does between runs: the next run recycles this one's arrays.
      k.arena.release()
      const row: Row = {
        scenario: name,
        variant,
        vs_base: 0,
        sim_s: r.duration_s,
        wall_s: Math.round(wall * 1000) / 1000,
        ratio: Math.round((r.duration_s / wall) * 10) / 10,
        cpu_s: Math.round(cpuS * 1000) / 1000,
        cpu_ratio: Math.round((r.duration_s / cpuS) * 10) / 10,
        events: r.events,
        events_per_s: Math.round(r.events / wall),
        peak_heap_mb: mb(peak),
        pages: k.pages.nr,
        model_mb: mb(bytes),
        bytes_per_page: Math.round((bytes / k.pages.nr) * 10) / 10
      }
      const prev = best.get(variant)
      if (!prev || row.wall_s < prev.wall_s) best.set(variant, row)
    }
  }
  const baseWall = best.get('baseline')?.wall_s ?? 0
  for (const variant of variants) {
    const b = best.get(variant) as Row
    b.vs_base = baseWall ? Math.round((b.wall_s / baseWall) * 100) / 100 : 1
    rows.push(b)
  }
}

if (json) {
  process.stdout.write(
    JSON.stringify({ node: process.version, loadavg: loadavg()[0], repeat, rows }, null, 2) + '\n'
  )
} else {
  const head = [
    'scenario',
    'variant',
    'sim_s',
    'wall_s',
    'vs_base',
    'sim/wall',
    'cpu_s',
    'sim/cpu',
    'events',
    'events/s',
    'peak_heap_mb',
    'pages',
    'model_mb',
    'B/page'
  ]
  const lines = rows.map((r) => [
    r.scenario,
    r.variant,
    String(r.sim_s),
    r.wall_s.toFixed(3),
    `${r.vs_base}`,
    `${r.ratio}x`,
    r.cpu_s.toFixed(3),
    `${r.cpu_ratio}x`,
    String(r.events),
    String(r.events_per_s),
    String(r.peak_heap_mb),
    String(r.pages),
    String(r.model_mb),
    String(r.bytes_per_page)
  ])
  const all = [head, ...lines]
  const w = head.map((_, i) => Math.max(...all.map((l) => l[i].length)))
  for (const l of all)
    process.stdout.write(
      l.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ') + '\n'
    )
  process.stdout.write(
    `best of ${repeat} interleaved runs after a warm-up (load average ${loadavg()[0].toFixed(1)}); cpu_s = process CPU time; peak_heap_mb = heapUsed + arrayBuffers (process, at progress points); model_mb = typed arrays of the model; B/page = model_mb / simulated page frames (includes swap slots and mappings)\n`
  )
}
