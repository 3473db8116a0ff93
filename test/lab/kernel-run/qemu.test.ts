import { describe, expect, it } from 'vitest'
import { AccelPolicy } from '../../../src/lab/kernel-run/accel'
import { commandLine, kvmOpenable, qemuArgs } from '../../../src/lab/kernel-run/qemu'
import { useTempDir } from '../../helpers/tmp'

const setup = {
  qemu: '/usr/bin/qemu-system-x86_64',
  memMb: 256,
  cpus: 2,
  kernel: '/boot/vmlinuz-6.1.0-57-amd64',
  initrd: '/cache/initramfs.cpio.gz',
  parameters: ['rl_swap=zram', 'rl_zsize=256'],
  portFile: '/tmp/samples.txt',
  serialFile: '/tmp/serial.txt'
}

describe('qemu', () => {
  it('boots the kernel with the guest parameters, the console on stdio and both sample channels', () => {
    const args = qemuArgs({ ...setup, accel: 'tcg' })
    expect(args.slice(0, 6)).toEqual(['-accel', 'tcg', '-m', '256M', '-smp', '2'])
    expect(args[args.indexOf('-append') + 1]).toBe(
      'console=ttyS0 quiet panic=-1 rl_swap=zram rl_zsize=256'
    )
    expect(args).toContain('file:/tmp/serial.txt')
    expect(args).toContain('virtserialport,chardev=samples,name=reclaim-lab.samples')
    expect(qemuArgs({ ...setup, accel: 'kvm' }).slice(0, 4)).toEqual([
      '-accel',
      'kvm',
      '-cpu',
      'host'
    ])
  })

  it('writes a command line a shell takes back', () => {
    expect(commandLine('/usr/bin/qemu', ['-append', "a b 'c'", '-m', '256M'])).toBe(
      `/usr/bin/qemu -append 'a b '\\''c'\\''' -m 256M`
    )
  })
})

describe('AccelPolicy', () => {
  const tempDir = useTempDir()

  it('uses TCG, saying why, when /dev/kvm cannot be opened', () => {
    const policy = new AccelPolicy(tempDir(), null, '/nonexistent/kvm')
    expect(kvmOpenable('/nonexistent/kvm')).toEqual({ ok: false, why: '/nonexistent/kvm: ENOENT' })
    expect(policy.choose()).toMatchObject({ accel: 'tcg', probing: false })
    expect(policy.choose().note).toMatch(/KVM is not usable \(\/nonexistent\/kvm: ENOENT\).*slower/)
  })

  it('tries KVM once and keeps the verdict for this boot of the host', () => {
    const dir = tempDir()
    const policy = new AccelPolicy(dir, null, '/dev/null')
    expect(policy.choose()).toMatchObject({ accel: 'kvm', probing: true })
    policy.kvmFailed('no output within 20 s')
    expect(policy.choose()).toMatchObject({ accel: 'tcg', probing: false })
    const later = new AccelPolicy(dir, null, '/dev/null')
    expect(later.known()?.note).toMatch(/^TCG, because KVM did not work here \(no output/)
  })

  it('takes a forced accelerator as it is', () => {
    expect(new AccelPolicy(tempDir(), 'tcg').choose()).toMatchObject({
      accel: 'tcg',
      probing: false
    })
  })
})
