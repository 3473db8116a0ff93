import type { ScenarioInput } from '../../shared/scenario/schema'

export interface Preset {
  name: string
  description: string
  /** Where the configuration comes from (docs/kernel-reference.md tags, or `assumed: why`). */
  sources: string[]
  scenario: ScenarioInput
}

/**
 * Flagship phone, 8 GiB (docs/kernel-reference.md §4.1): Dimensity 9400-like 1+3+4 cores, zram at 50% of
 * RAM with lz4, swappiness 100, lmkd in PSI mode with the AOSP defaults (§2.13).
 */
const phone8g = {
  name: 'phone-8g',
  nodes: 1,
  mem_mb_per_node: 8192,
  reserved_mb: 600,
  cpus: [
    { class: 'prime', count: 1, speed: 1.6 },
    { class: 'big', count: 3, speed: 1.3 },
    { class: 'mid', count: 4, speed: 0.8 }
  ],
  swap: { type: 'zram' as const, zram: { disksize_mb: 4096, comp_algorithm: 'lz4' as const } }
}

const PHONE_SOURCES = [
  'kernel-reference §4.1: Dimensity 9400 1+3+4 cores; zram zramsize=50% and lz4 (AOSP fstab/zram.rc); swappiness=100 common on Android',
  'kernel-reference §2.1: watermarks from min_free_kbytes and watermark_scale_factor=10 (kernel defaults)',
  'assumed: reserved_mb 600 (carve-outs: modem, GPU, TEE; typical MemTotal ≈ 7.4 GiB on 8 GiB phones)',
  'assumed: core speeds relative to lzbench i5-4300U: X925 1.6, X4 1.3, A720 0.8 (single-thread performance class)'
]

export const presets: Preset[] = [
  {
    name: 'phone-8g-appswitch',
    description: '8 GiB phone, zram lz4, lmkd PSI: 28 apps opened, then a switch every 4 s',
    sources: [
      ...PHONE_SOURCES,
      'kernel-reference §2.13: lmkd PSI defaults (70 ms some / 700 ms full per 1 s window, thrashing_limit 100, swap_free_low 10%)',
      'assumed: app footprints 150–450 MiB anon + 40–160 MiB file, system 1.5 GiB anon + 600 MiB file, cold launch 300 ms CPU, warm 60 ms (no public launch data, §5)'
    ],
    scenario: {
      name: 'phone-8g-appswitch',
      device: phone8g,
      kernel: { vm: { swappiness: 100 }, lmkd: { enabled: true } },
      workload: {
        type: 'android_app_switch',
        content: { zero_pct: 8, same_pct: 2, incompressible_pct: 3 }
      },
      duration_s: 60
    }
  },
  {
    name: 'memory-eater',
    description:
      "Qun-Wei Lin's test: an anonymous memory eater beyond RAM on an 8 GiB phone, full speed",
    sources: [
      ...PHONE_SOURCES,
      '[Q-0310]: "fixed the CPU and DRAM at a certain frequency", a memory eater creates pressure (pinned frequency = fixed core speeds here)',
      'assumed: eat 9 GiB (beyond RAM, within RAM + zram), typical anon content with 8% zero pages'
    ],
    scenario: {
      name: 'memory-eater',
      device: phone8g,
      kernel: { vm: { swappiness: 100 } },
      workload: { type: 'memory_eater', eat_mb: 9216, rate_mb_s: 0, content: { zero_pct: 8 } },
      duration_s: 20
    }
  },
  {
    name: 'server-zswap-build',
    description:
      'Two-node server with zswap (zstd) in front of an NVMe swap: make -j16 kernel build',
    sources: [
      'kernel-reference §4.2: zswap max_pool_percent 20, accept_threshold_percent 90, shrinker off; zstd common in production',
      "[N-BUILD]: Nhat Pham's zswap kernel-build test (memory-limited build); assumed: 2 × 1.25 GiB nodes stand in for the memory.max limit",
      'assumed: NVMe 80 µs read / 30 µs write latency, 1.5 GB/s; 8 cores at speed 1.2'
    ],
    scenario: {
      name: 'server-zswap-build',
      device: {
        name: 'server-2node',
        nodes: 2,
        mem_mb_per_node: 1280,
        cpus: [{ class: 'server', count: 8, speed: 1.2 }],
        swap: { type: 'zswap', disk: { size_mb: 8192 } }
      },
      kernel: { zswap: { enabled: true, compressor: 'zstd' } },
      workload: { type: 'kernel_build', jobs: 16 },
      duration_s: 60
    }
  },
  {
    name: 'single-cpu',
    description: 'One CPU, 2 GiB, zram lz4: a rate-limited memory eater (offload cannot help here)',
    sources: [
      '[AKPM]: "Presumably a small net loss on single-CPU machines"',
      'kernel-reference §2: kernel defaults (swappiness 60, watermark_scale_factor 10)',
      'assumed: 2 GiB RAM, zram 1 GiB lz4, eater 3 GiB at 150 MiB/s'
    ],
    scenario: {
      name: 'single-cpu',
      device: {
        name: 'single-cpu',
        mem_mb_per_node: 2048,
        cpus: [{ class: 'big', count: 1, speed: 1 }],
        swap: { type: 'zram', zram: { disksize_mb: 1024, comp_algorithm: 'lz4' } }
      },
      workload: { type: 'memory_eater', eat_mb: 2560, rate_mb_s: 150, content: { zero_pct: 8 } },
      duration_s: 30
    }
  },
  {
    name: 'twin-eater-512m',
    description:
      'The real-kernel twin guest (docs/twin.md): Linux 6.12 in qemu (TCG), 491 MiB, 2 CPUs, zram 512 MiB lz4, 640 MiB eater, 64 MiB ws, 2 passes',
    sources: [
      'docs/twin.md: the guest (Linux 6.12.118, tinyconfig + zram/zsmalloc/lz4/lzo/PSI/MGLRU built in) reports MemTotal 503,160 kB, min_free_kbytes 2,825, swappiness 60, 2 vCPUs, one DMA32 zone',
      'docs/twin.md: /proc/meminfo before the eater: MemFree 482,600 kB, Inactive(anon) 2,248 kB (the initramfs in tmpfs: shmem_mb) → kernel_used_mb = 18,312 kB (the kernel, the active tmpfs pages, busybox)',
      'docs/twin.md: eater.c allocates 1 MiB mmap chunks with 1,296 random bytes per page (rest zero), then re-reads the first and rewrites the last 64 MiB twice',
      'docs/twin.md micro-benchmark (pagebench, 4 boots × 3): madvise(MADV_PAGEOUT) reclaims an eater page in 24.0 µs in the guest (add_to_swap, try_to_unmap, lz4 into zram, free), 3,401 reference ns in the model → CPU speed 0.142',
      'docs/twin.md: eater.c fills a page in 0.655 µs (pagebench) and allocates its first 256 MiB, before any reclaim, at 5.98 µs per page (median of 15 boots) → user_ns_per_page 93 and fault_anon_ns 756 reference ns at speed 0.142',
      "docs/twin.md micro-benchmark (tlbbench full, 2 vCPUs, 12 measurements in 4 boots): a whole-TLB flush, the kind reclaim sends (arch_tlbbatch_flush() flushes TLB_FLUSH_ALL), costs a thread doing eater.c's work 48.9 µs in the guest (44.2–51.5) → tlb_flush_irq_ns 6,940 reference ns at speed 0.142",
      'docs/twin.md micro-benchmark (tlbbench, 2 vCPUs, the same boots): the flushing thread waits 38.2 µs per remote flush (its loop with a flush against the same syscalls without one; 34.2–43.3) → tlb_flush_ipi_ns 5,430 reference ns',
      "docs/twin.md micro-benchmark (pagebench zram, 1 vCPU): a zram write of an eater page takes 19.05 µs with lz4, 18.76 with lzo-rle, 58.1 with zstd; less the 5.74 µs that is not lz4's compression (19.05 − the model's 13.31), lzo-rle compresses in 13.02 µs and zstd in 52.4, against the table's 8.57 and 58.0 → comp_scale lzo-rle 1.52, zstd 0.90 (lzo not measured: 1)",
      "docs/twin.md micro-benchmark (pagebench zram, 1 vCPU, 9 boots): reading an eater page back takes 1.08 µs longer than a page zram stores whole with lz4, 3.92 with lzo-rle, 1.20 with lzo, 4.80 with zstd (medians of the per-boot differences); the model reads a whole page in 400 reference ns, so decompression should cost 553, 957, 570 and 1,082 reference ns at speed 0.142, against the table's 3,310, 475, 897 and 1,179 → decomp_scale lz4 0.17, lzo-rle 2.01, lzo 0.64, zstd 0.92",
      "docs/twin.md micro-benchmarks (test/validation/twin-exit-cost.txt): an eater with 256 MiB resident and nothing swapped exits in 0.12 s, one with 16 MiB in 0.02 s (medians of 3 boots each) → 1.63 µs a resident page, exit_per_page_ns 231 reference ns at speed 0.142; munmap() of the eater's memory a MiB at a time after its passes takes 1.00 µs more a swap entry than a resident page (median over 9 boots of each boot's all-swapped against all-resident MiBs) → 2.63 µs, exit_swap_entry_ns 374",
      'test/validation/twin-hog2-sched.txt (st_hog4only, two boots): four CPU hogs alone on the two vCPUs, in user code throughout, take turns of two ticks in 148 of 14,293 turns with nothing else run on the vCPU before → lost_tick_pct 1.04',
      'scripts/twin/kernel.config: the guest kernel is built with CONFIG_PREEMPT_VOLUNTARY=y → kernel.preempt voluntary (reclaim and faults are switched out at their cond_resched() or return to user mode)',
      "test/validation/twin-boost-evidence.txt (/proc/pagetypeinfo before the eater, six boots at 2 vCPUs): the Unmovable pageblocks' free chunks at orders 0-9 average 0.5, 0.83, 0.83, 0.33, 0.5, 0.17, 0.17, 0.67, 0.33, 0.5 per boot → unmovable_free_chunks rounded half up [1, 1, 1, 0, 1, 0, 0, 1, 0, 1], 663 pages (19 earlier boots: 678 on average)"
    ],
    scenario: {
      name: 'twin-eater-512m',
      device: {
        name: 'qemu-tcg-491m',
        mem_mb_per_node: 503160 / 1024,
        kernel_used_mb: (503160 - 482600 - 2248) / 1024,
        unmovable_free_chunks: [1, 1, 1, 0, 1, 0, 0, 1, 0, 1],
        shmem_mb: 2248 / 1024,
        lost_tick_pct: 1.04,
        cpus: [{ class: 'tcg', count: 2, speed: 0.142 }],
        swap: { type: 'zram', zram: { disksize_mb: 512, comp_algorithm: 'lz4' } }
      },
      kernel: { preempt: 'voluntary', vm: { swappiness: 60, min_free_kbytes: 2825 } },
      workload: {
        type: 'memory_eater',
        eat_mb: 640,
        rate_mb_s: 0,
        ws_mb: 64,
        passes: 2,
        hold: false,
        user_ns_per_page: 93,
        content: { partial_random_bytes: 1296 }
      },
      costs: {
        fault_anon_ns: 756,
        exit_per_page_ns: 231,
        exit_swap_entry_ns: 374,
        tlb_flush_ipi_ns: 5430,
        tlb_flush_irq_ns: 6940,
        comp_scale: { 'lzo-rle': 1.52, zstd: 0.9 },
        decomp_scale: { lz4: 0.17, 'lzo-rle': 2.01, lzo: 0.64, zstd: 0.92 }
      },
      duration_s: 12
    }
  }
]

export class UnknownPresetError extends Error {}

/** A deep copy of a preset's scenario input. */
export function resolvePreset(name: string): ScenarioInput {
  const p = presets.find((x) => x.name === name)
  if (!p)
    throw new UnknownPresetError(
      `unknown preset '${name}' (available: ${presets.map((x) => x.name).join(', ')})`
    )
  return structuredClone(p.scenario)
}
