/**
 * Reads twin boots traced with `trace=3` (sched_switch and direct reclaim's begin and end, listed
 * by init) and prints one line per boot: the eater's running time over its lifetime, how much of
 * it fell inside direct reclaim (between mm_vmscan_direct_reclaim_begin and _end in its context),
 * the number of direct reclaims and their total length (running or not), the pages they
 * reclaimed, and per 64 MiB the eater allocated (its `EATER t=` lines) its running time outside
 * direct reclaim per page, µs.
 * usage: tsx scripts/twin/direct_time.ts LOG...
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { parse } from './sched_trace'

type Span = [number, number]

const overlap = (a: Span, b: Span): number =>
  Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]))

export function summarize(log: string): string {
  log = log.replace(/\r/g, '')
  const ev = parse(log)
  const runs: Span[] = []
  const direct: Span[] = []
  let runningSince = -1
  let directSince = -1
  let stolen = 0
  const isEater = (task: string): boolean => task.startsWith('eater-')
  for (const e of ev) {
    if (e.event === 'sched_switch') {
      if (e.f.next_comm === 'eater') runningSince = e.t
      else if (e.f.prev_comm === 'eater' && runningSince >= 0) {
        runs.push([runningSince, e.t])
        runningSince = -1
      }
    } else if (e.event === 'mm_vmscan_direct_reclaim_begin' && isEater(e.task)) {
      directSince = e.t
    } else if (e.event === 'mm_vmscan_direct_reclaim_end' && isEater(e.task) && directSince >= 0) {
      direct.push([directSince, e.t])
      stolen += Number(e.f.nr_reclaimed ?? 0)
      directSince = -1
    }
  }
  // The eater's running time in [s, t], and the part of it inside direct reclaim.
  const running = (w: Span): number => runs.reduce((x, r) => x + overlap(r, w), 0)
  const runningInDirect = (w: Span): number =>
    direct.reduce((x, d) => {
      const clipped: Span = [Math.max(d[0], w[0]), Math.min(d[1], w[1])]
      return clipped[1] > clipped[0] ? x + running(clipped) : x
    }, 0)
  const all: Span = [-Infinity, Infinity]
  const run = running(all)
  const inDirect = runningInDirect(all)
  const wall = direct.reduce((x, d) => x + d[1] - d[0], 0)
  // The EATER lines count from its start, which init's eater_start stamp (uptime) precedes by
  // the exec: the windows are the guest's, to within a millisecond.
  const start = Number(/TS uptime=([\d.]+) eater_start/.exec(log)?.[1] ?? NaN)
  const marks = [...log.matchAll(/EATER t=([\d.]+) alloc=(\d+)MiB/g)].map(
    (m) => [Number(m[2]), start + Number(m[1])] as const
  )
  const perPage = marks.map(([mb, t], i) => {
    const [mb0, t0] = i === 0 ? [0, start] : marks[i - 1]
    const w: Span = [t0, t]
    return (((running(w) - runningInDirect(w)) / ((mb - mb0) * 256)) * 1e6).toFixed(1)
  })
  const r = (x: number) => x.toFixed(3)
  return (
    `eater_run_s=${r(run)} eater_direct_run_s=${r(inDirect)} direct_calls=${direct.length} ` +
    `direct_wall_s=${r(wall)} direct_reclaimed=${stolen} nondirect_us_per_page=${perPage.join(',')}`
  )
}

if (process.argv[1]?.endsWith('direct_time.ts')) {
  for (const path of process.argv.slice(2))
    console.log(`${basename(path, '.log')} ${summarize(readFileSync(path, 'utf8'))}`)
}
