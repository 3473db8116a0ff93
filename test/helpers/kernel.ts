import { findHostTools } from '../../src/lab/kernel-run/host-tools'
import { debianKernels } from '../../src/lab/kernel-run/kernel-image'

/**
 * Why kernel runs cannot boot here (missing packages, no Debian kernel in /boot), or null. .ci/run
 * installs qemu-system-x86, busybox-static, gcc and linux-image-amd64 and sets
 * RECLAIM_LAB_REQUIRE_KERNEL=1, so there these tests fail rather than skip.
 */
export function kernelRunsUnavailable(): string | null {
  const tools = findHostTools()
  if ('missing' in tools) return tools.missing
  if (!debianKernels().length)
    return 'no Debian kernel in /boot (apt-get install linux-image-amd64)'
  return null
}

export const kernelSkip = (() => {
  const why = kernelRunsUnavailable()
  if (!why || process.env.RECLAIM_LAB_REQUIRE_KERNEL) return false
  console.warn(`kernel-run tests skipped: ${why}`)
  return true
})()

/**
 * The twin preset cut down to one short boot: a 256 MiB guest (qemu -m 256), 300 MiB eaten, 6 s
 * sampled. Under TCG a run takes about 15 s of wall time.
 */
export const SHORT_TWIN_SETS = [
  'device.mem_mb_per_node=256',
  'device.swap.zram.disksize_mb=256',
  'workload.eat_mb=300',
  'workload.ws_mb=32',
  'workload.passes=1',
  'duration_s=6'
]
