import { LabError } from '../shared/errors'
import { serveUsage } from './commands/usage'
import { processIO, UsageError, type CliIO } from './io'

const USAGE = `Usage:
  reclaim-lab presets
  reclaim-lab run (--preset NAME | --scenario FILE) [--set key=value …] [--variant A,B …] [--seeds 1-10]
                  [--sweep knob=v1,v2,… (up to two)] [--shard i/n] [--format table|json|csv] [--out FILE]
                  [--trace-out FILE] [--db PATH (--experiment ID | --title TEXT)]
  reclaim-lab compare --db PATH --experiment ID [--groups A,B …] [--baseline GROUP] [--warmup SECONDS]
                      [--intervals] [--spread] [--format md|tex|csv] [--out FILE]
  ${serveUsage}
  reclaim-lab worker --redis URL [--concurrency N] [--queue NAME] [--lock-seconds S]
  reclaim-lab import-results FILE… --db PATH --experiment ID
  reclaim-lab kernel-run --db PATH --experiment ID --label TEXT [--kernel debian|debian:RELEASE|BZIMAGE]
                         [--runs N] [--timeout SECONDS] [--accel kvm|tcg]
`

type Command = (args: string[], io: CliIO) => Promise<number>

// Loaded on demand so `serve` does not load the simulator and `run` does not load the server.
const COMMANDS: Record<string, () => Promise<Command>> = {
  presets: async () => (await import('./commands/presets')).presetsCommand,
  run: async () => (await import('./commands/run')).runCommand,
  compare: async () => (await import('./commands/compare')).compareCommand,
  serve: async () => (await import('./commands/serve')).serveCommand,
  worker: async () => (await import('./commands/worker')).workerCommand,
  'import-results': async () => (await import('./commands/import-results')).importResultsCommand,
  'kernel-run': async () => (await import('./commands/kernel-run')).kernelRunCommand
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(USAGE)
    return 0
  }
  const load = COMMANDS[name]
  if (!load) {
    io.stderr(`reclaim-lab: unknown command ${name}\n${USAGE}`)
    return 2
  }
  try {
    const command = await load()
    return await command(rest, io)
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`reclaim-lab ${name}: ${err.message}\n`)
      return 2
    }
    io.stderr(
      `reclaim-lab ${name}: ${err instanceof LabError || err instanceof Error ? err.message : String(err)}\n`
    )
    return 1
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
