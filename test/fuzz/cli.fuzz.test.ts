import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/index'
import type { CliIO } from '../../src/cli/io'
import { UsageError } from '../../src/cli/io'
import { parseRunOptions } from '../../src/cli/commands/run-options'
import { planRuns } from '../../src/cli/commands/run-plan'
import { ScenarioError, TraceParseError, UnknownPresetError } from '../../src/sim'
import { edgeStrings } from '../helpers/zod-arbitrary'

const SEED = Number(process.env.FUZZ_SEED ?? 20261204)
const RUNS = Number(process.env.FUZZ_RUNS ?? 100)

const dir = mkdtempSync(join(tmpdir(), 'reclaim-lab-cli-fuzz-'))
const scenarioFile = join(dir, 'scenario.json')
writeFileSync(scenarioFile, JSON.stringify({ workload: { type: 'memory_eater' }, duration_s: 1 }))
const notJson = join(dir, 'bad.json')
writeFileSync(notJson, '{"workload": ')

/** Internal failures that must never reach a user as the CLI's answer. */
const INTERNAL =
  /TypeError|RangeError|ReferenceError|Cannot read properties|is not a function|Maximum call stack/

const FLAGS = [
  '--preset',
  '--scenario',
  '--set',
  '--variant',
  '--seeds',
  '--sweep',
  '--shard',
  '--format',
  '--out',
  '--trace-out',
  '--db',
  '--experiment',
  '--title',
  '--groups',
  '--baseline',
  '--warmup',
  '--intervals',
  '--port',
  '--bogus'
]

const values = fc.oneof(
  fc.constantFrom(
    'single-cpu',
    'memory-eater',
    'nope',
    scenarioFile,
    notJson,
    join(dir, 'missing', 'x.json'),
    'baseline,v1',
    'v9',
    '1-3',
    '0',
    '9007199254740993',
    '1-1000000000000000000',
    'kernel.vm.swappiness=0,100',
    '__proto__.polluted=1',
    'constructor.prototype.x=1',
    'swappiness=1e400',
    'duration_s=-1',
    'sample_interval_ms=0',
    '2/8',
    '0/0',
    '9/3',
    'table',
    'json',
    'xml',
    '1',
    '-5',
    'NaN'
  ),
  edgeStrings,
  fc.string({ maxLength: 20 })
)

const argv = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...FLAGS), values).map(([f, v]) => [f, v]) },
      {
        weight: 1,
        arbitrary: fc.tuple(fc.constantFrom(...FLAGS), values).map(([f, v]) => [`${f}=${v}`])
      },
      { weight: 1, arbitrary: values.map((v) => [v]) }
    ),
    { maxLength: 6 }
  )
  .map((parts) => parts.flat())

function capture(): CliIO & { err: string } {
  const io = {
    err: '',
    stdout: () => undefined,
    stderr: (s: string) => {
      io.err += s
    },
    writeFile: () => undefined
  }
  return io
}

describe('fuzz: the CLI argument parsers', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('run: every argument list is planned or refused with a usage or scenario error', () => {
    fc.assert(
      fc.property(argv, (args) => {
        const t0 = performance.now()
        try {
          const options = parseRunOptions(args)
          planRuns(options.scenario, options.spec, options.shard)
        } catch (err) {
          const known =
            err instanceof UsageError ||
            err instanceof ScenarioError ||
            err instanceof UnknownPresetError ||
            err instanceof TraceParseError
          expect(known, String(err)).toBe(true)
          expect((err as Error).message).not.toMatch(INTERNAL)
        }
        expect(performance.now() - t0).toBeLessThan(5000)
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        expect(({} as Record<string, unknown>).x).toBeUndefined()
      }),
      { seed: SEED, numRuns: RUNS * 3 }
    )
  }, 120_000)

  it('compare, presets and unknown commands end with an exit code and a plain message', async () => {
    const command = fc.constantFrom('compare', 'presets', 'help', 'nope', '')
    await fc.assert(
      fc.asyncProperty(command, argv, async (name, args) => {
        const io = capture()
        const code = await main(
          [name, ...args].filter((a, i) => i > 0 || a !== ''),
          io
        )
        expect([0, 1, 2]).toContain(code)
        expect(io.err).not.toMatch(INTERNAL)
      }),
      { seed: SEED, numRuns: RUNS }
    )
  }, 120_000)
})
