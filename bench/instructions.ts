/**
 * `npm run bench:instr [-- --only NAME] [-- --variant V] [-- --duration S] [-- --functions N]
 * [-- --node-flags "FLAGS"]`: machine instructions
 * per run of a preset, counted by valgrind's callgrind. Each process's count repeats to about 0.5%
 * on a busy or noisy machine, where wall time moves by ±30% between processes; the warm run, a
 * tenth of it, to about 3%, so compare several processes for changes of a few percent. The runner is bundled with esbuild and counted twice, with one and
 * with three runs after the same warm-up; half the difference is one warm run, without start-up
 * and compilation. Instructions are not time (a cache miss costs more than its count): confirm a
 * gain with `npm run bench`. `--functions N` also prints the N functions with the most
 * instructions of their own in a warm run, JavaScript ones named from V8's perf map (with
 * `--node-flags --max-inlined-bytecode-size=0`, each function's own, nothing inlined). Defaults: twin-eater-512m (reclaim and compression from the first
 * second on, 0.5 GiB: about 2 minutes), baseline, the preset's duration. Needs valgrind. A
 * benchmark, not a test.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { selfByFunction } from './callgrind'

const args = process.argv.slice(2)
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : dflt
}
const preset = opt('only', 'twin-eater-512m')
const variant = opt('variant', 'baseline')
const duration = opt('duration', '')
const functions = Number(opt('functions', '0'))
/** `--node-flags "…"`: V8 options for the counted process (e.g. --max-inlined-bytecode-size=0). */
const nodeFlags = opt('node-flags', '').split(' ').filter(Boolean)

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

interface Count {
  total: number
  /** With --functions: instructions per function. */
  byFunction: Map<string, number> | null
}

/** Instructions callgrind counts for the runner doing `runs` runs after its warm-up. */
function count(runs: number): Count {
  const out = functions > 0 ? join(dir, `callgrind-${runs}.out`) : '/dev/null'
  const r = spawnSync(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${out}`,
      ...(functions > 0 ? ['--dump-instr=yes'] : []),
      // V8 writes the code it compiles: valgrind must see the new instructions.
      '--smc-check=all-non-file',
      process.execPath,
      // No background compiler or GC threads: the same work on the same thread every time.
      '--single-threaded',
      ...(functions > 0 ? ['--perf-basic-prof'] : []),
      ...nodeFlags,
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
  if (functions <= 0) return { total: Number(m[1]), byFunction: null }
  const perfMap = `/tmp/perf-${r.pid}.map`
  try {
    return { total: Number(m[1]), byFunction: selfByFunction(out, perfMap) }
  } finally {
    rmSync(perfMap, { force: true })
  }
}

/** "JS:*shrink_folio_list file:///…/runner.mjs:11685:27" → "shrink_folio_list" (JS) */
function shortName(name: string): string {
  const js = /^JS:[*~^+-]?(\S*)/.exec(name)
  if (js) return `${js[1] || '(anonymous)'} (JS)`
  return name.length > 90 ? `${name.slice(0, 87)}...` : name
}

try {
  const one = count(1)
  const three = count(3)
  const perRun = (three.total - one.total) / 2
  const g = (x: number) => (x / 1e9).toFixed(3)
  console.log(
    `${preset} ${variant}${duration ? ` ${duration} s` : ''}: ${g(perRun)} G instructions per warm run ` +
      `(process with 1 run ${g(one.total)} G, with 3 runs ${g(three.total)} G)`
  )
  if (one.byFunction && three.byFunction) {
    // The two processes differ by two warm runs: per function, half the difference is one run's.
    const diff = new Map<string, number>()
    for (const [name, n] of three.byFunction) {
      const key = shortName(name)
      diff.set(key, (diff.get(key) ?? 0) + n / 2)
    }
    for (const [name, n] of one.byFunction) {
      const key = shortName(name)
      diff.set(key, (diff.get(key) ?? 0) - n / 2)
    }
    const top = [...diff].sort((a, b) => b[1] - a[1]).slice(0, functions)
    for (const [name, n] of top)
      console.log(
        `${((100 * n) / perRun).toFixed(1).padStart(5)}%  ${(n / 1e6).toFixed(1).padStart(8)} M  ${name}`
      )
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
