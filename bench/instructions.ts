/**
 * `npm run bench:instr [-- --only NAME] [-- --variant V] [-- --duration S]`: machine instructions
 * per run of a preset, counted by valgrind's callgrind. The count repeats to about 0.1% on a busy
 * or noisy machine, where wall time moves by ±30% between processes, so engine changes worth a few
 * percent can be compared. The runner is bundled with esbuild and counted twice, with one and
 * with three runs after the same warm-up; half the difference is one warm run, without start-up
 * and compilation. Instructions are not time (a cache miss costs more than its count): confirm a
 * gain with `npm run bench`. Defaults: twin-eater-512m (reclaim and compression from the first
 * second on, 0.5 GiB: about 2 minutes), baseline, the preset's duration. Needs valgrind. A
 * benchmark, not a test.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const args = process.argv.slice(2)
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : dflt
}
const preset = opt('only', 'twin-eater-512m')
const variant = opt('variant', 'baseline')
const duration = opt('duration', '')

if (spawnSync('valgrind', ['--version']).status !== 0) {
  console.error('bench:instr needs valgrind (Debian: apt-get install valgrind)')
  process.exit(2)
}
const dir = mkdtempSync(join(tmpdir(), 'reclaim-instr-'))
const bundle = join(dir, 'runner.mjs')
execFileSync(
  join(__dirname, '..', 'node_modules', '.bin', 'esbuild'),
  [
    join(__dirname, 'instructions-runner.ts'),
    '--bundle',
    '--platform=node',
    '--format=esm',
    `--outfile=${bundle}`,
    '--log-level=warning'
  ],
  { stdio: 'inherit' }
)

/** Instructions callgrind counts for the runner doing `runs` runs after its warm-up. */
function count(runs: number): number {
  const r = spawnSync(
    'valgrind',
    [
      '--tool=callgrind',
      '--callgrind-out-file=/dev/null',
      // V8 writes the code it compiles: valgrind must see the new instructions.
      '--smc-check=all-non-file',
      process.execPath,
      // No background compiler or GC threads: the same work on the same thread every time.
      '--single-threaded',
      bundle
    ],
    {
      env: {
        ...process.env,
        PRESET: preset,
        VARIANT: variant,
        DURATION: duration,
        RUNS: String(runs)
      },
      encoding: 'utf8'
    }
  )
  const m = /Collected : (\d+)/.exec(r.stderr)
  if (r.status !== 0 || !m) throw new Error(`callgrind failed (exit ${r.status}):\n${r.stderr}`)
  return Number(m[1])
}

try {
  const one = count(1)
  const three = count(3)
  const perRun = (three - one) / 2
  const g = (x: number) => (x / 1e9).toFixed(3)
  console.log(
    `${preset} ${variant}${duration ? ` ${duration} s` : ''}: ${g(perRun)} G instructions per warm run ` +
      `(process with 1 run ${g(one)} G, with 3 runs ${g(three)} G)`
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
