import type { CliIO } from '../io'
import { presets } from '../../sim'

/** `reclaim-lab presets [--sources]`: one line per preset (name, description); sources on request. */
export async function presetsCommand(args: string[], io: CliIO): Promise<number> {
  const withSources = args.includes('--sources')
  const bad = args.find((a) => a !== '--sources')
  if (bad) {
    io.stderr(`reclaim-lab presets: unknown argument ${bad}\n`)
    return 2
  }
  const w = Math.max(...presets.map((p) => p.name.length))
  for (const p of presets) {
    io.stdout(`${p.name.padEnd(w)}  ${p.description}\n`)
    if (withSources) for (const s of p.sources) io.stdout(`${' '.repeat(w)}    source: ${s}\n`)
  }
  return 0
}
