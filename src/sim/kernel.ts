import type { Arena } from './arena'
import type { Engine } from './des/engine'
import type { Streams } from './des/prng'
import type { Scheduler } from './cpu/scheduler'
import type { Pages } from './mm/page'
import type { Pgdat } from './mm/mmzone'
import type { Mapping } from './mm/mapping'
import type { SwapInfo } from './mm/swap'
import type { Zram } from './mm/zram'
import type { Zswap } from './mm/zswap'
import type { WriteoutPath } from './mm/writeout'
import type { CompAlgorithm } from './mm/compress'
import type { Vmstat } from './metrics/vmstat'
import type { Psi } from './metrics/psi'
import type { Histogram } from './metrics/histogram'
import type { Tracer } from './metrics/trace'
import type { Scenario } from '../shared/scenario/schema'
import type { Proc } from './proc'
import type { BlockDevice } from './mm/blkdev'
import type { FolioList } from './mm/folio_list'

export interface Costs {
  isolate_ns: number
  folio_referenced_ns: number
  add_to_swap_ns: number
  try_to_unmap_ns: number
  remove_mapping_ns: number
  putback_ns: number
  lru_gen_walk_pte_ns: number
  zero_check_ns: number
  zs_malloc_ns: number
  fault_anon_ns: number
  fault_swapin_ns: number
  fault_file_ns: number
  exit_per_page_ns: number
  exit_swap_entry_ns: number
  tlb_flush_ipi_ns: number
  tlb_flush_irq_ns: number
  comp_scale: Record<CompAlgorithm, number>
  decomp_scale: Record<CompAlgorithm, number>
}

/** Everything the model's functions share: the simulated machine (a `struct pglist_data` world). */
export interface Kernel {
  /** The run's large arrays, recycled for the next run once it has finished (src/sim/arena.ts). */
  arena: Arena
  env: Engine
  sched: Scheduler
  rng: Streams
  scenario: Scenario
  pages: Pages
  pgdats: Pgdat[]
  totalram_pages: number
  vmstat: Vmstat
  swappiness: number
  /** MGLRU (kernel.lru_gen.enabled): the lruvecs' generation lists replace the classic ones. */
  lru_gen: boolean
  swap: SwapInfo | null
  zram: Zram | null
  zswap: Zswap | null
  disk: BlockDevice | null
  writeout: WriteoutPath
  costs: Costs
  mappings: Mapping[]
  procs: Proc[]
  psi: Psi
  hist: { alloc: Histogram; direct_reclaim: Histogram; launch: Histogram }
  tracer: Tracer | null
  warnings: string[]
  /** Fault batch (zone_batchsize of node 0's zone). */
  batch: number
  /** Scratch: CPU work accumulated by the current non-yielding step (reference ns). */
  acc: number
  /** anon_vma locks a writer holds or waits for: rmap walks may fail their trylock. */
  anon_vma_writers: number
  /** Processes in exit_mmap() (mm/exit.ts exit_mm()); 0 spares reclaim the per-folio check. */
  nr_exiting_mm: number
  /** Scratch: page frames returned by the last allocation. */
  allocBuf: Int32Array
  /**
   * Reusable buffers: batches for reclaim passes (a pass holds one across its CPU burst), and
   * zap_range()'s folio batches and LRU counts per node (mm/exit.ts; zero between calls).
   */
  scratch: {
    lists: Int32Array[]
    arrays: FolioList[]
    zap: { lru_freed: Int32Array; batches: Int32Array; nr_batch: Int32Array }
  }
  /** Folios under writeback (the writeback half of NR_ZONE_WRITE_PENDING). */
  writeback_pending: number
  /** Dirty file pages waiting for the flusher. */
  dirtyQueue: number[]
  flusher_wait: { wake(): void } | null
  counters: {
    launches: number
    cold_launches: number
    kills_lmkd: number
    kills_oom: number
    zero_pages_out: number
    eater_alloc_ns: number
    eater_total_ns: number
    /**
     * When the eater's passes end, before it exits (the twin's peak): its CPU time, resident pages
     * and swap entries, kswapd's scanned and stolen pages, and zram's sizes.
     */
    eater_cpu_ns: number
    eater_stime_ns: number
    eater_peak_rss: number
    eater_peak_swapents: number
    peak_pgscan_kswapd: number
    peak_pgsteal_kswapd: number
    peak_zram_orig: number
    peak_zram_compr: number
    peak_zram_mem_used: number
    jobs_done: number
    trace_late_ns: number
    tlb_remote_flushes: number
  }
}
