import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync
} from 'node:fs'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { LabError } from '../../shared/errors'
import { packageRoot } from '../paths'
import { initramfs, type CpioEntry } from './cpio'
import type { HostTools } from './host-tools'
import { guestModules } from './modules'

const run = promisify(execFile)

/** The guest's programs: [name in /bin, source file under the package root]. */
const PROGRAMS: Array<[string, string]> = [
  ['sampler', 'src/lab/kernel-run/guest/sampler.c'],
  ['eater', 'scripts/twin/eater.c'],
  ['hog', 'scripts/twin/hog.c']
]
const INIT = 'src/lab/kernel-run/guest/init'

/**
 * The initramfs for a kernel (its modules, when it has a modules folder): busybox, init, the
 * sampler, the eater and hog compiled statically. Built at first use and kept in `cacheDir` under
 * a name that hashes everything it is made of, so a changed source or module rebuilds it.
 */
export async function guestInitramfs(
  tools: HostTools,
  modulesDir: string | null,
  cacheDir: string,
  root = packageRoot()
): Promise<string> {
  // Read through fs (works inside app.asar too); gcc is given copies in a plain folder.
  const sources = PROGRAMS.map(([name, file]) => [name, readFileSync(join(root, file))] as const)
  const init = readFileSync(join(root, INIT))
  const busybox = statSync(tools.busybox)
  const key = createHash('sha256')
  for (const [name, text] of sources) key.update(name).update(text)
  key.update(init).update(`${tools.busybox}:${busybox.size}:${busybox.mtimeMs}`)
  if (modulesDir) {
    const dep = join(modulesDir, 'modules.dep')
    key.update(`${modulesDir}:${existsSync(dep) ? statSync(dep).mtimeMs : 0}`)
  }
  const file = join(cacheDir, `initramfs-${key.digest('hex').slice(0, 16)}.cpio.gz`)
  if (existsSync(file)) return file

  mkdirSync(cacheDir, { recursive: true, mode: 0o700 })
  const work = mkdtempSync(join(cacheDir, 'build-'))
  try {
    const entries: CpioEntry[] = ['bin', 'dev', 'proc', 'sys', 'lib', 'lib/modules'].map(
      (name) => ({ kind: 'dir', name })
    )
    entries.push({ kind: 'char', name: 'dev/console', major: 5, minor: 1 })
    entries.push({ kind: 'file', name: 'init', data: init, executable: true })
    entries.push({
      kind: 'file',
      name: 'bin/busybox',
      data: readFileSync(tools.busybox),
      executable: true
    })
    for (const [name, text] of sources) {
      const src = join(work, `${name}.c`)
      writeFileSync(src, text)
      await compile(tools.gcc, src, join(work, name))
      entries.push({
        kind: 'file',
        name: `bin/${name}`,
        data: readFileSync(join(work, name)),
        executable: true
      })
    }
    const modules = modulesDir ? guestModules(modulesDir) : []
    for (const [name, data] of modules)
      entries.push({ kind: 'file', name: `lib/modules/${name}`, data })
    if (modules.length)
      entries.push({
        kind: 'file',
        name: 'lib/modules/load-order',
        data: Buffer.from(modules.map(([name]) => name).join('\n') + '\n')
      })
    const partial = join(work, 'initramfs.cpio.gz')
    writeFileSync(partial, initramfs(entries))
    renameSync(partial, file)
    return file
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

async function compile(gcc: string, src: string, out: string): Promise<void> {
  try {
    await run(gcc, ['-static', '-O2', '-pthread', '-o', out, src], { timeout: 120_000 })
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? '').trim()
    const hint = /cannot find -lc\b/.test(stderr) ? ' (install libc6-dev)' : ''
    throw new LabError(
      'internal',
      `Compiling the guest program ${src} failed${hint}: ${stderr.split('\n').slice(-3).join(' ')}`
    )
  }
}
