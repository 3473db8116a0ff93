/**
 * `npm run hash [-- --check FILE] [-- --only PRESET]`: runs every preset × variant × seeds 1 and 2
 * and prints one SHA-256 per run over its result and every series sample. Refactors of the
 * simulator must leave these lines unchanged; `--check FILE` compares with a saved output and
 * exits 1 naming each run that differs.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { VARIANTS, presets, runSimulationSync } from '../src/sim'

const args = process.argv.slice(2)
const checkIdx = args.indexOf('--check')
const checkFile = checkIdx >= 0 ? args[checkIdx + 1] : null
const onlyIdx = args.indexOf('--only')
const only = onlyIdx >= 0 ? args[onlyIdx + 1] : null

function runHash(scenario: unknown, variant: string, seed: number): string {
  const h = createHash('sha256')
  const result = runSimulationSync(
    scenario,
    { samples: (batch) => h.update(JSON.stringify(batch)) },
    { seed, variant }
  )
  h.update(JSON.stringify(result))
  return h.digest('hex').slice(0, 16)
}

const lines: string[] = []
for (const preset of presets.filter((p) => !only || p.name === only)) {
  for (const variant of Object.keys(VARIANTS)) {
    for (const seed of [1, 2]) {
      const line = `${preset.name} ${variant} ${seed} ${runHash(preset.scenario, variant, seed)}`
      lines.push(line)
      console.log(line)
    }
  }
}

if (checkFile) {
  const expected = new Map(
    readFileSync(checkFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.split(' ').slice(0, 3).join(' '), l] as const)
  )
  const differing = lines.filter((l) => expected.get(l.split(' ').slice(0, 3).join(' ')) !== l)
  console.log(
    differing.length
      ? `${differing.length} of ${lines.length} runs differ:`
      : `all ${lines.length} runs identical`
  )
  for (const l of differing) console.log(`  ${l.split(' ').slice(0, 3).join(' ')}`)
  process.exit(differing.length ? 1 : 0)
}
