import { BaselineWriteout, type WriteoutPath } from '../mm/writeout'
import { KcompressdWriteout } from './kcompressd/kcompressd'
import { DESIGNS, resolveConfig, type VariantKnobs } from './kcompressd/designs'

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
    create(knobs?: VariantKnobs): WriteoutPath
    /** End-of-build warnings every run of this variant carries (e.g. a posted patch's bugs). */
    warnings?: string[]
  }
> = {
  baseline: {
    description: 'mainline: kswapd and direct reclaim compress inline in swap_writepage()',
    create: () => new BaselineWriteout()
  }
}
for (const [name, d] of Object.entries(DESIGNS)) {
  VARIANTS[name] = {
    description: d.description,
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
