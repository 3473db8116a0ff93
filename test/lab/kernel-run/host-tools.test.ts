import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findHostTools, isStaticElf } from '../../../src/lab/kernel-run/host-tools'
import { useTempDir } from '../../helpers/tmp'

/** An ELF64 header with one program header of type `ptype` (3 = PT_INTERP: dynamically linked). */
function elf(path: string, ptype: number): void {
  const b = Buffer.alloc(64 + 56)
  b.write('\x7fELF', 0, 'latin1')
  b[4] = 2
  b.writeBigUInt64LE(64n, 0x20)
  b.writeUInt16LE(56, 0x36)
  b.writeUInt16LE(1, 0x38)
  b.writeUInt32LE(ptype, 64)
  writeFileSync(path, b)
  chmodSync(path, 0o755)
}

describe('host tools', () => {
  const tempDir = useTempDir()

  it('tells a static executable from a dynamic one', () => {
    const dir = tempDir()
    elf(join(dir, 'static'), 1)
    elf(join(dir, 'dynamic'), 3)
    expect(isStaticElf(join(dir, 'static'))).toBe(true)
    expect(isStaticElf(join(dir, 'dynamic'))).toBe(false)
  })

  it('names every missing Debian package in one message', () => {
    const dir = tempDir()
    elf(join(dir, 'busybox'), 3)
    const found = findHostTools(dir, [])
    expect(found).toEqual({
      missing: expect.stringContaining(
        'apt-get install -y qemu-system-x86 busybox-static gcc'
      ) as string
    })
    expect((found as { missing: string }).missing).toMatch(/busybox is dynamically linked/)
  })

  it('finds the tools, and asks for libc6-dev when gcc cannot link statically', () => {
    const dir = tempDir()
    elf(join(dir, 'busybox'), 1)
    for (const tool of ['qemu-system-x86_64', 'gcc']) elf(join(dir, tool), 3)
    writeFileSync(join(dir, 'libc.a'), '')
    expect(findHostTools(dir, [join(dir, 'libc.a')])).toEqual({
      qemu: join(dir, 'qemu-system-x86_64'),
      busybox: join(dir, 'busybox'),
      gcc: join(dir, 'gcc')
    })
    expect(findHostTools(dir, [join(dir, 'none.a')])).toEqual({
      missing: expect.stringMatching(/libc6-dev .*apt-get install -y libc6-dev$/) as string
    })
  })
})
