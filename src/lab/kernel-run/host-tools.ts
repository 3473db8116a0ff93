import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/** Where each host tool is found. */
export interface HostTools {
  qemu: string
  busybox: string
  gcc: string
}

/** The first executable `name` on PATH, or null. */
export function which(name: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue
    const file = join(dir, name)
    const st = statSync(file, { throwIfNoEntry: false })
    if (st?.isFile() && st.mode & 0o111) return file
  }
  return null
}

/**
 * True when an ELF executable has no program interpreter (PT_INTERP): it is statically linked
 * and runs in an initramfs that has no libc.
 */
export function isStaticElf(file: string): boolean {
  const fd = openSync(file, 'r')
  try {
    const h = Buffer.alloc(64)
    readSync(fd, h, 0, 64, 0)
    if (h.toString('latin1', 0, 4) !== '\x7fELF' || h[4] !== 2) return false
    const phoff = Number(h.readBigUInt64LE(0x20))
    const phentsize = h.readUInt16LE(0x36)
    const phnum = h.readUInt16LE(0x38)
    const ph = Buffer.alloc(phentsize * phnum)
    readSync(fd, ph, 0, ph.length, phoff)
    for (let i = 0; i < phnum; i++) if (ph.readUInt32LE(i * phentsize) === 3) return false
    return true
  } finally {
    closeSync(fd)
  }
}

/** Static libc for `gcc -static`: Debian's libc6-dev ships libc.a. */
const LIBC_A = ['/usr/lib/x86_64-linux-gnu/libc.a', '/usr/lib64/libc.a', '/usr/lib/libc.a']

/**
 * The tools a kernel run needs on this computer, or one message naming the Debian packages that
 * bring what is missing.
 */
export function findHostTools(
  path = process.env.PATH ?? '',
  libcCandidates = LIBC_A
): HostTools | { missing: string } {
  const missing: string[] = []
  const qemu = which('qemu-system-x86_64', path)
  if (!qemu) missing.push('qemu-system-x86 (qemu-system-x86_64)')
  const busybox = which('busybox', path)
  if (!busybox || !isStaticElf(busybox))
    missing.push(
      busybox
        ? `busybox-static (${busybox} is dynamically linked and cannot run in the guest)`
        : 'busybox-static (busybox)'
    )
  const gcc = which('gcc', path)
  if (!gcc) missing.push('gcc (to compile the guest programs)')
  else if (!libcCandidates.some((f) => existsSync(f)))
    missing.push('libc6-dev (libc.a, for gcc -static)')
  if (missing.length)
    return {
      missing:
        `Kernel runs need ${missing.length === 1 ? 'a package' : 'packages'} this computer lacks: ` +
        `${missing.join(', ')}. Install with: apt-get install -y ${missing.map((m) => m.split(' ')[0]).join(' ')}`
    }
  return { qemu: qemu!, busybox: busybox!, gcc: gcc! }
}
