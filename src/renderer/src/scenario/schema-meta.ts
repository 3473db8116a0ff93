import type { ZodType } from 'zod'

/** What the editor needs to know about one scenario field, read from the zod schema. */
export interface FieldMeta {
  kind: 'number' | 'boolean' | 'text' | 'enum' | 'range' | 'object' | 'array' | 'union' | 'unknown'
  integer?: boolean
  min?: number
  max?: number
  nullable?: boolean
  options?: string[]
}

interface Def {
  type: string
  innerType?: ZodType
  items?: ZodType[]
  element?: ZodType
  shape?: Record<string, ZodType>
  options?: ZodType[]
  discriminator?: string
}

function def(schema: ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def
}

/** Strips default/prefault/optional/nullable wrappers, remembering nullability. */
export function unwrap(schema: ZodType): { schema: ZodType; nullable: boolean } {
  let current = schema
  let nullable = false
  for (;;) {
    const d = def(current)
    if (d.type === 'nullable') nullable = true
    if (
      ['default', 'prefault', 'optional', 'nullable', 'readonly'].includes(d.type) &&
      d.innerType
    ) {
      current = d.innerType
    } else return { schema: current, nullable }
  }
}

function shapeOf(schema: ZodType): Record<string, ZodType> | undefined {
  return (schema as unknown as { shape?: Record<string, ZodType> }).shape
}

/**
 * The schema of the field at `path` inside `root`; a discriminated union is resolved with the
 * discriminator value found in `value` (the workload's `type`).
 */
export function schemaAt(root: ZodType, path: string[], value: unknown): ZodType | undefined {
  let schema: ZodType | undefined = root
  let node: unknown = value
  for (const key of path) {
    if (!schema) return undefined
    let inner: ZodType = unwrap(schema).schema
    const d = def(inner)
    if (d.type === 'union' && d.options) {
      const tag = (node as Record<string, unknown> | undefined)?.[d.discriminator ?? 'type']
      const key = d.discriminator ?? 'type'
      inner = d.options.find((o) => literalOf(shapeOf(o)?.[key]) === tag) ?? d.options[0]
    }
    const innerDef = def(inner)
    if (innerDef.type === 'object') schema = shapeOf(inner)?.[key]
    else if (innerDef.type === 'array') schema = innerDef.element
    else if (innerDef.type === 'tuple') schema = innerDef.items?.[Number(key)]
    else return undefined
    node = (node as Record<string, unknown> | undefined)?.[key]
  }
  return schema
}

function literalOf(schema: ZodType | undefined): unknown {
  return schema ? (def(schema) as unknown as { values?: unknown[] }).values?.[0] : undefined
}

export function metaOf(schema: ZodType | undefined): FieldMeta {
  if (!schema) return { kind: 'unknown' }
  const { schema: inner, nullable } = unwrap(schema)
  const d = def(inner)
  const n = inner as unknown as {
    minValue?: number | null
    maxValue?: number | null
    isInt?: boolean
    options?: string[]
  }
  switch (d.type) {
    case 'number':
      return {
        kind: 'number',
        nullable,
        integer: n.isInt === true,
        min: n.minValue ?? undefined,
        max: n.maxValue ?? undefined
      }
    case 'boolean':
      return { kind: 'boolean', nullable }
    case 'string':
      return { kind: 'text', nullable }
    case 'enum':
      return { kind: 'enum', nullable, options: n.options }
    case 'tuple':
      return { kind: 'range', nullable, ...rangeBounds(d.items?.[0]) }
    case 'object':
      return { kind: 'object', nullable }
    case 'array':
      return { kind: 'array', nullable }
    case 'union':
      return { kind: 'union', nullable }
    default:
      return { kind: 'unknown', nullable }
  }
}

function rangeBounds(item: ZodType | undefined): Pick<FieldMeta, 'min' | 'max' | 'integer'> {
  const meta = metaOf(item)
  return { min: meta.min, max: meta.max, integer: meta.integer }
}
