import type { ZodType } from 'zod'
import { metaOf, schemaAt, type FieldMeta } from './schema-meta'

export interface ScenarioField extends FieldMeta {
  /** Dotted path, as validation errors and `--set` name it: `kernel.vm.swappiness`. */
  path: string
  label: string
  unit: string
  value: unknown
}

export interface FieldGroup {
  id: string
  title: string
  fields: ScenarioField[]
}

const UNITS: Array<[RegExp, string]> = [
  [/_mb_s$/, 'MiB/s'],
  [/_per_s$/, '/s'],
  [/_mb(_per_node)?$/, 'MiB'],
  [/_kbytes$/, 'kB'],
  [/_ms$/, 'ms'],
  [/_us$/, 'µs'],
  [/_ns$/, 'ns'],
  [/_s$/, 's'],
  [/(_pct|_percent|_percentage)$/, '%'],
  [/_pct_per_s$/, '%/s']
]

export function unitOf(key: string): string {
  if (key.endsWith('_pct_per_s')) return '%/s'
  return UNITS.find(([pattern]) => pattern.test(key))?.[1] ?? ''
}

/** Every editable leaf of a scenario value, with its schema's type, range and unit. */
export function leafFields(root: ZodType, value: unknown, prefix: string[] = []): ScenarioField[] {
  const node = prefix.reduce<unknown>(
    (v, k) => (v as Record<string, unknown> | undefined)?.[k],
    value
  )
  const meta = metaOf(schemaAt(root, prefix, value))
  const key = prefix.at(-1) ?? ''
  const isPlainObject = node !== null && typeof node === 'object' && !Array.isArray(node)
  if (
    meta.kind === 'range' ||
    (meta.kind !== 'array' && !isPlainObject && meta.kind !== 'object')
  ) {
    return [{ ...meta, path: prefix.join('.'), label: key, unit: unitOf(key), value: node }]
  }
  if (Array.isArray(node)) {
    return node.flatMap((_, i) => leafFields(root, value, [...prefix, String(i)]))
  }
  return Object.keys(node as object).flatMap((k) => leafFields(root, value, [...prefix, k]))
}

/**
 * The editor's sections. A section holding one subtree (`prefix`) labels its fields by the path
 * below it; Run gathers top-level fields and `trace.*`, so its labels are whole paths.
 */
const GROUPS: Array<{
  id: string
  title: string
  prefix?: string
  match: (path: string) => boolean
}> = [
  { id: 'device', title: 'Device', prefix: 'device.', match: (p) => p.startsWith('device.') },
  {
    id: 'workload',
    title: 'Workload',
    prefix: 'workload.',
    match: (p) => p.startsWith('workload.')
  },
  { id: 'kernel', title: 'Kernel knobs', prefix: 'kernel.', match: (p) => p.startsWith('kernel.') },
  {
    id: 'variant',
    title: 'Variant knobs',
    prefix: 'variant.',
    match: (p) => p.startsWith('variant.')
  },
  {
    id: 'run',
    title: 'Run',
    match: (p) =>
      ['duration_s', 'sample_interval_ms', 'check_invariants'].includes(p) || p.startsWith('trace.')
  },
  {
    id: 'costs',
    title: 'Model costs (CPU per step)',
    prefix: 'costs.',
    match: (p) => p.startsWith('costs.')
  }
]

/**
 * Fields grouped as the editor shows them, each labelled by its path inside its section
 * (`vm.min_free_kbytes` under Kernel knobs, `trace.enabled` under Run); `name` and `description`
 * are edited elsewhere.
 */
export function groupFields(fields: ScenarioField[]): FieldGroup[] {
  return GROUPS.map((g) => ({
    id: g.id,
    title: g.title,
    fields: fields
      .filter((f) => g.match(f.path))
      .map((f) => ({ ...f, label: g.prefix ? f.path.slice(g.prefix.length) : f.path }))
  })).filter((g) => g.fields.length > 0)
}

/** Break opportunities after `.` and `_`, so a long knob name wraps between words, never mid-word. */
export function labelParts(label: string): string[] {
  return label.split(/(?<=[._])/)
}

export function getAt(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value)
}

/** Scenarios are plain JSON; this also copies out of Vue's reactive proxies, which structuredClone refuses. */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

/** A copy of `value` with the field at `path` replaced. */
export function setAt<T>(value: T, path: string, next: unknown): T {
  const copy = cloneJson(value) as Record<string, unknown>
  const keys = path.split('.')
  let node = copy
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>
  node[keys.at(-1)!] = next
  return copy as T
}

/** Paths whose values differ between two scenarios (for "differs from the preset" marks). */
export function differingPaths(fields: ScenarioField[], other: unknown): Set<string> {
  return new Set(
    fields
      .filter((f) => JSON.stringify(f.value) !== JSON.stringify(getAt(other, f.path)))
      .map((f) => f.path)
  )
}
