import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string'
import { describe, expect, it } from 'vitest'
import { decompressUriSafe, ExpansionLimitError } from '../../../src/lab/bundle/lz-uri'
import { encodeShareCode } from '../../../src/lab/bundle/share-code'
import { presets, resolvePreset } from '../../../src/sim'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$'
const NO_CAP = Number.MAX_SAFE_INTEGER

/** A 14 KB share code that lz-string expands to a 20 MB scenario (see make-bomb.ts). */
const BOMB = readFileSync(join(__dirname, '../../fixtures/share/bomb-20mb.txt'), 'utf8').trim()

/** mulberry32: the same "random" inputs on every run, so a failure can be replayed. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32
  }
}

function lzString(input: string): string | null | 'throws' {
  try {
    return decompressFromEncodedURIComponent(input)
  } catch {
    return 'throws'
  }
}

/** lz-string reads the first code from the top two bits of the first character. */
const opensWithCode3 = (input: string) => ALPHABET.indexOf(input[0]) >> 4 === 3

describe('decompressUriSafe', () => {
  it('gives what lz-string gives for 20,000 random strings of the code alphabet', () => {
    const random = seeded(12)
    const outcomes = new Map<string, number>()
    for (let i = 0; i < 20_000; i++) {
      const length = 1 + Math.floor(random() * 80)
      let input = ''
      for (let j = 0; j < length; j++) input += ALPHABET[Math.floor(random() * 64)]
      const ours = decompressUriSafe(input, NO_CAP)
      const theirs = lzString(input)
      // lz-string then carries an undefined phrase along; no encoder writes such a stream.
      if (opensWithCode3(input) && ours !== theirs) expect(ours).toBeNull()
      else expect(ours, input).toBe(theirs)
      const kind = ours === null ? 'null' : ours === '' ? 'empty' : 'text'
      outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1)
    }
    // Every branch was taken many times: unknown phrases, streams without an end, whole texts.
    for (const kind of ['null', 'empty', 'text']) expect(outcomes.get(kind)).toBeGreaterThan(1000)
  })

  it('decodes what lz-string encodes: share codes, any UTF-16, long repeats', () => {
    const random = seeded(7)
    const texts = ['', 'a', '\u0000', '\uffff', 'aaaaaaaaaaaaaaaaaaaaaaaaa', 'ab'.repeat(5000)]
    for (const p of presets) {
      texts.push(encodeShareCode({ scenario: resolvePreset(p.name), preset: p.name }))
    }
    for (let i = 0; i < 1500; i++) {
      const length = Math.floor(random() * 400)
      const narrow = random() < 0.5
      let text = ''
      for (let j = 0; j < length; j++) {
        text += String.fromCharCode(
          // Few distinct characters make long phrases; any code unit includes lone surrogates.
          narrow ? 97 + Math.floor(random() * 4) : Math.floor(random() * 0x10000)
        )
      }
      texts.push(text)
    }
    for (const text of texts) {
      const code = compressToEncodedURIComponent(text)
      expect(decompressUriSafe(code, NO_CAP)).toBe(text)
    }
  })

  it('gives what lz-string gives for every truncation of a real code', () => {
    const code = encodeShareCode({ scenario: resolvePreset('memory-eater'), preset: null })
    const payload = code.slice('rl1-'.length)
    for (let keep = 1; keep <= payload.length; keep++) {
      const cut = payload.slice(0, keep)
      expect(decompressUriSafe(cut, NO_CAP), `first ${keep}`).toBe(lzString(cut))
    }
  })

  it('returns a text of exactly the cap and refuses one character more', () => {
    const text = 'reclaim '.repeat(1000)
    const code = compressToEncodedURIComponent(text)
    expect(decompressUriSafe(code, text.length)).toBe(text)
    expect(() => decompressUriSafe(code, text.length - 1)).toThrow(
      new ExpansionLimitError(text.length - 1)
    )
  })

  it('stops a 20 MB bomb at the cap, quickly and without building the text', () => {
    const payload = BOMB.slice('rl1-'.length)
    expect(payload.length).toBeLessThan(15_000)
    const heapBefore = process.memoryUsage().heapUsed
    const started = performance.now()
    expect(() => decompressUriSafe(payload, 1_000_000)).toThrow(
      'expands to more than 1000000 characters'
    )
    const ms = performance.now() - started
    const grewMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20
    expect(ms).toBeLessThan(250)
    // The 20 MB text alone would be 20 MB of heap (one byte per character at best).
    expect(grewMb).toBeLessThan(10)
    // The fixture is the bomb it claims to be.
    expect(decompressFromEncodedURIComponent(payload).length).toBeGreaterThan(20_000_000)
  })
})
