import type { Kernel } from '../kernel'
import type { Scenario } from '../../shared/scenario/schema'
import { type Thread, type ThreadBody } from '../cpu/thread'
import * as cpu_thread_mod from '../cpu/thread'
import * as mm_memory_mod from '../mm/memory'
import * as oom_mod from '../oom'
import * as common_mod from './common'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { cpu } = cpu_thread_mod
const { access_range } = mm_memory_mod
const { kill_process } = oom_mod
const { MB_PAGES, new_anon, new_file, spawn_proc, spawn_thread } = common_mod

type Spec = Extract<Scenario['workload'], { type: 'kernel_build' }>

const STEPS = 8
/** Size of the build output file ring (object files are rewritten in place). */
const OUTPUT_MB = 1024

/**
 * kernel_build (Nhat Pham's zswap test, [N-BUILD]): `make -jN`. Each job slot runs compiler
 * processes one after another: it reads headers (shared, hot) and its source files (page cache,
 * read once), grows its anonymous heap while computing, writes an object file (dirty page cache)
 * and exits, freeing its heap.
 */
export function start_kernel_build(k: Kernel, w: Spec): void {
  const rng = k.rng.get('workload.build')
  const content = k.rng.get('workload.content')
  const tree = new_file(k, w.source_tree_mb * MB_PAGES, false, false)
  const headers = new_file(k, Math.max(1, w.headers_mb * MB_PAGES), false, false)
  const out = new_file(k, OUTPUT_MB * MB_PAGES, false, false)
  let outPos = 0
  for (let j = 0; j < w.jobs; j++) {
    spawn_thread(k, null, `make#${j}`, 0, function* (t: Thread): ThreadBody {
      for (;;) {
        const proc = spawn_proc(k, 'cc1', 0)
        const anon_pages = Math.ceil(rng.range(w.job_anon_mb[0], w.job_anon_mb[1]) * MB_PAGES)
        const heap = new_anon(k, proc, anon_pages, w.content, content)
        const cpu_ns = rng.range(w.job_cpu_ms[0], w.job_cpu_ms[1]) * 1e6
        const read = Math.ceil(rng.range(w.read_mb_per_job[0], w.read_mb_per_job[1]) * MB_PAGES)
        const srcStart = rng.int(Math.max(1, tree.nr_pages - read))
        const hdr = Math.ceil(headers.nr_pages * 0.3)
        const hdrStart = rng.int(Math.max(1, headers.nr_pages - hdr))
        const write = Math.ceil(rng.range(w.write_mb_per_job[0], w.write_mb_per_job[1]) * MB_PAGES)
        let alive = (yield* access_range(k, t, headers, hdrStart, hdr, false)) as boolean
        alive = alive && (yield* access_range(k, t, tree, srcStart, read, false))
        for (let s = 0; s < STEPS && alive; s++) {
          const a = Math.floor((anon_pages * s) / STEPS)
          const b = Math.floor((anon_pages * (s + 1)) / STEPS)
          alive = yield* access_range(k, t, heap, a, b - a, true)
          // The compiler revisits its heap (second half of what it has so far).
          if (alive && b > 1)
            alive = yield* access_range(k, t, heap, Math.floor(b / 2), Math.ceil(b / 2), false)
          yield cpu(cpu_ns / STEPS)
        }
        if (outPos + write > out.nr_pages) outPos = 0
        yield* access_range(k, t, out, outPos, write, true)
        outPos += write
        if (proc.alive) kill_process(k, proc)
        k.counters.jobs_done++
        yield cpu(anon_pages * k.costs.exit_per_page_ns, 0, true)
      }
    })
  }
}
