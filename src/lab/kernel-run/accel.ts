import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Accelerator } from '../../shared/kernel-run'
import { hostBootId, kvmOpenable } from './qemu'

export interface AccelChoice {
  accel: Accelerator
  note: string
  /** KVM not yet seen to run a guest on this host boot: the run watches that it does. */
  probing: boolean
}

const TCG_TIMING =
  'TCG emulates the CPU in software: the guest runs several times slower than on KVM and its ' +
  'timing (allocation time, the kswapd/direct split) is noisier; the counters are the real ' +
  'kernel\u2019s decisions, its time is emulated time.'

/**
 * Which accelerator runs use: KVM when /dev/kvm opens and a guest has been seen to run under it,
 * TCG otherwise. The verdict is kept for this boot of the host (a file in the cache folder), so
 * only the first run after a reboot pays for finding out that KVM hangs.
 */
export class AccelPolicy {
  private verdict: { accel: Accelerator; note: string } | null = null
  private readonly file: string

  constructor(
    private readonly cacheDir: string,
    private readonly forced: Accelerator | null = null,
    private readonly device = '/dev/kvm'
  ) {
    this.file = join(cacheDir, `accel-${hostBootId()}.json`)
    try {
      const saved = JSON.parse(readFileSync(this.file, 'utf8')) as AccelPolicy['verdict']
      if (saved && (saved.accel === 'kvm' || saved.accel === 'tcg')) this.verdict = saved
    } catch {
      // No verdict yet for this boot of the host.
    }
  }

  /** What is known without booting anything; null while KVM is untried. */
  known(): { accel: Accelerator; note: string } | null {
    if (this.forced) return this.forcedChoice()
    return this.verdict ?? this.unusable()
  }

  choose(): AccelChoice {
    if (this.forced) return { ...this.forcedChoice(), probing: false }
    const known = this.verdict ?? this.unusable()
    if (known) return { ...known, probing: false }
    return { accel: 'kvm', note: 'KVM: /dev/kvm is usable.', probing: true }
  }

  /** A guest ran under KVM. */
  kvmWorks(): void {
    this.save({ accel: 'kvm', note: 'KVM: /dev/kvm is usable.' })
  }

  /** A guest did not get going under KVM: this host's runs use TCG from now on. */
  kvmFailed(why: string): void {
    this.save({ accel: 'tcg', note: `TCG, because KVM did not work here (${why}). ${TCG_TIMING}` })
  }

  private forcedChoice(): { accel: Accelerator; note: string } {
    return this.forced === 'kvm'
      ? { accel: 'kvm', note: 'KVM, as asked.' }
      : { accel: 'tcg', note: `TCG, as asked. ${TCG_TIMING}` }
  }

  private unusable(): { accel: Accelerator; note: string } | null {
    const open = kvmOpenable(this.device)
    if (open.ok) return null
    return { accel: 'tcg', note: `TCG, because KVM is not usable (${open.why}). ${TCG_TIMING}` }
  }

  private save(verdict: { accel: Accelerator; note: string }): void {
    this.verdict = verdict
    try {
      mkdirSync(this.cacheDir, { recursive: true, mode: 0o700 })
      writeFileSync(this.file, JSON.stringify(verdict))
    } catch {
      // Kept in memory; the next process finds out again.
    }
  }
}
