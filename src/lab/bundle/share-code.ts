import { compressToEncodedURIComponent } from 'lz-string'
import { z } from 'zod'
import { LabError } from '../../shared/errors'
import { MAX_SHARE_CODE_CHARS } from '../../shared/schemas'
import { canonicalJson, sha256Hex } from './canonical-json'
import { decompressUriSafe, ExpansionLimitError } from './lz-uri'
import { checkScenario, knownPreset } from './scenario-check'

/**
 * A share code is `rl1-` + lz-string(JSON envelope). The envelope carries the fully resolved
 * scenario rather than a diff from its preset, because presets and defaults may change between
 * versions and the code must mean the same scenario everywhere.
 */
export const SHARE_CODE_VERSION = 1
const PREFIX = `rl${SHARE_CODE_VERSION}-`
const PREFIX_PATTERN = /^rl(\d+)-/
/** compressToEncodedURIComponent's alphabet. */
const PAYLOAD_PATTERN = /^[A-Za-z0-9+\-$]+$/
/**
 * The most JSON a code may expand to, checked while decompressing. A scenario with its prose at
 * the schema's limits is about 10,000 characters; a trace workload of 200,000 characters already
 * fills a code of MAX_SHARE_CODE_CHARS, so only a highly repetitive one comes near this.
 */
export const MAX_SHARE_JSON_CHARS = 500_000

export interface SharedScenario {
  scenario: unknown
  preset: string | null
}

interface EnvelopeBody {
  v: number
  preset: string | null
  scenario: unknown
}

const envelopeSchema = z.object({
  v: z.number(),
  preset: z.string().max(100).nullable(),
  scenario: z.unknown(),
  sum: z.string()
})

/**
 * 32 bits of sha256 over the envelope: a changed character that still decompresses to JSON (it
 * happens) is caught here rather than silently giving another scenario.
 */
export function envelopeChecksum(body: EnvelopeBody): string {
  return sha256Hex(canonicalJson(body)).slice(0, 8)
}

export function encodeShareCode(input: SharedScenario): string {
  const scenario = checkScenario(input.scenario, 'This scenario cannot be shared')
  const body: EnvelopeBody = { v: SHARE_CODE_VERSION, preset: input.preset, scenario }
  // Refused before checksumming and compressing: lz-string takes seconds per megabyte.
  const size = JSON.stringify(body).length
  if (size > MAX_SHARE_JSON_CHARS) {
    const limit = count(MAX_SHARE_JSON_CHARS)
    throw tooLarge(`it is ${count(size)} characters as JSON; a share code holds ${limit}`)
  }
  const json = JSON.stringify({ ...body, sum: envelopeChecksum(body) })
  const code = PREFIX + compressToEncodedURIComponent(json)
  if (code.length > MAX_SHARE_CODE_CHARS) {
    const limit = count(MAX_SHARE_CODE_CHARS)
    throw tooLarge(`its code would be ${count(code.length)} characters; at most ${limit} import`)
  }
  return code
}

function tooLarge(reason: string): LabError {
  return new LabError(
    'invalid',
    `This scenario is too large for a share code: ${reason}. Export the experiment instead.`,
    [{ path: 'scenario', message: 'too large for a share code' }]
  )
}

/** The scenario comes back validated and fully resolved; whitespace from wrapped pastes is ignored. */
export function decodeShareCode(code: string): SharedScenario {
  const compact = code.replace(/\s+/g, '')
  const prefix = PREFIX_PATTERN.exec(compact)
  if (!prefix) {
    throw new LabError(
      'invalid',
      `This is not a Reclaim Lab share code (share codes start with "${PREFIX}").`
    )
  }
  if (Number(prefix[1]) !== SHARE_CODE_VERSION) throw unknownVersion(prefix[1])
  const envelope = readEnvelope(compact.slice(prefix[0].length))
  if (envelope.v !== SHARE_CODE_VERSION) throw unknownVersion(String(envelope.v))
  const { sum, ...body } = envelope
  if (sum !== envelopeChecksum(body)) {
    throw damaged('its checksum does not match its content (a character was changed or lost)')
  }
  const scenario = checkScenario(
    body.scenario,
    'This share code holds a scenario this simulator refuses'
  )
  return { scenario, preset: knownPreset(body.preset) }
}

function readEnvelope(payload: string): z.output<typeof envelopeSchema> {
  if (!payload) throw damaged('nothing follows the prefix')
  if (!PAYLOAD_PATTERN.test(payload)) {
    throw damaged('it holds characters a share code never contains')
  }
  let json: unknown
  try {
    json = JSON.parse(decompressUriSafe(payload, MAX_SHARE_JSON_CHARS) ?? '')
  } catch (err) {
    if (err instanceof ExpansionLimitError) {
      throw new LabError(
        'invalid',
        `This share code expands to more than ${count(err.limit)} characters, ` +
          'more than any scenario needs; it was not opened.'
      )
    }
    throw damaged('it does not decompress to a scenario')
  }
  const envelope = envelopeSchema.safeParse(json)
  if (!envelope.success) throw damaged('it decompresses to something other than a scenario')
  return envelope.data
}

function damaged(reason: string): LabError {
  return new LabError(
    'invalid',
    `This share code is damaged or incomplete: ${reason}. Copy the whole code again.`
  )
}

function unknownVersion(version: string): LabError {
  return new LabError(
    'invalid',
    Number(version) > SHARE_CODE_VERSION
      ? `This share code was made by a newer Reclaim Lab (format ${version}); update to open it.`
      : `This share code claims format ${version}, which no Reclaim Lab writes.`
  )
}

function count(n: number): string {
  return n.toLocaleString('en-US')
}
