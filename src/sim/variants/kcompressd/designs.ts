import type { Scenario } from '../../../shared/scenario/schema'

export type VariantKnobs = Scenario['variant']

/**
 * A kcompressd design, fully resolved: every knob of `scenario.variant` (documented in the
 * scenario schema) set, the scenario's own over the named design's defaults.
 */
export type KcompressdConfig = { [K in keyof VariantKnobs]-?: NonNullable<VariantKnobs[K]> }

/** What happens to a folio handed to kcompressd (kernel-reference §1.9, row "Folio when pageout returns"). */
export type FolioMode = KcompressdConfig['folio']

/** The per-node design as posted; v2 is this with the posted bugs fixed. */
const PER_NODE_PROTO: KcompressdConfig = {
  // [PROTO]: KCOMPRESS_FIFO_SIZE 256 folio pointers, one "kcompressd%d" per node, no wake_up(),
  // folio returned locked (kernel-reference §1.4.1 items 2, 6, 8).
  nr_kcompressd: 1,
  queue_size: 256,
  offload_contexts: 'kswapd',
  backends: 'zram_zswap',
  single_cpu_guard: false,
  nice: 0,
  pf_memalloc: false,
  dispatch: 'per_node',
  full_policy: 'sync_newest',
  folio: 'locked',
  wake: 'never',
  lazy_start: false
}

/** The designs' own defaults, with their sources (kernel-reference.md §1.3–1.7, §1.9). */
/** What the posted prototype does that no knob expresses: said with every proto run. */
const PROTO_WARNINGS: string[] = [
  'proto as posted: kcompressd is created and woken once at boot, finds its fifo empty and sleeps in wait_event_interruptible(); nothing ever calls wake_up() on kcompressd_wait, so it never runs again. The first 256 folios kswapd queues stay locked for good (a fault on one waits forever in folio_lock()), and every later folio is compressed synchronously by kswapd, as in baseline.',
  'proto as posted: swap_sched_async_compress() calls kfifo_in(&fifo, folio, sizeof(folio)), which copies the first 8 bytes of the struct folio itself (its flags word) instead of the pointer to it. If kcompressd ever ran, kfifo_out() would hand zswap_store() a garbage pointer and crash the kernel; the model does not crash, and because the thread is never woken the bug never fires here. v2 fixes it with &folio.',
  'proto as posted: the consumer loop also returns (the thread exits) after its first successful zswap_store(); it never gets that far here. v2 replaces the return with continue.'
]

export interface Design {
  /** One line: who, when, what. */
  description: string
  /** Where the design comes from (docs/kernel-reference.md §0 tags, lore Message-IDs). */
  source: string
  /** Known bugs and gaps of the design as posted, one line each, saying whether the model has them. */
  knownBugs: string[]
  config: KcompressdConfig
  /** End-of-build warnings every run of this design carries. */
  warnings?: string[]
}

export const DESIGNS: Record<string, Design> = {
  v1: {
    source:
      '[V1-2] Qun-Wei Lin, "[PATCH 2/2] kcompressd: Add Kcompressd for accelerated zram compression", linux-mm, 7 Mar 2025 (20250307120141.1566673-3-qun-wei.lin@mediatek.com)',
    knownBugs: [
      'writing nr_kcompressd or queue_size_per_kcompressd always fails and leaves kcompressd off (param_set_int success taken as failure); not modelled, the knobs are set at boot',
      'a larger nr_kcompressd overruns kcompress[] (never reallocated); not modelled'
    ],
    description:
      'kcompressd v1 (Qun-Wei Lin, Mar 2025): 4 global zram-internal threads, first-fit fifos of 5,461 bios, kswapd only; folio under writeback, rotated to the inactive tail on completion',
    config: {
      // [V1-2]: DEFAULT_NR_KCOMPRESSD 4; INIT_QUEUE_SIZE 4096 × 24 B rounded up to 131,072 B by
      // kfifo_alloc → 131072 / 24 = 5,461 entries; first-fit; lazy kthread_run(); PF_MEMALLOC.
      nr_kcompressd: 4,
      queue_size: Math.floor(131072 / 24),
      offload_contexts: 'kswapd',
      backends: 'zram',
      single_cpu_guard: false,
      nice: 0,
      pf_memalloc: true,
      dispatch: 'first_fit',
      full_policy: 'sync_newest',
      folio: 'writeback',
      wake: 'on_enqueue',
      lazy_start: true
    }
  },
  proto: {
    warnings: PROTO_WARNINGS,
    source:
      "[PROTO] Barry Song's diff in the v1 thread, 13 Mar 2025 (20250313093005.13998-1-21cnbao@gmail.com), only build-tested",
    knownBugs: [
      'kcompressd is never woken: 256 folios stay locked for good, then kswapd compresses everything (modelled)',
      'kfifo_in(&fifo, folio, …) queues the folio’s flags word instead of its pointer (would crash; never reached here)',
      'the consumer exits after its first zswap_store() (never reached here)',
      'no PF_MEMALLOC: its pool allocations may direct-reclaim (modelled)'
    ],
    description:
      "Barry Song's per-node prototype as posted (13 Mar 2025): the thread is never woken, so up to 256 folios stay locked for good and everything after is compressed by kswapd",
    config: PER_NODE_PROTO
  },
  v2: {
    source:
      '[V2] Qun-Wei Lin, "[PATCH] mm: Add Kcompressd for accelerated memory compression", 30 Apr 2025 (20250430082651.3152444-1-qun-wei.lin@mediatek.com)',
    knownBugs: [
      'no PF_MEMALLOC: its pool allocations may direct-reclaim, as Nhat Pham saw in a zswap kernel build [N-BUILD] (modelled)',
      'a full fifo makes kswapd compress the newest folio ahead of the queued ones (out of order; modelled)'
    ],
    description:
      'kcompressd v2 (30 Apr 2025): one thread per node, 256-entry fifo, woken on every enqueue, kswapd + anon only; folio locked, freed when the scan reaches it again; no PF_MEMALLOC',
    // [V2]: the prototype with kfifo_in(&folio), wake_up_interruptible() and `continue` fixed;
    // full → the new folio is compressed by kswapd; PF_MEMALLOC still missing (§1.5).
    // folio 'locked' (no rotation on completion): Linux 6.12 mm/vmscan.c pageout() clears
    // PG_reclaim for a folio not under writeback, mm/filemap.c folio_end_writeback() rotates only
    // with PG_reclaim (thread.ts, kcompressd_complete()).
    config: { ...PER_NODE_PROTO, wake: 'on_enqueue' }
  },
  zram_async: {
    source:
      "[M-0312] Minchan Kim's proposal in the v1 thread, 12 Mar 2025 (Z9HOavSkFf01K9xh@google.com): a design, no patch",
    knownBugs: [
      'no patch was posted: 4 workers and v1’s 5,461-entry queues are assumptions of the model'
    ],
    description:
      "Minchan Kim's alternative: zram writes become asynchronous; 4 workers compress bios from every reclaim context; folio under writeback, rotated on completion (as v1)",
    config: {
      // [M-0312]: "multiple threads to compress batched pages", any context; writeback as v1 (§1.6).
      // assumed: 4 workers and v1's 5,461-entry queues (the mail gives no numbers); round-robin
      // (blk-mq spreads submissions); a full queue = the submitter compresses (as long as a tag wait).
      nr_kcompressd: 4,
      queue_size: Math.floor(131072 / 24),
      offload_contexts: 'all',
      backends: 'zram',
      single_cpu_guard: false,
      nice: 0,
      pf_memalloc: true,
      dispatch: 'round_robin',
      full_policy: 'sync_newest',
      folio: 'writeback',
      wake: 'on_enqueue',
      lazy_start: false
    }
  },
  unofficial: {
    source:
      '[UNOFF] Masahito Suzuki, Kcompressd-Unofficial 0.5, Jul 2025 (github.com/firelzrd/kcompressd-unofficial, patch for 6.15.5)',
    knownBugs: [],
    description:
      'Kcompressd-Unofficial 0.5: v2 with a lock, PF_MEMALLOC, and depth vm.kcompressd = 24; when full, kswapd writes out the oldest queued folio, then enqueues',
    config: {
      // [UNOFF]: sysctl vm.kcompressd default 24 (max 256), PF_MEMALLOC | PF_KSWAPD, oldest-first.
      nr_kcompressd: 1,
      queue_size: 24,
      offload_contexts: 'kswapd',
      backends: 'zram_zswap',
      single_cpu_guard: false,
      nice: 0,
      pf_memalloc: true,
      dispatch: 'per_node',
      full_policy: 'sync_oldest',
      folio: 'locked',
      wake: 'on_enqueue',
      lazy_start: false
    }
  }
}

/** `custom` starts from v2 (the fixed per-node design); every knob of `scenario.variant` applies. */
DESIGNS.custom = {
  description: 'any combination of the variant knobs, starting from the v2 defaults',
  source: "this notebook: the scenario's variant knobs over v2",
  knownBugs: [],
  config: { ...DESIGNS.v2.config }
}

/** The named design's defaults overridden by the knobs the scenario sets (non-null). */
export function resolveConfig(name: string, knobs?: VariantKnobs): KcompressdConfig {
  const cfg: KcompressdConfig = { ...DESIGNS[name].config }
  if (!knobs) return cfg
  for (const key of Object.keys(cfg) as (keyof KcompressdConfig)[]) {
    const val = knobs[key]
    if (val !== null && val !== undefined) (cfg as Record<typeof key, unknown>)[key] = val
  }
  return cfg
}
