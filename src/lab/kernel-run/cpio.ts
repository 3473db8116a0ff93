import { gzipSync } from 'node:zlib'

/** One entry of an initramfs: a directory, a file (with its mode) or a character device. */
export type CpioEntry =
  | { kind: 'dir'; name: string }
  | { kind: 'file'; name: string; data: Buffer; executable?: boolean }
  | { kind: 'char'; name: string; major: number; minor: number }

const S_IFDIR = 0o040000
const S_IFREG = 0o100000
const S_IFCHR = 0o020000

const hex8 = (n: number): string => n.toString(16).padStart(8, '0')
const pad4 = (n: number): Buffer => Buffer.alloc((4 - (n % 4)) % 4)

/**
 * The "newc" cpio archive the kernel unpacks into its rootfs (usr/initramfs_data, see
 * Documentation/driver-api/early-userspace/buffer-format.rst), gzip-compressed. Written here so
 * no host tool (cpio) or root privileges are needed, device nodes included.
 */
export function initramfs(entries: CpioEntry[]): Buffer {
  const parts: Buffer[] = []
  let ino = 1
  const add = (name: string, mode: number, data: Buffer, rdev = [0, 0]): void => {
    const fields = [
      ino++,
      mode,
      0, // uid
      0, // gid
      mode & S_IFDIR ? 2 : 1,
      0, // mtime: a fixed time, so the same inputs give the same archive
      data.length,
      0,
      0,
      rdev[0],
      rdev[1],
      Buffer.byteLength(name) + 1,
      0
    ]
    const header = Buffer.from('070701' + fields.map(hex8).join(''), 'latin1')
    const nameBuf = Buffer.concat([Buffer.from(name), Buffer.alloc(1)])
    parts.push(header, nameBuf, pad4(header.length + nameBuf.length), data, pad4(data.length))
  }
  for (const e of entries) {
    if (e.kind === 'dir') add(e.name, S_IFDIR | 0o755, Buffer.alloc(0))
    else if (e.kind === 'char') add(e.name, S_IFCHR | 0o600, Buffer.alloc(0), [e.major, e.minor])
    else add(e.name, S_IFREG | (e.executable ? 0o755 : 0o644), e.data)
  }
  add('TRAILER!!!', 0, Buffer.alloc(0))
  return gzipSync(Buffer.concat(parts), { level: 1 })
}
