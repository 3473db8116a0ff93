import { BaselineWriteout, type WriteoutPath } from '../mm/writeout'
import { KcompressdWriteout } from '../mm/kcompressd'
import { DESIGNS, resolveConfig, type VariantKnobs } from './designs'

/**
 * Patch variants: each replaces the swap write-out path (see mm/writeout.ts). `baseline` is
 * mainline; the others are kcompressd designs (docs/kernel-reference.md §1) whose defaults are in
 * designs.ts; a scenario's `variant` knobs override the named design's defaults.
 */
export const VARIANTS: Record<
  string,
  { description: string; create(knobs?: VariantKnobs): WriteoutPath }
> = {
  baseline: {
    description: 'mainline: kswapd and direct reclaim compress inline in swap_writepage()',
    create: () => new BaselineWriteout()
  }
}
for (const [name, d] of Object.entries(DESIGNS)) {
  VARIANTS[name] = {
    description: d.description,
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
