import type { Kernel } from '../kernel'
import type { Rng } from '../des/prng'
import type { Thread, ThreadBody } from '../cpu/thread'
import type { ContentSpec } from '../../shared/scenario/schema'
import { Mapping } from '../mm/mapping'
import { RwSem } from '../cpu/rwsem'
import { Proc } from '../proc'
import * as mm_types from '../mm/types'
// Local bindings: the transpiled module getters are slow in per-page loops.
const { CONTENT_INCOMPRESSIBLE, CONTENT_PARTIAL, CONTENT_SAME, CONTENT_TYPICAL, CONTENT_ZERO } =
  mm_types

export const MB_PAGES = 256

/** Creates a simulated process. */
export function spawn_proc(k: Kernel, name: string, oom_score_adj: number): Proc {
  const p = new Proc(k.procs.length, name, oom_score_adj)
  k.procs.push(p)
  return p
}

/** Starts a thread of a process. */
export function spawn_thread(
  k: Kernel,
  p: Proc | null,
  name: string,
  nice: number,
  body: (t: Thread) => ThreadBody
): Thread {
  const t = k.sched.spawn(name, p ? 'app' : 'other', nice, body, p ? p.pid : -1)
  p?.threads.push(t)
  return t
}

/** An anonymous region with its pages' content classes drawn from `spec`. */
export function new_anon(k: Kernel, p: Proc, pages: number, spec: ContentSpec, rng: Rng): Mapping {
  const nid = p.pid % k.pgdats.length
  const m = new Mapping(k.mappings.length, true, Math.max(1, Math.ceil(pages)), p.pid, nid, k.arena)
  k.mappings.push(m)
  p.mappings.push(m)
  m.anon_vma = new RwSem(`anon_vma ${p.name}`)
  m.random_bytes = spec.partial_random_bytes
  const z = spec.zero_pct / 100
  const same = spec.same_pct / 100
  const special = Math.min(1, z + same + spec.incompressible_pct / 100)
  const c = m.content!
  c.fill(spec.partial_random_bytes > 0 ? CONTENT_PARTIAL : CONTENT_TYPICAL)
  // Each page is special (zero, same-filled, incompressible) with probability `special`,
  // independently: draw the geometric gaps between special pages instead of one draw per page.
  if (special > 0) {
    const logq = special < 1 ? Math.log(1 - special) : -Infinity
    for (let idx = -1; ;) {
      idx += special < 1 ? Math.floor(Math.log(1 - rng.next()) / logq) + 1 : 1
      if (idx >= c.length) break
      const v = rng.next() * special
      c[idx] = v < z ? CONTENT_ZERO : v < z + same ? CONTENT_SAME : CONTENT_INCOMPRESSIBLE
    }
  }
  return m
}

/** A file (page cache address_space); `mapped` = mmapped into page tables, `exec` = VM_EXEC. */
export function new_file(
  k: Kernel,
  pages: number,
  mapped: boolean,
  exec: boolean,
  nid = 0
): Mapping {
  const m = new Mapping(k.mappings.length, false, Math.max(1, Math.ceil(pages)), -1, nid, k.arena)
  m.mapped = mapped
  m.exec = exec
  k.mappings.push(m)
  return m
}
