import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LabError } from '../../shared/errors'
import type { Accelerator, KernelImage, KernelRunInfo } from '../../shared/kernel-run'
import type { AccelPolicy } from './accel'
import { GuestConsole } from './console'
import { guestParameters, type GuestPlan } from './guest-plan'
import type { HostTools } from './host-tools'
import { guestInitramfs } from './initramfs'
import { kernelObserved, type KernelObserved } from './kernel-result'
import { commandLine, qemuArgs, startGuest } from './qemu'
import { splitSamples } from './sample-stream'

/** A guest under KVM prints its first line within seconds; one that has not by then never will. */
export const KVM_START_S = 20

export interface KernelRunInput {
  tools: HostTools
  image: KernelImage
  imageSha256: string
  /** Where the guest's initramfs is built and kept. */
  cacheDir: string
  plan: GuestPlan
  scenarioName: string
  accel: AccelPolicy
  /** The run's time limit, boot included. */
  timeoutS: number
  signal: AbortSignal
  onProgress: (fraction: number, guestS: number) => void
}

export type KernelRunOutcome =
  | { ok: true; observed: KernelObserved; console: string; wallMs: number }
  | { ok: false; cancelled: boolean; error: string; console: string; wallMs: number }

/** Boots the kernel once with the plan's guest and turns what it sent into an observed run. */
export async function runKernel(input: KernelRunInput): Promise<KernelRunOutcome> {
  const t0 = performance.now()
  const initrd = await guestInitramfs(input.tools, input.image.modulesDir, input.cacheDir)
  const work = mkdtempSync(join(tmpdir(), 'reclaim-lab-kernel-'))
  try {
    let choice = input.accel.choose()
    for (;;) {
      const boot = await bootOnce(input, initrd, choice.accel, choice.probing, work)
      if (boot.kind === 'kvm-stuck') {
        input.accel.kvmFailed(`no output from the guest within ${KVM_START_S} s under -accel kvm`)
        choice = input.accel.choose()
        continue
      }
      if (choice.probing) input.accel.kvmWorks()
      return finish(input, boot, choice.note, performance.now() - t0)
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

interface Boot {
  kind: 'ended' | 'timeout' | 'cancelled' | 'kvm-stuck'
  console: GuestConsole
  stream: string
  command: string
  accel: Accelerator
  exit: { code: number | null; stderr: string }
}

async function bootOnce(
  input: KernelRunInput,
  initrd: string,
  accel: Accelerator,
  probing: boolean,
  work: string
): Promise<Boot> {
  const portFile = join(work, `samples-${accel}.txt`)
  const serialFile = join(work, `serial-${accel}.txt`)
  const args = qemuArgs({
    qemu: input.tools.qemu,
    accel,
    memMb: input.plan.memMb,
    cpus: input.plan.cpus,
    kernel: input.image.path,
    initrd,
    parameters: guestParameters(input.plan),
    portFile,
    serialFile
  })
  const durationS = input.plan.durationMs / 1000
  const guestConsole = new GuestConsole((s) => {
    if (s.startedAt === null) return
    input.onProgress(0.05 + (0.95 * Math.min(s.sampledS, durationS)) / durationS, s.sampledS)
  })
  const guest = startGuest(input.tools.qemu, args, (text) => guestConsole.write(text))
  let kind: Boot['kind'] = 'ended'
  const stop = (why: Boot['kind']): void => {
    if (kind === 'ended') kind = why
    guest.child.kill('SIGKILL')
  }
  const limit = setTimeout(() => stop('timeout'), input.timeoutS * 1000)
  const probe = probing
    ? setTimeout(() => {
        if (guestConsole.state.release === null) stop('kvm-stuck')
      }, KVM_START_S * 1000)
    : undefined
  const onAbort = (): void => stop('cancelled')
  if (input.signal.aborted) onAbort()
  input.signal.addEventListener('abort', onAbort)
  const exit = await guest.exited
  clearTimeout(limit)
  clearTimeout(probe)
  input.signal.removeEventListener('abort', onAbort)
  const transport = guestConsole.state.transport
  const from = transport === 'serial' ? serialFile : portFile
  return {
    kind,
    console: guestConsole,
    stream: existsSync(from) ? readFileSync(from, 'latin1') : '',
    command: commandLine(input.tools.qemu, args),
    accel,
    exit
  }
}

function finish(
  input: KernelRunInput,
  boot: Boot,
  accelNote: string,
  wallMs: number
): KernelRunOutcome {
  const s = boot.console.state
  const failed = (error: string, cancelled = false): KernelRunOutcome => ({
    ok: false,
    cancelled,
    error,
    console: boot.console.tail,
    wallMs
  })
  if (boot.kind === 'cancelled') return failed('Cancelled.', true)
  if (s.error) return failed(`The guest could not run the scenario: ${s.error}`)
  if (s.panic) return failed(`The kernel panicked: ${s.panic}${s.oom ? ` (after "${s.oom}")` : ''}`)
  if (boot.kind === 'timeout')
    return failed(
      `The run passed its time limit of ${input.timeoutS} s ` +
        (s.startedAt === null
          ? 'before the workload started: the kernel hung while booting, or did not reach init.'
          : `at ${s.sampledS} s of ${input.plan.durationMs / 1000} s: the kernel hung, or the run needs a longer limit.`)
    )
  const stream = splitSamples(boot.stream)
  if (!stream.complete || !s.done) {
    const how =
      boot.exit.code === 0
        ? 'the guest powered off'
        : `qemu ended with code ${boot.exit.code}${boot.exit.stderr.trim() ? `: ${boot.exit.stderr.trim().split('\n').slice(-2).join(' ')}` : ''}`
    const where =
      s.release === null
        ? 'before its init started (is this a bzImage for x86-64 with an initramfs, serial console and ELF support?)'
        : `after ${s.sampledS} s of the workload`
    return failed(`The run ended early: ${how} ${where}.`)
  }
  if (!s.eaterStarted)
    return failed('The eater did not start in the guest (see the console for why).')
  if (stream.samples.length < 2)
    return failed(
      'The guest sent fewer than two samples: the duration is shorter than the interval.'
    )
  const info: KernelRunInfo = {
    release: s.release ?? input.image.release,
    version: s.version ?? '',
    image_path: input.image.path,
    image_sha256: input.imageSha256,
    qemu_command: boot.command,
    accel: boot.accel,
    accel_note: accelNote,
    transport: s.transport ?? 'virtio-serial',
    mem_total_kb: s.memTotalKb,
    mem_free_kb: s.memFreeKb,
    min_free_kbytes: s.minFreeKbytes,
    scenario_name: input.scenarioName,
    boot_s: s.startedAt,
    wall_s: Math.round(wallMs) / 1000
  }
  const notes = [...input.plan.notes]
  const memTotalMb = (info.mem_total_kb ?? 0) / 1024
  if (memTotalMb && Math.abs(memTotalMb / input.plan.scenarioMemMb - 1) > 0.02)
    notes.push(
      `The guest's MemTotal is ${memTotalMb.toFixed(1)} MiB against the scenario's ` +
        `${input.plan.scenarioMemMb.toFixed(1)} MiB (qemu -m ${input.plan.memMb}M): the kernel keeps ` +
        'the difference for itself (its image, memmap, reserved ranges), which the model puts in device.reserved_mb.'
    )
  if (info.transport === 'serial')
    notes.push('This kernel has no virtio console: the samples came over the second serial port.')
  try {
    return {
      ok: true,
      observed: kernelObserved(stream.samples, info, notes),
      console: boot.console.tail,
      wallMs
    }
  } catch (err) {
    return failed(
      `The guest's samples could not be read: ${err instanceof LabError || err instanceof Error ? err.message : String(err)}`
    )
  }
}
