/**
 * Reads twin boots traced with `trace=3` (sched_switch and direct reclaim's begin and end, listed
 * by init) and prints one line per boot: the eater's running time over its lifetime, how much of
 * it fell inside direct reclaim (between mm_vmscan_direct_reclaim_begin and _end in its context),
 * the number of direct reclaims and their total length (running or not).
 * usage: tsx scripts/twin/direct_time.ts LOG...
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { parse } from './sched_trace'

export function summarize(log: string): string {
  const ev = parse(log)
  let runningSince = -1
  let inDirect = -1
  let run = 0
  let runInDirect = 0
  let calls = 0
  let directWall = 0
  let stolen = 0
  const isEater = (task: string): boolean => task.startsWith('eater-')
  for (const e of ev) {
    if (e.event === 'sched_switch') {
      if (e.f.next_comm === 'eater') runningSince = e.t
      else if (e.f.prev_comm === 'eater' && runningSince >= 0) {
        run += e.t - runningSince
        if (inDirect >= 0) runInDirect += e.t - Math.max(runningSince, inDirect)
        runningSince = -1
      }
    } else if (e.event === 'mm_vmscan_direct_reclaim_begin' && isEater(e.task)) {
      inDirect = e.t
      calls++
    } else if (e.event === 'mm_vmscan_direct_reclaim_end' && isEater(e.task) && inDirect >= 0) {
      directWall += e.t - inDirect
      if (runningSince >= 0) runInDirect += e.t - Math.max(runningSince, inDirect)
      stolen += Number(e.f.nr_reclaimed ?? 0)
      inDirect = -1
    }
  }
  const r = (x: number) => x.toFixed(3)
  return (
    `eater_run_s=${r(run)} eater_direct_run_s=${r(runInDirect)} direct_calls=${calls} ` +
    `direct_wall_s=${r(directWall)} direct_reclaimed=${stolen}`
  )
}

if (process.argv[1]?.endsWith('direct_time.ts')) {
  for (const path of process.argv.slice(2))
    console.log(`${basename(path, '.log')} ${summarize(readFileSync(path, 'utf8'))}`)
}
