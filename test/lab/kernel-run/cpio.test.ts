import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { initramfs } from '../../../src/lab/kernel-run/cpio'

/** Reads a newc archive back: name, mode, rdev and data of each entry, checking the padding. */
function readNewc(archive: Buffer) {
  const out: Array<{ name: string; mode: number; rdev: number[]; data: Buffer }> = []
  let at = 0
  for (;;) {
    expect(archive.toString('latin1', at, at + 6)).toBe('070701')
    const field = (i: number): number =>
      parseInt(archive.toString('latin1', at + 6 + i * 8, at + 14 + i * 8), 16)
    const [mode, size, rmaj, rmin, namesize] = [field(1), field(6), field(9), field(10), field(11)]
    const nameAt = at + 110
    const name = archive.toString('utf8', nameAt, nameAt + namesize - 1)
    expect(archive[nameAt + namesize - 1]).toBe(0)
    const dataAt = Math.ceil((nameAt + namesize) / 4) * 4
    const data = archive.subarray(dataAt, dataAt + size)
    at = Math.ceil((dataAt + size) / 4) * 4
    if (name === 'TRAILER!!!') return out
    out.push({ name, mode, rdev: [rmaj, rmin], data })
  }
}

describe('initramfs', () => {
  it('writes directories, files and a console device the kernel can unpack', () => {
    const archive = gunzipSync(
      initramfs([
        { kind: 'dir', name: 'bin' },
        { kind: 'char', name: 'dev/console', major: 5, minor: 1 },
        { kind: 'file', name: 'init', data: Buffer.from('#!/bin/sh\n'), executable: true },
        { kind: 'file', name: 'lib/x.ko', data: Buffer.alloc(4099, 7) }
      ])
    )
    const entries = readNewc(archive)
    expect(entries.map((e) => [e.name, e.mode.toString(8)])).toEqual([
      ['bin', '40755'],
      ['dev/console', '20600'],
      ['init', '100755'],
      ['lib/x.ko', '100644']
    ])
    expect(entries[1].rdev).toEqual([5, 1])
    expect(entries[2].data.toString()).toBe('#!/bin/sh\n')
    expect(entries[3].data.length).toBe(4099)
    expect(archive.length % 4).toBe(0)
  })

  it('gives the same archive for the same entries', () => {
    const entries = [{ kind: 'file' as const, name: 'a', data: Buffer.from('x') }]
    expect(initramfs(entries).equals(initramfs(entries))).toBe(true)
  })
})
