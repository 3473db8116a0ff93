/** Kernel runs: the experiment's scenario on a real kernel booted in qemu, stored as observed runs. */

/** A bootable kernel image on the lab's computer. */
export interface KernelImage {
  path: string
  /** The version string of the image's boot header. */
  version: string
  /** `uname -r` of the kernel, the first word of its version. */
  release: string
  /** /lib/modules/RELEASE when it exists (Debian's zram, zsmalloc, lz4 and virtio are modules). */
  modulesDir: string | null
}

/** What the user picked: Debian's packaged kernel (the newest, or one release), or a file. */
export type KernelImageChoice =
  { kind: 'debian'; release?: string } | { kind: 'file'; path: string }

export type Accelerator = 'kvm' | 'tcg'

/** What the lab's computer offers for kernel runs. */
export interface KernelHost {
  /** One message naming the missing Debian packages; null when everything is there. */
  missing: string | null
  debianKernels: KernelImage[]
  /** KVM's verdict when known: 'kvm' usable, 'tcg' not (with why); null before the first try. */
  accel: { accel: Accelerator; note: string } | null
}

/** Stored with each kernel run's result (`result.kernel`). */
export interface KernelRunInfo {
  /** `uname -r` and `uname -v` as the guest printed them. */
  release: string
  version: string
  image_path: string
  image_sha256: string
  qemu_command: string
  accel: Accelerator
  /** Why that accelerator; TCG's timing is slower and noisier. */
  accel_note: string
  /** How the samples reached the host. */
  transport: 'virtio-serial' | 'serial'
  mem_total_kb: number | null
  mem_free_kb: number | null
  min_free_kbytes: number | null
  /** The scenario the run was derived from, by name. */
  scenario_name: string
  /** Guest uptime when the workload started, and the run's wall time, in seconds. */
  boot_s: number | null
  wall_s: number
}
