import { createHash } from 'node:crypto'

/**
 * JSON with object keys sorted at every level and no whitespace, so the same content always gives
 * the same text (and checksum) whatever order its keys were written in. Follows JSON.stringify for
 * everything else: undefined members are left out, undefined array items become null.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
    return `{${members.join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
