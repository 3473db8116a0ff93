import type { Kernel } from '../kernel'
import type { Scenario } from '../../shared/scenario/schema'
import type { Rng } from '../des/prng'
import { type Thread, type ThreadBody } from '../cpu/thread'
import * as cpu_thread_mod from '../cpu/thread'
import * as mm_memory_mod from '../mm/memory'
import type { Mapping } from '../mm/mapping'
import type { Proc } from '../proc'
import * as common_mod from './common'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { cpu, sleep } = cpu_thread_mod
const { access_range } = mm_memory_mod
const { MB_PAGES, new_anon, new_file, spawn_proc, spawn_thread } = common_mod

type Spec = Extract<Scenario['workload'], { type: 'android_app_switch' }>

/** oom_score_adj values from Android's ProcessList (FOREGROUND_APP_ADJ 0, CACHED_APP_MIN_ADJ 900). */
const FOREGROUND_APP_ADJ = 0
const CACHED_APP_ADJ = 900
const SYSTEM_ADJ = -900
const LAUNCH_STEPS = 16
const FG_TICK_NS = 100_000_000

interface App {
  name: string
  anon_pages: number
  file: Mapping
  proc: Proc | null
  anon: Mapping | null
  used: number
}

function* touch_part(
  k: Kernel,
  t: Thread,
  m: Mapping,
  limit: number,
  pages: number,
  rng: Rng,
  write: boolean
): Generator<import('../cpu/thread').Cmd, boolean, boolean | undefined> {
  if (limit <= 0 || pages <= 0) return m.alive
  const n = Math.min(pages, limit)
  const start = rng.int(Math.max(1, limit - n + 1))
  return yield* access_range(k, t, m, start, n, write)
}

/**
 * android_app_switch: a system process plus N apps with anon and file (code) footprints. Every
 * switch_interval_s the user brings an app to the foreground (Zipf-like popularity): a cold launch
 * (process dead) maps its code and allocates 60% of its anon memory with cold_launch_cpu_ms of CPU;
 * a warm launch touches launch_touch_pct of its anon memory (swap-ins) with warm_launch_cpu_ms.
 * Launch latency (start to done, including CPU waits, reclaim stalls and swap-ins) is recorded.
 * Background apps touch bg_touch_pct_per_s of their memory every second.
 */
export function start_app_switch(k: Kernel, w: Spec): void {
  const rng = k.rng.get('workload.apps')
  const content = k.rng.get('workload.content')
  const sys = spawn_proc(k, 'system_server', SYSTEM_ADJ)
  const sysAnon = new_anon(k, sys, w.system_anon_mb * MB_PAGES, w.content, content)
  const sysFile = new_file(k, w.system_file_mb * MB_PAGES, true, true)
  const apps: App[] = []
  for (let i = 0; i < w.apps; i++) {
    const anon_mb = rng.range(w.app_anon_mb[0], w.app_anon_mb[1])
    const file_mb = rng.range(w.app_file_mb[0], w.app_file_mb[1])
    apps.push({
      name: `app${i}`,
      anon_pages: Math.ceil(anon_mb * MB_PAGES),
      file: new_file(k, file_mb * MB_PAGES, true, true),
      proc: null,
      anon: null,
      used: 0
    })
  }
  const weights = apps.map((_, i) => 1 / Math.pow(i + 1, w.popularity_skew))
  const wsum = weights.reduce((a, b) => a + b, 0)
  const pick = (): number => {
    let u = rng.next() * wsum
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i]
      if (u <= 0) return i
    }
    return weights.length - 1
  }
  spawn_thread(k, sys, 'system_server', 0, function* (t: Thread): ThreadBody {
    const r = k.rng.get('workload.system')
    if (!(yield* access_range(k, t, sysFile, 0, sysFile.nr_pages, false))) return
    if (!(yield* access_range(k, t, sysAnon, 0, sysAnon.nr_pages, true))) return
    for (;;) {
      yield sleep(200_000_000)
      yield* touch_part(
        k,
        t,
        sysAnon,
        sysAnon.nr_pages,
        Math.ceil(sysAnon.nr_pages * 0.01),
        r,
        true
      )
      yield* touch_part(
        k,
        t,
        sysFile,
        sysFile.nr_pages,
        Math.ceil(sysFile.nr_pages * 0.02),
        r,
        false
      )
      yield cpu(5_000_000)
    }
  })
  let fg: App | null = null
  const ui = spawn_proc(k, 'launcher', SYSTEM_ADJ)
  spawn_thread(k, ui, 'launcher', -10, function* (t: Thread): ThreadBody {
    const r = k.rng.get('workload.launch')
    // Let the system start, then open the prelaunch apps once each (not measured).
    yield sleep(500_000_000)
    const warm = Math.min(w.prelaunch_apps, apps.length)
    for (let i = 0; ; i++) {
      const measured = i >= warm
      const app = measured ? apps[pick()] : apps[warm - 1 - i]
      const next = k.env.now + (measured ? w.switch_interval_s * 1e9 : 0)
      if (fg && fg !== app && fg.proc) {
        fg.proc.oom_score_adj = CACHED_APP_ADJ
        fg.proc.last_used = k.env.now
      }
      const start = k.env.now
      const cold = !app.proc || !app.proc.alive
      if (cold) {
        app.proc = spawn_proc(k, app.name, FOREGROUND_APP_ADJ)
        app.anon = new_anon(k, app.proc, app.anon_pages, w.content, content)
        app.used = 0
        k.counters.cold_launches++
      }
      const proc = app.proc as Proc
      const anon = app.anon as Mapping
      proc.oom_score_adj = FOREGROUND_APP_ADJ
      fg = app
      const cpu_ns = (cold ? w.cold_launch_cpu_ms : w.warm_launch_cpu_ms) * 1e6
      for (let s = 0; s < LAUNCH_STEPS && proc.alive; s++) {
        if (cold) {
          const fstep = Math.ceil((app.file.nr_pages * 0.5) / LAUNCH_STEPS)
          yield* access_range(k, t, app.file, s * fstep, fstep, false)
          const astep = Math.ceil((app.anon_pages * 0.6) / LAUNCH_STEPS)
          yield* access_range(k, t, anon, app.used, astep, true)
          app.used = Math.min(app.anon_pages, app.used + astep)
        } else {
          yield* touch_part(
            k,
            t,
            app.file,
            app.file.nr_pages,
            Math.ceil((app.file.nr_pages * 0.2) / LAUNCH_STEPS),
            r,
            false
          )
          yield* touch_part(
            k,
            t,
            anon,
            app.used,
            Math.ceil((app.used * w.launch_touch_pct) / 100 / LAUNCH_STEPS),
            r,
            true
          )
        }
        yield cpu(cpu_ns / LAUNCH_STEPS)
      }
      if (measured) {
        k.hist.launch.add(k.env.now - start)
        k.counters.launches++
      } else if (cold) k.counters.cold_launches--
      k.tracer?.complete(cold ? 'cold_launch' : 'warm_launch', t, start, k.env.now, {
        app: app.name
      })
      // Foreground use until the next switch: touch 2% of the app per tick, grow towards its size.
      while (k.env.now + FG_TICK_NS < next && proc.alive) {
        yield sleep(FG_TICK_NS)
        const grow = Math.min(app.anon_pages - app.used, Math.ceil(app.anon_pages * 0.005))
        if (grow > 0) {
          yield* access_range(k, t, anon, app.used, grow, true)
          app.used += grow
        }
        yield* touch_part(k, t, anon, app.used, Math.ceil(app.used * 0.02), r, true)
        yield cpu(8_000_000)
      }
      if (next > k.env.now) yield sleep(next - k.env.now)
    }
  })
  const bg = spawn_proc(k, 'bg_activity', SYSTEM_ADJ)
  spawn_thread(k, bg, 'bg_activity', 10, function* (t: Thread): ThreadBody {
    const r = k.rng.get('workload.background')
    for (;;) {
      yield sleep(1_000_000_000)
      for (const app of apps) {
        if (app === fg || !app.proc || !app.proc.alive || !app.anon) continue
        yield* touch_part(
          k,
          t,
          app.anon,
          app.used,
          Math.ceil((app.used * w.bg_touch_pct_per_s) / 100),
          r,
          true
        )
        yield cpu(2_000_000)
      }
    }
  })
}
