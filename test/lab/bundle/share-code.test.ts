import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string'
import { describe, expect, it } from 'vitest'
import {
  decodeShareCode,
  encodeShareCode,
  envelopeChecksum
} from '../../../src/lab/bundle/share-code'
import { presets, resolvePreset, scenarioSchema } from '../../../src/sim'
import { LabError } from '../../../src/shared/errors'

const resolved = (name: string) => scenarioSchema.parse(resolvePreset(name))

/** A 14 KB code with a valid checksum whose description is 20,000,000 × "a" (make-bomb.ts). */
const BOMB = readFileSync(join(__dirname, '../../fixtures/share/bomb-20mb.txt'), 'utf8').trim()

/** A trace workload whose text is `chars` seeded letters and digits (lz-string cannot shrink it). */
function traceScenario(chars: number) {
  let seed = 42
  let text = ''
  for (let i = 0; i < chars; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    text += 'abcdefghijklmnopqrstuvwxyz0123456789'[Math.floor((seed / 2 ** 32) * 36)]
  }
  return { ...resolved('single-cpu'), workload: { type: 'trace', format: 'csv', text } }
}

/** A code built by hand, to reach the checks behind the checksum. */
function handMade(envelope: Record<string, unknown>, prefix = 'rl1-'): string {
  return prefix + compressToEncodedURIComponent(JSON.stringify(envelope))
}

function refusal(code: string): LabError {
  try {
    decodeShareCode(code)
  } catch (err) {
    expect(err).toBeInstanceOf(LabError)
    expect((err as LabError).code).toBe('invalid')
    return err as LabError
  }
  throw new Error(`decoded a code that should be refused: ${code.slice(0, 40)}…`)
}

describe('share codes', () => {
  it.each(presets.map((p) => p.name))('%s comes back as the same resolved scenario', (name) => {
    const code = encodeShareCode({ scenario: resolvePreset(name), preset: name })
    expect(code).toMatch(/^rl1-[A-Za-z0-9+\-$]+$/)
    expect(decodeShareCode(code)).toEqual({ scenario: resolved(name), preset: name })
  })

  it('keeps an edited scenario with no preset, and survives wrapping and surrounding spaces', () => {
    const scenario = { ...resolved('single-cpu'), duration_s: 7 }
    scenario.kernel.vm.swappiness = 133
    const code = encodeShareCode({ scenario, preset: null })
    const wrapped = `  ${code.slice(0, 50)}\n${code.slice(50)}\n`
    expect(decodeShareCode(wrapped)).toEqual({ scenario, preset: null })
  })

  it('drops a preset name this version does not know but keeps the whole scenario', () => {
    const code = encodeShareCode({ scenario: resolvePreset('memory-eater'), preset: 'phone-16g' })
    expect(decodeShareCode(code)).toEqual({ scenario: resolved('memory-eater'), preset: null })
  })

  it('refuses to encode a scenario the simulator rejects', () => {
    const scenario = resolved('memory-eater')
    scenario.kernel.vm.swappiness = 201
    expect(() => encodeShareCode({ scenario, preset: null })).toThrow(
      'This scenario cannot be shared: kernel.vm.swappiness must be ≤ 200'
    )
  })

  it('refuses garbage and a wrong prefix as not a share code', () => {
    for (const text of ['', 'hello world', 'N4IgLg', 'https://example.org/?s=abc', 'RL1-abc']) {
      expect(refusal(text).message).toBe(
        'This is not a Reclaim Lab share code (share codes start with "rl1-").'
      )
    }
  })

  it('refuses a code from a newer format', () => {
    const code = encodeShareCode({ scenario: resolvePreset('single-cpu'), preset: 'single-cpu' })
    expect(refusal(code.replace(/^rl1-/, 'rl2-')).message).toBe(
      'This share code was made by a newer Reclaim Lab (format 2); update to open it.'
    )
    const body = { v: 2, preset: null, scenario: resolved('single-cpu') }
    expect(refusal(handMade({ ...body, sum: envelopeChecksum(body) })).message).toBe(
      'This share code was made by a newer Reclaim Lab (format 2); update to open it.'
    )
  })

  it('refuses truncated codes as damaged or incomplete', () => {
    const code = encodeShareCode({ scenario: resolvePreset('memory-eater'), preset: null })
    for (const keep of [4, 5, 20, Math.floor(code.length / 2), code.length - 4]) {
      expect(refusal(code.slice(0, keep)).message).toMatch(
        /^This share code is damaged or incomplete: /
      )
    }
    // lz-string's last characters may hold only its end-of-stream marker (a dictionary code, six
    // bits a character): without them the content is complete and comes back unchanged, which is
    // harmless. Anything else cut off is refused.
    for (const cut of [1, 2, 3]) {
      let outcome: string
      try {
        outcome =
          JSON.stringify(decodeShareCode(code.slice(0, -cut))) ===
          JSON.stringify(decodeShareCode(code))
            ? 'unchanged'
            : 'changed'
      } catch (err) {
        outcome = (err as LabError).message.startsWith('This share code is damaged or incomplete: ')
          ? 'refused'
          : 'other error'
      }
      expect(['unchanged', 'refused']).toContain(outcome)
    }
  })

  it('refuses every one-character change that alters the content', () => {
    const original = { scenario: resolvePreset('phone-8g-appswitch'), preset: 'phone-8g-appswitch' }
    const code = encodeShareCode(original)
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$'
    let refused = 0
    let harmless = 0
    for (let at = 4; at < code.length; at += 7) {
      const next = alphabet[(alphabet.indexOf(code[at]) + 17) % alphabet.length]
      const changed = code.slice(0, at) + next + code.slice(at + 1)
      try {
        // A change in the last character's unused bits can leave the content as it was.
        expect(decodeShareCode(changed)).toEqual(decodeShareCode(code))
        harmless++
      } catch (err) {
        expect((err as Error).message).toMatch(/^This share code is damaged or incomplete: /)
        refused++
      }
    }
    expect(refused).toBeGreaterThan(100)
    expect(harmless).toBeLessThanOrEqual(1)
  })

  it('catches a change that still decompresses to a valid envelope by its checksum', () => {
    const code = encodeShareCode({ scenario: resolvePreset('single-cpu'), preset: 'single-cpu' })
    const envelope = JSON.parse(decompressFromEncodedURIComponent(code.slice(4)))
    envelope.scenario.kernel.vm.swappiness = 61
    expect(refusal(handMade(envelope)).message).toBe(
      'This share code is damaged or incomplete: its checksum does not match its content ' +
        '(a character was changed or lost). Copy the whole code again.'
    )
  })

  it('refuses characters outside the code alphabet', () => {
    const code = encodeShareCode({ scenario: resolvePreset('single-cpu'), preset: null })
    expect(refusal(`${code.slice(0, 30)}%${code.slice(31)}`).message).toBe(
      'This share code is damaged or incomplete: it holds characters a share code never ' +
        'contains. Copy the whole code again.'
    )
  })

  it('names an out-of-range knob in a well-formed code, with its path', () => {
    const bad = structuredClone(resolved('memory-eater'))
    bad.kernel.vm.swappiness = 250
    bad.duration_s = 0
    const body = { v: 1, preset: 'memory-eater', scenario: bad }
    const err = refusal(handMade({ ...body, sum: envelopeChecksum(body) }))
    expect(err.message).toBe(
      'This share code holds a scenario this simulator refuses: ' +
        'kernel.vm.swappiness must be ≤ 200; duration_s must be > 0'
    )
    expect(err.issues).toEqual([
      { path: 'kernel.vm.swappiness', message: 'must be ≤ 200' },
      { path: 'duration_s', message: 'must be > 0' }
    ])
  })

  it('names a knob this simulator does not know', () => {
    const bad = {
      ...resolved('single-cpu'),
      kernel: { vm: { swappiness: 60, zone_reclaim_mode: 1 } }
    }
    const body = { v: 1, preset: null, scenario: bad }
    expect(refusal(handMade({ ...body, sum: envelopeChecksum(body) })).issues).toEqual([
      { path: 'kernel.vm.zone_reclaim_mode', message: 'is not a field this version knows' }
    ])
  })

  describe('size limits', () => {
    it('refuses a 20 MB share-code bomb while decompressing, in well under a second', () => {
      // Without the cap lz-string gives a well-formed envelope the old decoder accepted whole.
      const envelope = JSON.parse(decompressFromEncodedURIComponent(BOMB.slice(4)))
      expect(envelope.scenario.description).toHaveLength(20_000_000)
      expect(envelope.sum).toBe(envelopeChecksum({ ...envelope, sum: undefined }))

      const started = performance.now()
      expect(refusal(BOMB).message).toBe(
        'This share code expands to more than 500,000 characters, more than any scenario ' +
          'needs; it was not opened.'
      )
      expect(performance.now() - started).toBeLessThan(250)
    })

    it('names over-long text in a code below the size cap', () => {
      const scenario = {
        ...resolved('memory-eater'),
        name: 'n'.repeat(201),
        description: 'd'.repeat(4001)
      }
      scenario.device.cpus[0].class = 'c'.repeat(41)
      const body = { v: 1, preset: null, scenario }
      const err = refusal(handMade({ ...body, sum: envelopeChecksum(body) }))
      expect(err.issues).toEqual([
        { path: 'name', message: 'must be at most 200 characters' },
        { path: 'description', message: 'must be at most 4000 characters' },
        { path: 'device.cpus.0.class', message: 'must be at most 40 characters' }
      ])
    })

    it('keeps text at its limits', () => {
      const scenario = { ...resolved('memory-eater'), name: 'n'.repeat(200) }
      scenario.description = 'd'.repeat(4000)
      const code = encodeShareCode({ scenario, preset: 'memory-eater' })
      expect(decodeShareCode(code)).toEqual({ scenario, preset: 'memory-eater' })
    })

    it('refuses to encode an over-long description, naming it', () => {
      const scenario = { ...resolved('memory-eater'), description: 'x'.repeat(20_000_000) }
      const started = performance.now()
      expect(() => encodeShareCode({ scenario, preset: null })).toThrow(
        'This scenario cannot be shared: description must be at most 4000 characters'
      )
      expect(performance.now() - started).toBeLessThan(250)
    })

    it('refuses to encode a scenario larger than a code may expand to, before compressing', () => {
      const scenario = traceScenario(500_001)
      const started = performance.now()
      expect(() => encodeShareCode({ scenario, preset: null })).toThrow(
        /^This scenario is too large for a share code: it is 50\d,\d{3} characters as JSON; a share code holds 500,000\. Export the experiment instead\.$/
      )
      expect(performance.now() - started).toBeLessThan(250)
    })

    it('refuses to encode a code longer than share:import accepts', () => {
      expect(() => encodeShareCode({ scenario: traceScenario(300_000), preset: null })).toThrow(
        /^This scenario is too large for a share code: its code would be \d{3},\d{3} characters; at most 100,000 import\./
      )
      const small = traceScenario(20_000)
      expect(decodeShareCode(encodeShareCode({ scenario: small, preset: null })).scenario).toEqual(
        scenarioSchema.parse(small)
      )
    })
  })
})
