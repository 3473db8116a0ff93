import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, constants, openSync, readFileSync } from 'node:fs'
import type { Accelerator } from '../../shared/kernel-run'

/** The name the guest's init looks for among the virtio ports. */
export const SAMPLES_PORT = 'reclaim-lab.samples'

export interface QemuSetup {
  qemu: string
  accel: Accelerator
  memMb: number
  cpus: number
  kernel: string
  initrd: string
  /** Guest parameters for the kernel command line. */
  parameters: string[]
  /** Files the samples arrive in: the virtio port, or the second serial port as a fallback. */
  portFile: string
  serialFile: string
}

/** qemu's arguments: no firmware extras, the console on stdio, both sample channels. */
export function qemuArgs(s: QemuSetup): string[] {
  return [
    ...(s.accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg']),
    ['-m', `${s.memMb}M`],
    ['-smp', String(s.cpus)],
    '-nodefaults',
    ['-display', 'none'],
    '-no-reboot',
    ['-kernel', s.kernel],
    ['-initrd', s.initrd],
    ['-append', ['console=ttyS0', 'quiet', 'panic=-1', ...s.parameters].join(' ')],
    ['-serial', 'stdio'],
    ['-serial', `file:${s.serialFile}`],
    ['-device', 'virtio-serial-pci'],
    ['-chardev', `file,id=samples,path=${s.portFile}`],
    ['-device', `virtserialport,chardev=samples,name=${SAMPLES_PORT}`]
  ].flat()
}

/** The command line as a person would type it, stored with the run. */
export function commandLine(qemu: string, args: string[]): string {
  const quote = (a: string): string =>
    /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`
  return [qemu, ...args].map(quote).join(' ')
}

/**
 * Whether /dev/kvm can be opened for reading and writing (what qemu does). Opening it is not
 * enough: a nested guest may accept `-accel kvm` and then never run the kernel, so a run also
 * watches that the guest gets going (see kernel-run.ts).
 */
export function kvmOpenable(device = '/dev/kvm'): { ok: true } | { ok: false; why: string } {
  try {
    closeSync(openSync(device, constants.O_RDWR))
    return { ok: true }
  } catch (err) {
    return { ok: false, why: `${device}: ${(err as NodeJS.ErrnoException).code ?? 'cannot open'}` }
  }
}

/** This boot of the host, to remember KVM's verdict only as long as it can hold. */
export function hostBootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  } catch {
    return 'unknown'
  }
}

export interface Guest {
  child: ChildProcess
  /** Resolves with qemu's exit code (null when killed) and its stderr. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>
}

export function startGuest(qemu: string, args: string[], onConsole: (text: string) => void): Guest {
  const child = spawn(qemu, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', onConsole)
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-8192)
  })
  const exited = new Promise<{
    code: number | null
    signal: NodeJS.Signals | null
    stderr: string
  }>((resolve) => {
    child.on('error', (err) => resolve({ code: -1, signal: null, stderr: err.message }))
    child.on('close', (code, signal) => resolve({ code, signal, stderr }))
  })
  return { child, exited }
}
