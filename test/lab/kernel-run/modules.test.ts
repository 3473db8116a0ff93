import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadOrder, moduleBytes } from '../../../src/lab/kernel-run/modules'
import { useTempDir } from '../../helpers/tmp'

/** Debian 6.1's modules.dep for what a kernel run loads (dependencies listed per module). */
const DEP = `kernel/mm/zsmalloc.ko:
kernel/drivers/virtio/virtio_pci_modern_dev.ko:
kernel/drivers/virtio/virtio_pci_legacy_dev.ko:
kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_pci_legacy_dev.ko kernel/drivers/virtio/virtio_pci_modern_dev.ko kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
kernel/drivers/virtio/virtio.ko: kernel/drivers/virtio/virtio_ring.ko
kernel/drivers/virtio/virtio_ring.ko:
kernel/drivers/char/virtio_console.ko: kernel/drivers/virtio/virtio.ko kernel/drivers/virtio/virtio_ring.ko
kernel/drivers/block/zram/zram.ko.xz: kernel/mm/zsmalloc.ko
kernel/lib/lz4/lz4_compress.ko:
kernel/crypto/lz4.ko: kernel/lib/lz4/lz4_compress.ko
kernel/fs/ext4/ext4.ko: kernel/fs/jbd2/jbd2.ko
`

describe('loadOrder', () => {
  it('puts every module after what it depends on, and leaves out what is not wanted', () => {
    const order = loadOrder(DEP)
    const at = (m: string): number => order.findIndex((f) => f.includes(`/${m}.ko`))
    expect(order.some((f) => f.includes('ext4'))).toBe(false)
    for (const [mod, dep] of [
      ['zram', 'zsmalloc'],
      ['lz4', 'lz4_compress'],
      ['virtio', 'virtio_ring'],
      ['virtio_pci', 'virtio'],
      ['virtio_console', 'virtio'],
      ['virtio_pci', 'virtio_pci_modern_dev']
    ]) {
      expect(at(dep), `${dep} before ${mod}`).toBeGreaterThanOrEqual(0)
      expect(at(dep)).toBeLessThan(at(mod))
    }
    expect(new Set(order).size).toBe(order.length)
  })

  it('finds a module whatever its dashes (lzo-rle is lzo_rle.ko)', () => {
    expect(loadOrder('kernel/crypto/lzo_rle.ko:\n', ['lzo-rle'])).toEqual([
      'kernel/crypto/lzo_rle.ko'
    ])
  })
})

describe('moduleBytes', () => {
  const tempDir = useTempDir()
  it('unpacks an .ko.xz for busybox insmod, and reads a plain .ko as it is', () => {
    const dir = tempDir()
    const plain = join(dir, 'm.ko')
    writeFileSync(plain, 'ELF module bytes')
    execFileSync('xz', ['-k', plain])
    expect(moduleBytes(`${plain}.xz`).toString()).toBe('ELF module bytes')
    expect(moduleBytes(plain).toString()).toBe('ELF module bytes')
  })
})
