/**
 * Mechanism notes for docs/validation.md, one per comparison id. They explain the model's figures
 * (read from a 10-seed `npm run validate`); re-read them when the figures move.
 */
export const MECHANISMS: Record<string, string> = {
  'memory-eater': [
    'Direction reproduced, size smaller. With v1, kswapd only scans, unmaps and queues (no lz4, no',
    'zs_malloc); four kcompressd threads compress on cores the eater leaves idle. First-fit dispatch',
    'fills kcompressd:0 (5,461 entries), then :1, :2, :3: the depth reaches 4 × 5,461 and ~59k',
    'folios find all four fifos full and are compressed by kswapd itself. Each queued folio is',
    'rotated to the inactive tail when written and freed by the next scan (a second scan per',
    'folio: `kcompressd_rescanned_done` ≈ queued). The eater then faults at ~840k pages/s and the',
    'reclaim rate while it runs rises ~53% (155k → 239k/s), allocstall falls ~36%. The whole-run',
    '`pgsteal_anon_per_s` barely moves (+1%): the amount swapped out is set by memory sizes, only its',
    'speed changes, so the comparison uses pgsteal_anon per second of the eater. Why less than',
    '300k → 800k (+167%; "+260%" in the cover letter): v1 offloads kswapd only, and in the model',
    'direct reclaim (which still compresses inline) does about a third of the reclaim; the',
    "reported test's page content, core speeds and pinned frequencies are unpublished ([Q-0310]",
    'says only "fixed"), and its 300k/s baseline implies ~3.3 µs per page for everything',
    "(kernel-reference §3), i.e. cheaper reclaim than the model's typical-anon lz4 pages."
  ].join(' '),
  'phone-appswitch': [
    'Reproduced for v1 with one thread (−43% over 10 seeds; reported −50%+; the CI reaches +4), not for',
    'v2 (+32%, CI includes 0). In this preset nearly all stalls happen in the first fill (about',
    '7–8 s in), when the 28 launches allocate ~1 GB/s and kswapd cannot keep up; in steady',
    'switching kswapd needs ~5% of a CPU and nobody stalls. v1 takes compression off kswapd',
    '(kswapd CPU −67%) and completion rotates each written folio to the inactive tail, so the next',
    'scan frees it: kswapd frees memory sooner in the burst. v2 returns the folio locked and not under',
    'writeback, so it goes back to the inactive head and is freed only when the scan reaches it',
    'again, a full LRU cycle later (kernel-reference §1.4.1 item 8); during the burst the memory it',
    'queued stays allocated, kswapd scans more (+15% CPU) and allocators stall more. Check of the',
    "mechanism (seeds 1–5, 15 s, not a default): v2 with `variant.folio=writeback` (v1's completion",
    'semantics) gives 145 stalls vs baseline 196 and v2 295, the same as v1 with one thread (145),',
    'and v1 with a 256-entry queue also gives 145: the queue size does not matter here, the folio',
    'semantics do. The reported v2 result may come from devices where kswapd itself is the',
    "bottleneck for longer (the model's app footprints and launch costs are assumed, §5)."
  ].join(' '),
  'single-cpu': [
    'No gain in throughput, as reported; v2 is a clear loss and v1 lowers allocstall. The eater is',
    'rate-limited (150 MiB/s), so it finishes at the same time with v1. v2: each queued folio is',
    'written by kcompressd and stays in RAM as a clean swap-cache copy until the scan reaches it',
    'again; on this 1 GiB zram those copies fill the swap device, get_scan_count() then stops',
    'scanning anon (no free swap → SCAN_FILE), the copies can no longer be freed and the OOM',
    'killer kills the eater (~16.5 s, every seed). v1: the rate-limited eater leaves the CPU idle',
    'most of the time; during its 1 MiB bursts the eater, kswapd and kcompressd share the one CPU',
    'fairly, so reclaim gets two thirds of it instead of half and fewer allocations reach the min',
    'watermark (allocstall −58%). On a saturated single CPU the same share would be taken from the',
    'application; this preset does not saturate it, so Andrew Morton\'s "small net loss" appears as',
    "v2's loss, not as v1's."
  ].join(' '),
  'server-zswap-build': [
    'Reproduced: the build completes the same number of jobs (−0.03%, CI ±0.3 jobs). Reclaim is',
    'light (~250 anon pages/s), kcompressd uses ~0.5% of a CPU, and the server has idle cores for',
    "either kswapd or kcompressd; zswap compression is a small part of the build's time. allocstall",
    'varies widely between seeds (CI includes 0). Run with PF_MEMALLOC set, as Nhat Pham did.'
  ].join(' '),
  'queue-1-and-proto': [
    'Both reproduced. With a queue of one folio nearly every enqueue finds the queue full and kswapd',
    'compresses synchronously (~301k fallbacks): within 1% of baseline (the few queued folios cost',
    'a second scan each). proto as posted: kcompressd is never woken, the first 256 folios stay',
    'locked for the rest of the run (1 MiB, `kcompressd_stuck_locked` = 256) and every later folio',
    'is compressed by kswapd, so the run matches baseline within 0.05%. A fault on one of the 256',
    'would block for good; the eater never touches them again.'
  ].join(' ')
}
