// Runs Electronegativity over src/ and fails on any HIGH or MEDIUM finding. The tool itself exits 0
// whatever it finds, so its CSV report is parsed here.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const require = createRequire(import.meta.url)
const electronVersion = require('electron/package.json').version
const dir = mkdtempSync(join(tmpdir(), 'electronegativity-'))
const report = join(dir, 'report.csv')

const run = spawnSync(
  'npx',
  [
    '--yes',
    '@doyensec/electronegativity@1.10.3',
    '-i',
    'src',
    '-r',
    '-e',
    electronVersion,
    '-o',
    report
  ],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
)
let text
try {
  text = readFileSync(report, 'utf8')
} catch {
  console.error(`electronegativity produced no report (exit ${run.status}):\n${run.stderr}`)
  process.exit(1)
} finally {
  rmSync(dir, { recursive: true, force: true })
}

/** Splits one CSV line, honouring double quotes. */
function cells(line) {
  const out = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (ch === '"' && line[i + 1] === '"' && quoted) {
      cell += '"'
      i++
    } else if (ch === '"') quoted = !quoted
    else if (ch === ',' && !quoted) {
      out.push(cell.trim())
      cell = ''
    } else cell += ch
  }
  out.push(cell.trim())
  return out
}

const findings = text
  .split('\n')
  .slice(1)
  .filter((line) => line.trim())
  .map((line) => {
    const [issue, severity, confidence, file, location] = cells(line)
    return { issue, severity, confidence, file, location }
  })
const blocking = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM')
for (const f of findings) {
  console.log(`${f.severity.padEnd(13)} ${f.issue} ${f.file}:${f.location} (${f.confidence})`)
}
console.log(
  `electronegativity: ${findings.length} findings, ${blocking.length} HIGH or MEDIUM (Electron ${electronVersion})`
)
process.exit(blocking.length ? 1 : 0)
