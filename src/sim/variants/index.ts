import { BaselineWriteout, type WriteoutPath } from '../mm/writeout'

/**
 * Patch variants: each replaces the swap write-out path (see mm/writeout.ts). Only `baseline` ships
 * now; v1, proto, v2, zram_async and unofficial (design/simulator.md item 11) plug in here.
 */
export const VARIANTS: Record<string, { description: string; create(): WriteoutPath }> = {
  baseline: {
    description: 'mainline: kswapd and direct reclaim compress inline in swap_writepage()',
    create: () => new BaselineWriteout()
  }
}

export class UnknownVariantError extends Error {}

export function createWriteout(name: string): WriteoutPath {
  const v = VARIANTS[name]
  if (!v) {
    throw new UnknownVariantError(
      `unknown variant '${name}' (available: ${Object.keys(VARIANTS).join(', ')})`
    )
  }
  return v.create()
}
