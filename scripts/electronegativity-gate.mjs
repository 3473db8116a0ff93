// Runs Electronegativity over src/ and fails on any HIGH or MEDIUM finding. The tool itself exits 0
// whatever it finds, so its CSV report is parsed here.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Papa from 'papaparse'

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
// Cells may hold quoted line breaks (some checks list several fixes), so the report is parsed as
// CSV rather than split into lines.
const rows = Papa.parse(text.trim(), { skipEmptyLines: true }).data.slice(1)
const findings = rows.map(([issue, severity, confidence, file, location]) => ({
  issue,
  severity: severity ?? '?',
  confidence,
  file,
  location
}))
// Anything but LOW or INFORMATIONAL blocks, a row the parser could not read included.
const blocking = findings.filter((f) => f.severity !== 'LOW' && f.severity !== 'INFORMATIONAL')
for (const f of findings) {
  console.log(`${f.severity.padEnd(13)} ${f.issue} ${f.file}:${f.location} (${f.confidence})`)
}
console.log(
  `electronegativity: ${findings.length} findings, ${blocking.length} blocking (HIGH, MEDIUM or unreadable; Electron ${electronVersion})`
)
process.exit(blocking.length ? 1 : 0)
