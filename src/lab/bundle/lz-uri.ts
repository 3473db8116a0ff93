/**
 * A decoder for lz-string's URI-safe format (compressToEncodedURIComponent) that gives the same
 * text as decompressFromEncodedURIComponent but stops once the text passes a cap: lz-string
 * builds the whole output before returning, so a 14 KB code of one repeated phrase becomes 20 MB.
 *
 * The format is LZW over UTF-16 code units. Each character of the alphabet below carries 6 bits,
 * most significant first; codes are read least significant bit first. The first code is 2 bits
 * wide, then codes start at 3 bits and widen by one each time the phrase table reaches a power of
 * two. Codes 0 and 1 bring a literal 8- or 16-bit character (which also enters the table), 2 ends
 * the stream, and 3 upwards name phrases.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$'
const END = 2

/** Six bits per character; lz-string reads any other character as 0 and a space as "+". */
const SIX_BITS = new Map([...ALPHABET].map((char, value) => [char, value]))
SIX_BITS.set(' ', SIX_BITS.get('+')!)

export class ExpansionLimitError extends Error {
  constructor(readonly limit: number) {
    super(`expands to more than ${limit} characters`)
  }
}

class BitReader {
  private index = 0
  private mask = 32

  constructor(private readonly input: string) {}

  /** Every bit has been read; like lz-string, checked only before a code, not inside one. */
  get exhausted(): boolean {
    return this.index >= this.input.length
  }

  /** Past the end the input reads as zeros, as in lz-string. */
  read(width: number): number {
    let value = 0
    for (let bit = 0; bit < width; bit++) {
      if ((SIX_BITS.get(this.input.charAt(this.index)) ?? 0) & this.mask) value |= 1 << bit
      this.mask >>= 1
      if (this.mask === 0) {
        this.mask = 32
        this.index++
      }
    }
    return value
  }
}

/** Collects the text and refuses as soon as it would pass `limit` characters. */
class Output {
  private readonly parts: string[] = []
  private length = 0

  constructor(private readonly limit: number) {}

  push(phrase: string): void {
    this.length += phrase.length
    if (this.length > this.limit) throw new ExpansionLimitError(this.limit)
    this.parts.push(phrase)
  }

  text(): string {
    return this.parts.join('')
  }
}

function literal(reader: BitReader, code: number): string | undefined {
  if (code === 0) return String.fromCharCode(reader.read(8))
  if (code === 1) return String.fromCharCode(reader.read(16))
  return undefined
}

/**
 * The text, or null where lz-string gives null (a code naming a phrase not yet made) and "" where
 * it gives "" (the bits run out before the end code). Throws ExpansionLimitError past `maxChars`.
 * One difference: a stream opening with code 3 is null here, where lz-string goes on with an
 * undefined first phrase (yielding the text "undefined" or a TypeError); no encoder writes one.
 */
export function decompressUriSafe(input: string, maxChars: number): string | null {
  if (input === '') return null
  const reader = new BitReader(input)
  const opening = reader.read(2)
  if (opening === END) return ''
  let previous = literal(reader, opening)
  if (previous === undefined) return null
  // Indexed by code; 0–2 are commands, not phrases.
  const phrases = ['', '', '', previous]
  const output = new Output(maxChars)
  output.push(previous)
  let width = 3
  let codesBeforeWider = 4
  const countCode = () => {
    if (--codesBeforeWider === 0) codesBeforeWider = 2 ** width++
  }
  for (;;) {
    if (reader.exhausted) return ''
    let code = reader.read(width)
    if (code === END) return output.text()
    const fresh = literal(reader, code)
    if (fresh !== undefined) {
      code = phrases.push(fresh) - 1
      countCode()
    }
    let phrase: string
    if (code < phrases.length) phrase = phrases[code]
    // The phrase being defined by this very code (the LZW "cScSc" case).
    else if (code === phrases.length) phrase = previous + previous[0]
    else return null
    output.push(phrase)
    phrases.push(previous + phrase[0])
    countCode()
    previous = phrase
  }
}
