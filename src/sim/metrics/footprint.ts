import type { Kernel } from '../kernel'

/**
 * Bytes held by the model's typed arrays (page frames, free lists, swap slots, mappings), the
 * memory that scales with simulated pages. Plain-object overhead is not included.
 */
export function modelBytes(k: Kernel): number {
  const p = k.pages
  let n = p.flags.byteLength + p.links.byteLength + p.mapping.byteLength + p.index.byteLength
  for (const pg of k.pgdats) n += pg.zone.freelist.byteLength
  const si = k.swap
  if (si)
    n +=
      si.where.byteLength +
      si.csize.byteLength +
      si.shadow.byteLength +
      si.swapcache.byteLength +
      si.nr_slots * 4
  for (const m of k.mappings)
    n += m.pte.byteLength + (m.shadow?.byteLength ?? 0) + (m.content?.byteLength ?? 0)
  return n
}
