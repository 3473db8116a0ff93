/**
 * `npm run bench:size [-- --repeat N]`: how a run's wall time grows with the simulated memory and
 * with the simulated duration, on phone-8g-appswitch (baseline). Memory: 4, 8 and 16 GiB with the
 * workload scaled alike (apps, system footprint, zram disksize and carve-outs in proportion, so the
 * pressure keeps its shape); duration: 30, 60 and 120 s at 8 GiB. Prints wall seconds, wall time
 * per simulated second and per GiB-second relative to the 8 GiB / 60 s run (1.0 = linear), and
 * model bytes per page frame. A benchmark, not a test.
 */
import { applySets, parseScenario, resolvePreset, runSimulationSync } from '../src/sim'
import { modelBytes } from '../src/sim/metrics/footprint'
import type { Kernel } from '../src/sim/kernel'

const args = process.argv.slice(2)
const repIdx = args.indexOf('--repeat')
const repeat = repIdx >= 0 ? Math.max(1, Number(args[repIdx + 1])) : 3
const PRESET = 'phone-8g-appswitch'

/** The preset at `gib` GiB and `duration` s: every size of the 8 GiB preset scaled by gib / 8. */
function sized(gib: number, duration: number): unknown {
  const base = parseScenario(resolvePreset(PRESET)) as unknown as {
    device: { reserved_mb: number; swap: { zram: { disksize_mb: number } } }
    workload: {
      apps: number
      prelaunch_apps: number
      system_anon_mb: number
      system_file_mb: number
    }
  }
  const f = gib / 8
  const w = base.workload
  return applySets(base, [
    `duration_s=${duration}`,
    `device.mem_mb_per_node=${gib * 1024}`,
    `device.reserved_mb=${Math.round(base.device.reserved_mb * f)}`,
    `device.swap.zram.disksize_mb=${Math.round(base.device.swap.zram.disksize_mb * f)}`,
    `workload.apps=${Math.round(w.apps * f)}`,
    `workload.prelaunch_apps=${Math.round(w.prelaunch_apps * f)}`,
    `workload.system_anon_mb=${Math.round(w.system_anon_mb * f)}`,
    `workload.system_file_mb=${Math.round(w.system_file_mb * f)}`
  ])
}

interface Row {
  gib: number
  duration_s: number
  wall_s: number
  events: number
  /** Wall time per GiB-second over the 8 GiB / 60 s run's (1.0: linear in both). */
  per_gib_s: number
  bytes_per_page: number
}

function measure(gib: number, duration: number): Omit<Row, 'per_gib_s'> {
  const sc = sized(gib, duration)
  runSimulationSync(applySets(sc, [`duration_s=${duration / 10}`]))
  let best = Infinity
  let events = 0
  let bytesPerPage = 0
  for (let rep = 0; rep < repeat; rep++) {
    let kernel: Kernel | null = null
    const t0 = performance.now()
    const r = runSimulationSync(sc, {}, { inspect: (k) => (kernel = k) })
    const wall = (performance.now() - t0) / 1000
    const k = kernel as unknown as Kernel
    bytesPerPage = modelBytes(k) / k.pages.nr
    k.arena.release()
    events = r.events
    best = Math.min(best, wall)
  }
  return {
    gib,
    duration_s: duration,
    wall_s: Math.round(best * 1000) / 1000,
    events,
    bytes_per_page: Math.round(bytesPerPage * 10) / 10
  }
}

const plan: [number, number][] = [
  [4, 60],
  [8, 60],
  [16, 60],
  [8, 30],
  [8, 120]
]
const measured = plan.map(([gib, d]) => measure(gib, d))
const ref = measured.find((r) => r.gib === 8 && r.duration_s === 60) as Row
const rows: Row[] = measured.map((r) => ({
  ...r,
  per_gib_s: Math.round((r.wall_s / (r.gib * r.duration_s) / (ref.wall_s / (8 * 60))) * 100) / 100
}))
console.table(rows)
process.stdout.write(
  `${PRESET} baseline, best of ${repeat} after a warm-up; per_gib_s = wall per GiB-second relative to 8 GiB / 60 s (1.0 = linear)\n`
)
