import type { VariantInfo } from '../../../shared/dto'

/** What a nullable ("auto") field becomes when left on auto, and the value to start from when it is not. */
export interface AutoValue {
  /** Shown beside the field while it is on auto. */
  meaning: string
  /** The value the field takes when auto is unticked. */
  start: unknown
}

function shown(value: unknown): string {
  return typeof value === 'number' ? value.toLocaleString('en-US') : String(value)
}

/**
 * Variant knobs resolve to each variant's own default (designs.ts, through sim:catalog); the kernel
 * computes `vm.min_free_kbytes` from the memory size. Other nullable fields start from their minimum.
 */
export function autoValue(
  path: string,
  variants: VariantInfo[],
  field: { kind: string; min?: number; options?: string[] }
): AutoValue {
  if (path.startsWith('variant.')) {
    const knob = path.slice('variant.'.length)
    const designs = variants.filter((v) => v.defaults && knob in v.defaults)
    const byVariant = designs.map((v) => `${v.name} ${shown(v.defaults![knob])}`).join(' · ')
    return {
      meaning: designs.length ? `each variant's own: ${byVariant}` : "each variant's own",
      start: designs.find((v) => v.name === 'custom')?.defaults?.[knob] ?? fallback(field)
    }
  }
  if (path === 'kernel.vm.min_free_kbytes')
    return {
      meaning: 'computed by the kernel from the memory size (calculate_min_free_kbytes)',
      start: fallback(field)
    }
  return { meaning: 'the simulator decides', start: fallback(field) }
}

function fallback(field: { kind: string; min?: number; options?: string[] }): unknown {
  if (field.kind === 'boolean') return false
  if (field.kind === 'enum') return field.options?.[0] ?? null
  return field.min ?? 0
}
