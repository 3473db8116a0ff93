import type { Kernel } from './kernel'
import { type Vmstat } from './metrics/vmstat'
import * as metrics_vmstat_mod from './metrics/vmstat'
import * as mm_types from './mm/types'
import * as pcp_mod from './mm/pcp'

// Local bindings of imported values: the transpiled modules expose them through getters,
// which are slow in per-page loops.
const { VMSTAT_COUNTERS } = metrics_vmstat_mod
const { MAX_NR_GENS } = mm_types
const { nr_pcp_pages } = pcp_mod

export class InvariantError extends Error {}

/**
 * Invariants (src/sim/README.md): pages conserved per node (free + per-CPU lists + LRU +
 * isolated + pool + kernel = managed), LRU list sizes match their lists, free pages never negative, pgsteal ≤ pgscan,
 * counters monotonic since `prev`, compressed pools within their limits; with `walkLists`, also the
 * lists walked entry by entry and every resident mapping entry owned by its frame.
 */
export function checkInvariants(k: Kernel, prev?: Vmstat, walkLists = false): void {
  const v = k.vmstat
  for (const pg of k.pgdats) {
    const z = pg.zone
    if (z.free < 0) throw new InvariantError(`node ${pg.node_id}: nr_free_pages ${z.free} < 0`)
    const n = pg.lruvec.nr
    const lru = n[0] + n[1] + n[2] + n[3]
    const pcp = nr_pcp_pages(z)
    const sum =
      z.free +
      pcp +
      lru +
      pg.nr_isolated_anon +
      pg.nr_isolated_file +
      pg.nr_pool_pages +
      pg.nr_kernel_pages +
      pg.nr_page_table_pages +
      pg.nr_slab_pages
    if (sum !== z.managed_pages)
      throw new InvariantError(
        `node ${pg.node_id}: pages not conserved: free ${z.free} + pcp ${pcp} + lru ${lru} + isolated ${pg.nr_isolated_anon + pg.nr_isolated_file} + pool ${pg.nr_pool_pages} + kernel ${pg.nr_kernel_pages} + page tables ${pg.nr_page_table_pages} + slab ${pg.nr_slab_pages} = ${sum} != managed ${z.managed_pages}`
      )
    if (walkLists && pg.lruvec.lrugen) {
      // MGLRU: a folio's generation may run ahead of the list it sits on (sorted lazily), so the
      // lists and the generation sizes agree per type, and with the compatibility sizes.
      const g = pg.lruvec.lrugen
      for (let type = 0; type < 2; type++) {
        let c = 0
        let sized = 0
        for (let gen = 0; gen < MAX_NR_GENS; gen++) {
          const head = k.pages.gen_head(pg.node_id, gen, type)
          for (let p = k.pages.next(head); p !== head; p = k.pages.next(p)) c++
          sized += g.nr_pages[2 * gen + type]
        }
        const compat = n[2 * type] + n[2 * type + 1]
        if (c !== sized || c !== compat)
          throw new InvariantError(
            `node ${pg.node_id}: lru_gen type ${type} has ${c} entries, generations count ${sized}, lru sizes ${compat}`
          )
      }
    } else if (walkLists) {
      for (let l = 0; l < 4; l++) {
        const head = k.pages.lru_head(pg.node_id, l)
        let c = 0
        for (let p = k.pages.next(head); p !== head; p = k.pages.next(p)) c++
        if (c !== n[l])
          throw new InvariantError(`node ${pg.node_id}: lru ${l} has ${c} entries, counted ${n[l]}`)
      }
    }
  }
  if (walkLists) checkMappings(k)
  if (v.pgsteal_kswapd > v.pgscan_kswapd || v.pgsteal_direct > v.pgscan_direct)
    throw new InvariantError('pgsteal > pgscan')
  if (v.pgsteal_anon + v.pgsteal_file > v.pgscan_anon + v.pgscan_file)
    throw new InvariantError('pgsteal > pgscan (by type)')
  if (prev) {
    for (const c of VMSTAT_COUNTERS)
      if (v[c] < prev[c])
        throw new InvariantError(`counter ${c} went backwards: ${prev[c]} → ${v[c]}`)
  }
  if (k.zswap && k.zswap.zswap_total_pages() > k.zswap.max_pages + 1)
    throw new InvariantError('zswap pool above max_pool_percent')
  if (k.zram && k.zram.mem_limit_pages > 0 && k.zram.mem_used_total > k.zram.mem_limit_pages)
    throw new InvariantError('zram above mem_limit')
}

/**
 * Every resident entry of a live mapping (a PTE or page-cache slot holding a frame) points at a
 * frame that belongs to that mapping at that index: a folio freed or reused while an entry still
 * names it would otherwise go unnoticed.
 */
function checkMappings(k: Kernel): void {
  const p = k.pages
  for (const m of k.mappings) {
    if (!m.alive) continue
    const pte = m.pte
    for (let i = 0; i < pte.length; i++) {
      const pfn = pte[i]
      if (pfn < 0) continue
      if (p.mapping[pfn] !== m.id || p.index[pfn] !== i)
        throw new InvariantError(
          `mapping ${m.id} index ${i} names frame ${pfn}, which belongs to mapping ${p.mapping[pfn]} index ${p.index[pfn]}`
        )
    }
  }
}
