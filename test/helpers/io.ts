import type { CliIO } from '../../src/cli/io'

/** A CliIO that keeps everything written, for asserting on exactly what a command printed. */
export function captureIO(): CliIO & { out: string; err: string; files: Map<string, string> } {
  const io = {
    out: '',
    err: '',
    files: new Map<string, string>(),
    stdout: (s: string) => void (io.out += s),
    stderr: (s: string) => void (io.err += s),
    writeFile: (path: string, data: string) => void io.files.set(path, data)
  }
  return io
}
