import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface Migration {
  version: number
  name: string
  sql: string
}

const FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/

/** Reads `NNNN_verb_noun.sql` files in order; numbering must start at 1 with no gaps. */
export function loadMigrations(dir: string): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
  return files.map((file, index) => {
    const match = FILE_PATTERN.exec(file)
    if (!match) throw new Error(`Migration file ${join(dir, file)} is not named NNNN_verb_noun.sql`)
    const version = Number(match[1])
    if (version !== index + 1) {
      throw new Error(
        `Migration ${file} has number ${version}, expected ${index + 1}: numbering has a gap`
      )
    }
    return { version, name: file, sql: readFileSync(join(dir, file), 'utf8') }
  })
}
