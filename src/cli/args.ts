import { statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { UsageError } from './io'

export interface ParsedArgs {
  flags: Map<string, string[]>
  positional: string[]
}

/**
 * Parses `--name value`, `--name=value` and boolean `--name` flags. `valued` lists the flags that take
 * a value; anything not in `valued` or `booleans` is refused by name.
 */
export function parseArgs(args: string[], valued: string[], booleans: string[] = []): ParsedArgs {
  const flags = new Map<string, string[]>()
  const positional: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (!arg.startsWith('--')) {
      positional.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    const name = arg.slice(2, eq === -1 ? undefined : eq)
    let value: string
    if (booleans.includes(name) && eq === -1) value = 'true'
    else if (!valued.includes(name)) throw new UsageError(`unknown option --${name}`)
    else if (eq !== -1) value = arg.slice(eq + 1)
    else if (i + 1 < args.length) value = args[++i]
    else throw new UsageError(`--${name} needs a value`)
    flags.set(name, [...(flags.get(name) ?? []), value])
  }
  return { flags, positional }
}

export function lastFlag(parsed: ParsedArgs, name: string): string | undefined {
  return parsed.flags.get(name)?.at(-1)
}

/**
 * An output file's path, checked before any work is done (or stored): its folder must exist and
 * the path must not be a folder.
 */
export function outputFile(parsed: ParsedArgs, name: string): string | undefined {
  const path = lastFlag(parsed, name)
  if (path === undefined) return undefined
  const folder = dirname(resolve(path))
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--${name} ${path}: the folder ${folder} does not exist; create it first`)
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--${name} ${path}: is a folder; name a file in it`)
  return path
}
