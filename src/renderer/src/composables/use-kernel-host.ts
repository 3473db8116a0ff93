import type { KernelHost } from '@shared/kernel-run'
import { ref } from 'vue'
import { call } from '../lab'

/** What the lab's computer offers for kernel runs: missing packages, Debian kernels, KVM or TCG. */
export function useKernelHost() {
  const host = ref<KernelHost | null>(null)
  const error = ref('')
  async function load(): Promise<void> {
    try {
      host.value = await call('kernel:host')
      error.value = ''
    } catch (err) {
      error.value = (err as Error).message
    }
  }
  void load()
  return { host, error, reload: load }
}
