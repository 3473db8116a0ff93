import fc from 'fast-check'
import type { z } from 'zod'

/** Strings a careless or hostile caller sends: empty, NUL, huge, paths, prototype names, numbers as text. */
export const edgeStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '__proto__',
  'constructor',
  '__proto__.polluted',
  '9007199254740993',
  '1-1000000000000000000',
  '0',
  '-1',
  '1e400',
  '%ZZ',
  '../../../etc/passwd',
  '<img src=x onerror=alert(1)>',
  '\ud800',
  'x'.repeat(5000),
  'é'.repeat(300)
)

export const edgeNumbers = fc.constantFrom(
  0,
  1,
  2,
  -1,
  0.5,
  2 ** 31,
  2 ** 32,
  2 ** 53 + 2,
  -(2 ** 53),
  1e308,
  -1e308,
  Number.MIN_VALUE
)

const anyJson = fc.jsonValue({ maxDepth: 3 })

interface Def {
  type: string
  shape?: Record<string, z.ZodType>
  innerType?: z.ZodType
  element?: z.ZodType
  options?: z.ZodType[]
  entries?: Record<string, string>
  in?: z.ZodType
}

/** A copy of `value` with own keys set by definition, so `__proto__` is a key JSON will carry. */
function withOwnKeys(value: unknown, entries: Array<[string, unknown]>): unknown {
  const copy = { ...(value as object) }
  for (const [key, v] of entries)
    Object.defineProperty(copy, key, {
      value: v,
      enumerable: true,
      writable: true,
      configurable: true
    })
  return copy
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def

/**
 * Values shaped like what `schema` accepts, with edge values at every leaf and, now and then,
 * extra keys (`__proto__`, `constructor`) or any JSON at all in place of a field. `unknown` fields
 * get `unknownField` (e.g. scenarios).
 */
export function arbitraryFor(
  schema: z.ZodType,
  unknownField: fc.Arbitrary<unknown> = anyJson,
  depth = 0
): fc.Arbitrary<unknown> {
  const def = defOf(schema)
  const inner = (s: z.ZodType) => arbitraryFor(s, unknownField, depth + 1)
  const shaped = ((): fc.Arbitrary<unknown> => {
    switch (def.type) {
      case 'string':
        return fc.oneof(fc.string({ maxLength: 30 }), edgeStrings, fc.string({ unit: 'grapheme' }))
      case 'number':
        return fc.oneof(fc.integer({ min: -3, max: 50 }), edgeNumbers, fc.double({ noNaN: true }))
      case 'boolean':
        return fc.boolean()
      case 'null':
        return fc.constant(null)
      case 'undefined':
        return fc.constant(undefined)
      case 'enum':
        return fc.constantFrom(...Object.values(def.entries!), 'bogus')
      case 'unknown':
        return unknownField
      case 'optional':
      case 'nullable':
      case 'default':
        return fc.oneof(inner(def.innerType!), fc.constantFrom(undefined, null))
      case 'pipe':
        return inner(def.in!)
      case 'array':
        return fc.array(inner(def.element!), { maxLength: depth ? 4 : 8 })
      case 'union':
        return fc.oneof(...def.options!.map(inner))
      case 'object': {
        const fields = Object.fromEntries(
          Object.entries(def.shape!).map(([key, value]) => [key, inner(value)])
        )
        const record = fc.record(fields, { requiredKeys: [] })
        const extra = fc.array(
          fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra'), anyJson),
          { minLength: 1, maxLength: 2 }
        )
        return fc.oneof(
          { weight: 4, arbitrary: record },
          { weight: 1, arbitrary: fc.tuple(record, extra).map(([r, e]) => withOwnKeys(r, e)) }
        )
      }
      default:
        return anyJson
    }
  })()
  return fc.oneof({ weight: 9, arbitrary: shaped }, { weight: 1, arbitrary: anyJson })
}
