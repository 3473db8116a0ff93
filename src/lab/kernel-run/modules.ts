import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { LabError } from '../../shared/errors'

/**
 * Modules a kernel run may need when they are not built in: zram and its allocator, every
 * compressor zram offers, and the virtio console the samples travel over.
 */
export const WANTED_MODULES = [
  'zram',
  'lz4',
  'lzo',
  'lzo-rle',
  'zstd',
  'virtio_pci',
  'virtio_console'
]

/** A module's name as modules.dep spells its file: `-` and `_` are the same to the kernel. */
const norm = (name: string): string => name.replace(/-/g, '_')

function moduleName(file: string): string {
  return norm(basename(file).replace(/\.ko(\.(xz|zst|gz))?$/, ''))
}

/**
 * The wanted modules (those that exist as modules: built-in ones are not in modules.dep) with
 * their dependencies, in an order insmod can load them: each after what it depends on.
 */
export function loadOrder(modulesDep: string, wanted: string[] = WANTED_MODULES): string[] {
  const deps = new Map<string, string[]>()
  const byName = new Map<string, string>()
  for (const line of modulesDep.split('\n')) {
    const colon = line.indexOf(':')
    if (colon < 0) continue
    const file = line.slice(0, colon).trim()
    deps.set(
      file,
      line
        .slice(colon + 1)
        .trim()
        .split(/\s+/)
        .filter(Boolean)
    )
    byName.set(moduleName(file), file)
  }
  const order: string[] = []
  const seen = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    for (const d of deps.get(file) ?? []) visit(d)
    order.push(file)
  }
  for (const name of wanted) {
    const file = byName.get(norm(name))
    if (file) visit(file)
  }
  return order
}

/**
 * A module file as insmod takes it: busybox's insmod reads plain .ko only, so compressed ones
 * (.ko.xz, .ko.zst, .ko.gz: Debian compresses them from 6.x on) are unpacked here.
 */
export function moduleBytes(path: string): Buffer {
  const tool = path.endsWith('.xz')
    ? ['xz', 'xz-utils']
    : path.endsWith('.zst')
      ? ['zstd', 'zstd']
      : path.endsWith('.gz')
        ? ['gzip', 'gzip']
        : null
  if (!tool) return readFileSync(path)
  try {
    return execFileSync(tool[0], ['-dc', path], { maxBuffer: 256 << 20 })
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT'
    throw new LabError(
      'invalid',
      missing
        ? `Unpacking the kernel module ${path} needs ${tool[0]} (apt-get install ${tool[1]}).`
        : `Cannot unpack the kernel module ${path}: ${(err as Error).message}`
    )
  }
}

/** The modules of `modulesDir` a guest loads: [file name in the initramfs, bytes], in load order. */
export function guestModules(modulesDir: string): Array<[string, Buffer]> {
  const dep = join(modulesDir, 'modules.dep')
  if (!existsSync(dep)) return []
  return loadOrder(readFileSync(dep, 'utf8')).map((file) => [
    `${moduleName(file)}.ko`,
    moduleBytes(join(modulesDir, file))
  ])
}
