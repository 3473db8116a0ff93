import { buildKernel } from '../../src/sim/build'
import type { Kernel } from '../../src/sim/kernel'
import { lruvec_add_folio } from '../../src/sim/mm/mm_inline'
import { parseScenario, type ScenarioInput } from '../../src/shared/scenario/schema'
import { Mapping } from '../../src/sim/mm/mapping'
import { Proc } from '../../src/sim/proc'
import { RwSem } from '../../src/sim/cpu/rwsem'
import type { Thread, ThreadBody, ThreadKind } from '../../src/sim/cpu/thread'
import { LRU_NAMES } from '../../src/sim/mm/types'

/** A small machine with no workload running (64 MiB, 2 CPUs, zram 64 MiB). */
export function smallKernel(over: Partial<ScenarioInput> = {}): Kernel {
  const sc = parseScenario({
    device: {
      mem_mb_per_node: 64,
      cpus: [{ class: 'big', count: 2, speed: 1 }],
      swap: { type: 'zram', zram: { disksize_mb: 64 } }
    },
    workload: { type: 'memory_eater', eat_mb: 1 },
    ...over
  })
  return buildKernel(sc, 1, 'baseline')
}

/** Named folios for drawing lists. */
export class Folios {
  names = new Map<number, string>()
  proc: Proc
  anon: Mapping
  file: Mapping
  private nextAnon = 0
  private nextFile = 0
  constructor(private k: Kernel) {
    this.proc = new Proc(k.procs.length, 'test', 0)
    k.procs.push(this.proc)
    this.anon = new Mapping(k.mappings.length, true, 1024, this.proc.pid, 0)
    this.anon.anon_vma = new RwSem('anon_vma test')
    k.mappings.push(this.anon)
    this.proc.mappings.push(this.anon)
    this.file = new Mapping(k.mappings.length, false, 1024, -1, 0)
    k.mappings.push(this.file)
    this.anon.content!.fill(2)
  }

  /** Adds a folio at the head of its LRU list with the given flags. */
  add(name: string, flags: number, file = false): number {
    const k = this.k
    const z = k.pgdats[0].zone
    const pfn = z.alloc_page()
    const m = file ? this.file : this.anon
    const idx = file ? this.nextFile++ : this.nextAnon++
    k.pages.flags[pfn] = flags
    k.pages.mapping[pfn] = m.id
    k.pages.index[pfn] = idx
    m.pte[idx] = pfn
    m.nr_resident++
    lruvec_add_folio(k, pfn, false)
    this.names.set(pfn, name)
    return pfn
  }

  /** The list from tail (next to be scanned) to head, by name. */
  draw(lru: number): string {
    const p = this.k.pages
    const head = p.lru_head(0, lru)
    const out: string[] = []
    for (let x = p.prev(head); x !== head; x = p.prev(x)) out.push(this.names.get(x) ?? '?')
    return `${LRU_NAMES[lru]}: ${out.join(' ')}`
  }
}

/** Runs `body` as a thread of the given kind until the engine is idle up to `until_ns`. */
export function runAs(
  k: Kernel,
  kind: ThreadKind,
  body: (t: Thread) => ThreadBody,
  until_ns = 1e9
): void {
  k.sched.spawn(`test-${kind}`, kind, 0, body)
  k.env.run(until_ns)
}
