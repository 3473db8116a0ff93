import { BaselineWriteout, type WriteoutPath } from '../mm/writeout'
import { KcompressdWriteout } from './kcompressd/kcompressd'
import {
  DESIGNS,
  resolveConfig,
  type KcompressdConfig,
  type VariantKnobs
} from './kcompressd/designs'

/**
 * Patch variants: each declares its swap write-out path (see mm/writeout.ts; its counters and
 * derived metrics come with it) and the warnings its runs carry. `baseline` is mainline; the others
 * are kcompressd designs (kcompressd/, docs/kernel-reference.md §1) whose defaults are in
 * kcompressd/designs.ts; a scenario's `variant` knobs override the named design's defaults.
 */
export const VARIANTS: Record<
  string,
  {
    description: string
    /** Where the design comes from. */
    source: string
    /** Known bugs and gaps as posted, one line each. */
    knownBugs: string[]
    /** The design's own value of each `variant` knob ("auto" in a scenario); null for baseline. */
    defaults: KcompressdConfig | null
    create(knobs?: VariantKnobs): WriteoutPath
    /** End-of-build warnings every run of this variant carries (e.g. a posted patch's bugs). */
    warnings?: string[]
  }
> = {
  baseline: {
    description: 'mainline: kswapd and direct reclaim compress inline in swap_writepage()',
    source: 'Linux 6.12 mm/page_io.c swap_writepage(): zswap_store() or zram, synchronously',
    knownBugs: [],
    defaults: null,
    create: () => new BaselineWriteout()
  }
}
for (const [name, d] of Object.entries(DESIGNS)) {
  VARIANTS[name] = {
    description: d.description,
    source: d.source,
    knownBugs: d.knownBugs,
    defaults: d.config,
    warnings: d.warnings,
    create: (knobs) => new KcompressdWriteout(name, resolveConfig(name, knobs))
  }
}

export class UnknownVariantError extends Error {}

export function createWriteout(name: string, knobs?: VariantKnobs): WriteoutPath {
  const v = VARIANTS[name]
  if (!v) {
    throw new UnknownVariantError(
      `unknown variant '${name}' (available: ${Object.keys(VARIANTS).join(', ')})`
    )
  }
  return v.create(knobs)
}
