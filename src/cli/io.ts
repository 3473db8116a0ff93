import { writeFileSync } from 'node:fs'

/** The CLI's only contact with the outside world, so commands can be tested with a capture. */
export interface CliIO {
  stdout(s: string): void
  stderr(s: string): void
  writeFile(path: string, data: string): void
}

export const processIO: CliIO = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  writeFile: (path, data) => writeFileSync(path, data)
}

/** Thrown for a bad invocation: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {}
