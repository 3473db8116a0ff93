import { createHash } from 'node:crypto'
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs'
import { createReadStream } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { LabError } from '../../shared/errors'
import type { KernelImage, KernelImageChoice } from '../../shared/kernel-run'

/**
 * The version string a bzImage carries in its setup header (Documentation/arch/x86/boot.rst:
 * "HdrS" at 0x202, the offset of `kernel_version` less 0x200 at 0x20e), e.g.
 * "6.1.0-57-amd64 (debian-kernel@lists.debian.org) #1 SMP …". Null for anything else.
 */
export function bzImageVersion(path: string): string | null {
  const fd = openSync(path, 'r')
  try {
    const head = Buffer.alloc(0x210)
    if (readSync(fd, head, 0, head.length, 0) < head.length) return null
    if (head.toString('latin1', 0x202, 0x206) !== 'HdrS') return null
    const at = head.readUInt16LE(0x20e) + 0x200
    const text = Buffer.alloc(256)
    const n = readSync(fd, text, 0, text.length, at)
    const end = text.indexOf(0)
    return text.toString('latin1', 0, end < 0 ? n : end).trim() || null
  } finally {
    closeSync(fd)
  }
}

/** The release (what `uname -r` will say) is the version string's first word. */
export function releaseOf(version: string): string {
  return version.split(/\s+/)[0]
}

/** Debian's packaged kernels: /boot/vmlinuz-RELEASE, newest release first. */
export function debianKernels(boot = '/boot', modulesRoot = '/lib/modules'): KernelImage[] {
  if (!existsSync(boot)) return []
  return readdirSync(boot)
    .filter((f) => f.startsWith('vmlinuz-'))
    .map((f) => describe(join(boot, f), modulesRoot))
    .filter((k): k is KernelImage => k !== null)
    .sort((a, b) => b.release.localeCompare(a.release, 'en', { numeric: true }))
}

function describe(path: string, modulesRoot: string): KernelImage | null {
  let version: string | null
  try {
    version = bzImageVersion(path)
  } catch {
    return null
  }
  if (!version) return null
  const release = releaseOf(version)
  const modules = join(modulesRoot, release)
  return {
    path,
    version,
    release,
    modulesDir: existsSync(join(modules, 'modules.dep')) ? modules : null
  }
}

/** The image a run boots: Debian's newest (or a named release), or a bzImage file by path. */
export function resolveImage(
  choice: KernelImageChoice,
  boot = '/boot',
  modulesRoot = '/lib/modules'
): KernelImage {
  if (choice.kind === 'debian') {
    const all = debianKernels(boot, modulesRoot)
    if (!all.length)
      throw new LabError(
        'invalid',
        `No Debian kernel in ${boot}: install one (apt-get install linux-image-amd64) or give a bzImage file.`,
        [{ path: 'image', message: 'no /boot/vmlinuz-* found' }]
      )
    if (!choice.release) return all[0]
    const found = all.find((k) => k.release === choice.release)
    if (!found)
      throw new LabError(
        'invalid',
        `No Debian kernel ${choice.release} in ${boot} (found: ${all.map((k) => k.release).join(', ')}).`,
        [{ path: 'image.release', message: 'not installed' }]
      )
    return found
  }
  const path = choice.path
  const bad = (message: string): LabError =>
    new LabError('invalid', `Kernel image ${path}: ${message}`, [{ path: 'image.path', message }])
  if (!isAbsolute(path)) throw bad('give the full path of the bzImage on this computer')
  let stat
  try {
    stat = statSync(path, { throwIfNoEntry: false })
  } catch (err) {
    throw bad(`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`)
  }
  if (!stat) throw bad('there is no such file')
  if (!stat.isFile()) throw bad('is not a file (a bzImage is arch/x86/boot/bzImage of a build)')
  const image = describe(path, modulesRoot)
  if (!image) throw bad('is not an x86 Linux bzImage (no "HdrS" boot header)')
  return image
}

/** sha256 of the image file, as stored with each run. */
export async function imageHash(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}
