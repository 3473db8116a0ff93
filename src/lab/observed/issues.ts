import { LabError, type FieldIssue } from '../../shared/errors'

/** Enough to fix several mistakes in one go without burying the first under the rest. */
const SHOWN = 5

interface Found {
  /** 0 for the vmstat file, 1 for the pressure file: the order they are reported in. */
  file: number
  line: number
  message: string
}

/** Problems found while reading an import; nothing is imported while there is any. */
export class Issues {
  private found: Found[] = []

  /** A problem on a 1-based line of the vmstat text. */
  at(line: number, message: string): void {
    this.found.push({ file: 0, line, message })
  }

  /** A problem on a 1-based line of the /proc/pressure/memory text. */
  pressureAt(line: number, message: string): void {
    this.found.push({ file: 1, line, message })
  }

  get count(): number {
    return this.found.length
  }

  /** Throws the first few problems, in file and line order, as one LabError. */
  throwIfAny(what: string): void {
    if (!this.found.length) return
    const sorted = [...this.found].sort((a, b) => a.file - b.file || a.line - b.line)
    const shown: FieldIssue[] = sorted.slice(0, SHOWN).map((f) => ({
      path: `${f.file ? 'pressure line' : 'line'} ${f.line}`,
      message: f.message
    }))
    const more = sorted.length - shown.length
    const list = shown.map((i) => `${i.path}: ${i.message}`).join('; ')
    const tail = more ? ` (and ${more} more ${more === 1 ? 'problem' : 'problems'})` : ''
    throw new LabError('invalid', `Cannot import ${what}: ${list}${tail}`, shown)
  }
}
