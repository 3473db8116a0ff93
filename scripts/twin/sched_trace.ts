/**
 * Reads the scheduler trace of twin boots (`trace=2`: sched_switch, sched_wakeup and
 * sched_migrate_task, listed by init) and prints one line per boot over the eater's lifetime:
 * how long kswapd and the eater ran, the share of kswapd's running time the eater also ran
 * (`corun`) and was queued on kswapd's CPU (`shared`), the migrations of each task by the load
 * balancer (softirq context) and at wake-up, and the eater's uninterruptible sleeps: how many,
 * how many kswapd ended (its wake-up ran in kswapd), and their median length. Then each task's
 * turns (a task preempted by another of the three, which it preempts in turn) and how many of them
 * lasted two ticks (8 ms at HZ=250), and how often another thread (a kworker, rcu_sched,
 * kcompactd) ran on that CPU in the 12 ms before a double turn against before any turn.
 * usage: tsx scripts/twin/sched_trace.ts LOG...
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'

export interface SchedEvent {
  t: number
  cpu: number
  /** The task running when the event fired, e.g. `kswapd0-32`. */
  task: string
  softirq: boolean
  event: string
  f: Record<string, string>
}

export function parse(log: string): SchedEvent[] {
  const out: SchedEvent[] = []
  for (const line of log.split('\n')) {
    if (!line.startsWith('ST ')) continue
    // ST time: cpu ctx task event: fields
    const p = line.trim().split(/\s+/)
    const f: Record<string, string> = {}
    for (const x of p.slice(6)) {
      const i = x.indexOf('=')
      if (i > 0) f[x.slice(0, i)] = x.slice(i + 1)
    }
    out.push({
      t: parseFloat(p[1]),
      cpu: parseInt(p[2], 10),
      task: p[4],
      softirq: p[3][2] === 's',
      event: p[5].replace(/:$/, ''),
      f
    })
  }
  return out
}

const TASKS = ['kswapd0', 'eater', 'hog'] as const

const TICK_S = 0.004
const isTask = (comm: string): boolean => (TASKS as readonly string[]).includes(comm)
const preempted = (state: string): boolean => state === 'R' || state === 'R+'

/**
 * Per task, its turns in [t0, t1] (between two turns of another of the tasks, a hog's too) and the
 * double ones; and the share of double turns and of all
 * turns with another thread run on the CPU in the 12 ms before the turn ended.
 */
function turns(ev: SchedEvent[], t0: number, t1: number): string {
  const n = Object.fromEntries(TASKS.map((x) => [x, 0]))
  const double = Object.fromEntries(TASKS.map((x) => [x, 0]))
  let after = 0
  let doubleAfter = 0
  for (const cpu of [0, 1]) {
    const sw = ev.filter(
      (e) => e.event === 'sched_switch' && e.cpu === cpu && e.t >= t0 && e.t <= t1
    )
    const others = sw
      .filter((e) => !isTask(e.f.next_comm) && !e.f.next_comm.startsWith('swapper'))
      .map((e) => e.t)
    for (let i = 1; i < sw.length; i++) {
      const [a, b] = [sw[i - 1].f, sw[i].f]
      const pair =
        a.prev_pid !== a.next_pid && b.prev_pid === a.next_pid && b.next_pid === a.prev_pid
      if (!pair || !isTask(a.prev_comm) || !isTask(b.prev_comm)) continue
      if (!preempted(a.prev_state) || !preempted(b.prev_state)) continue
      const task = b.prev_comm
      const len = sw[i].t - sw[i - 1].t
      const isDouble = Math.abs(len - 2 * TICK_S) < 0.15 * TICK_S
      const kthread = others.some((t) => t < sw[i].t && t > sw[i].t - 3 * TICK_S)
      n[task]++
      if (kthread) after++
      if (isDouble) {
        double[task]++
        if (kthread) doubleAfter++
      }
    }
  }
  const all = TASKS.reduce((x, t) => x + n[t], 0)
  const doubles = TASKS.reduce((x, t) => x + double[t], 0)
  const counts = (m: Record<string, number>) => TASKS.map((x) => `${x}:${m[x]}`).join(',')
  return (
    `turns=${counts(n)} double_turns=${counts(double)} ` +
    `kthread_before_double=${(doubleAfter / Math.max(1, doubles)).toFixed(2)} ` +
    `kthread_before_any=${(after / Math.max(1, all)).toFixed(2)}`
  )
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length === 0 ? NaN : s[s.length >> 1]
}

export function summarize(log: string): string {
  const ev = parse(log)
  const eaterSwitches = ev.filter(
    (e) => e.event === 'sched_switch' && (e.f.next_comm === 'eater' || e.f.prev_comm === 'eater')
  )
  const t0 = eaterSwitches[0].t
  const t1 = eaterSwitches[eaterSwitches.length - 1].t
  const running = new Map<number, string>()
  const queuedOn = new Map<string, number>()
  let ks = 0
  let eater = 0
  let corun = 0
  let shared = 0
  let last = -1
  const lb = Object.fromEntries(TASKS.map((n) => [n, 0]))
  const wake = Object.fromEntries(TASKS.map((n) => [n, 0]))
  let eaterD = 0
  let eaterDByKswapd = 0
  let sleptAt = -1
  const sleeps: number[] = []
  for (const e of ev) {
    if (last >= t0 && last <= t1) {
      const dt = e.t - last
      const cpus = [...running.entries()]
      const ksCpu = cpus.find(([, n]) => n === 'kswapd0')?.[0]
      const eaterRuns = cpus.some(([, n]) => n === 'eater')
      if (eaterRuns) eater += dt
      if (ksCpu !== undefined) {
        ks += dt
        if (eaterRuns) corun += dt
        if (queuedOn.get('eater') === ksCpu) shared += dt
      }
    }
    last = e.t
    const inWindow = e.t >= t0 && e.t <= t1
    if (e.event === 'sched_switch') {
      running.set(e.cpu, e.f.next_comm)
      queuedOn.set(e.f.next_comm, e.cpu)
      if (inWindow && e.f.prev_comm === 'eater' && e.f.prev_state === 'D') {
        eaterD++
        sleptAt = e.t
      }
    } else if (e.event === 'sched_migrate_task') {
      queuedOn.set(e.f.comm, Number(e.f.dest_cpu))
      const n = e.f.comm as (typeof TASKS)[number]
      if (inWindow && TASKS.includes(n)) (e.softirq ? lb : wake)[n]++
    } else if (e.f.target_cpu !== undefined) {
      queuedOn.set(e.f.comm, Number(e.f.target_cpu))
      if (e.f.comm === 'eater' && sleptAt >= 0) {
        if (e.task.startsWith('kswapd0-')) eaterDByKswapd++
        sleeps.push(e.t - sleptAt)
        sleptAt = -1
      }
    }
  }
  const r = (x: number) => x.toFixed(2)
  const counts = (m: Record<string, number>) => TASKS.map((n) => `${n}:${m[n]}`).join(',')
  return (
    `window_s=${r(t1 - t0)} kswapd_run_s=${r(ks)} eater_run_s=${r(eater)} ` +
    `corun=${ks > 0 ? r(corun / ks) : '-'} shared=${ks > 0 ? r(shared / ks) : '-'} migrations_lb=${counts(lb)} migrations_wake=${counts(wake)} ` +
    `eater_D=${eaterD} eater_D_woken_by_kswapd=${eaterDByKswapd} ` +
    `eater_D_median_ms=${(median(sleeps) * 1000).toFixed(2)} ${turns(ev, t0, t1)}`
  )
}

if (process.argv[1]?.endsWith('sched_trace.ts')) {
  for (const path of process.argv.slice(2))
    console.log(`${basename(path, '.log')} ${summarize(readFileSync(path, 'utf8'))}`)
}
