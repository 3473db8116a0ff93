import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  bzImageVersion,
  debianKernels,
  imageHash,
  resolveImage
} from '../../../src/lab/kernel-run/kernel-image'
import { LabError } from '../../../src/shared/errors'
import { useTempDir } from '../../helpers/tmp'

/** A file with an x86 boot header whose kernel_version points at `version`. */
function fakeBzImage(path: string, version: string): void {
  const b = Buffer.alloc(0x400)
  b.write('HdrS', 0x202, 'latin1')
  b.writeUInt16LE(0x300 - 0x200, 0x20e)
  b.write(`${version}\0`, 0x300, 'latin1')
  writeFileSync(path, b)
}

describe('kernel images', () => {
  const tempDir = useTempDir()

  it('reads the version from the boot header, and nothing from other files', () => {
    const dir = tempDir()
    fakeBzImage(join(dir, 'bzImage'), '6.12.0-v2 (me@box) #3 SMP')
    writeFileSync(join(dir, 'notes.txt'), 'not a kernel')
    expect(bzImageVersion(join(dir, 'bzImage'))).toBe('6.12.0-v2 (me@box) #3 SMP')
    expect(bzImageVersion(join(dir, 'notes.txt'))).toBeNull()
  })

  it("lists Debian's kernels newest first, with their modules folder when there is one", () => {
    const dir = tempDir()
    const [boot, mods] = [join(dir, 'boot'), join(dir, 'modules')]
    mkdirSync(boot)
    mkdirSync(join(mods, '6.1.0-57-amd64'), { recursive: true })
    writeFileSync(join(mods, '6.1.0-57-amd64', 'modules.dep'), '')
    fakeBzImage(join(boot, 'vmlinuz-6.1.0-9-amd64'), '6.1.0-9-amd64 (debian) #1')
    fakeBzImage(join(boot, 'vmlinuz-6.1.0-57-amd64'), '6.1.0-57-amd64 (debian) #1')
    writeFileSync(join(boot, 'config-6.1.0-57-amd64'), '')
    const found = debianKernels(boot, mods)
    expect(found.map((k) => [k.release, k.modulesDir])).toEqual([
      ['6.1.0-57-amd64', join(mods, '6.1.0-57-amd64')],
      ['6.1.0-9-amd64', null]
    ])
    expect(resolveImage({ kind: 'debian' }, boot, mods).release).toBe('6.1.0-57-amd64')
    expect(resolveImage({ kind: 'debian', release: '6.1.0-9-amd64' }, boot, mods).path).toBe(
      join(boot, 'vmlinuz-6.1.0-9-amd64')
    )
  })

  it('refuses, by name, what cannot be booted', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'notes.txt'), 'not a kernel')
    const message = (f: () => unknown): string => {
      try {
        f()
      } catch (err) {
        expect(err).toBeInstanceOf(LabError)
        return (err as LabError).message
      }
      return 'not refused'
    }
    expect(message(() => resolveImage({ kind: 'debian' }, join(dir, 'none')))).toMatch(
      /No Debian kernel in .*apt-get install linux-image-amd64/
    )
    expect(message(() => resolveImage({ kind: 'file', path: 'bzImage' }))).toMatch(/full path/)
    expect(message(() => resolveImage({ kind: 'file', path: join(dir, 'nope') }))).toMatch(
      /no such file/
    )
    expect(message(() => resolveImage({ kind: 'file', path: dir }))).toMatch(/is not a file/)
    expect(message(() => resolveImage({ kind: 'file', path: join(dir, 'notes.txt') }))).toMatch(
      /notes.txt: is not an x86 Linux bzImage/
    )
  })

  it('hashes the image', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'k'), 'abc')
    expect(await imageHash(join(dir, 'k'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    )
  })
})
