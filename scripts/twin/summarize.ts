/**
 * Reads the twin's serial logs (scripts/twin/run.sh) and writes one record per boot: the vmstat
 * deltas across the eater, its allocation time, kswapd's and the eater's CPU and run-queue wait
 * (schedstat), PSI totals and zram's mm_stat at the eater's peak; with the eater's own /proc/vmstat
 * dump, the scan counters to its peak too (`*_to_peak`).
 * usage: tsx scripts/twin/summarize.ts OUT.json LOG...   (LOG named SERIES_CONFIG_N.log)
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'

type Counters = Record<string, number>

/** The /proc/vmstat counters kept (deltas across the eater). */
const VMSTAT_KEPT = [
  'allocstall_movable',
  'allocstall_normal',
  'pgscan_kswapd',
  'pgscan_direct',
  'pgsteal_kswapd',
  'pgsteal_direct',
  'pgscan_anon',
  'pgsteal_anon',
  'pgscan_direct_throttle',
  'pswpout',
  'pswpin',
  'pageoutrun',
  'kswapd_low_wmark_hit_quickly',
  'kswapd_high_wmark_hit_quickly',
  'workingset_refault_anon',
  'pgmajfault',
  'nr_tlb_remote_flush',
  'nr_tlb_remote_flush_received',
  'nr_tlb_local_flush_one',
  'nr_tlb_local_flush_all'
]

/** Counters also taken to the eater's peak: what reclaim does while the eater exits is the rest. */
const PEAK_KEPT = ['pgscan_anon', 'pgsteal_anon', 'pgscan_kswapd', 'pgsteal_kswapd']

function section(txt: string, name: string): string {
  const start = txt.indexOf(`=== ${name}\n`)
  if (start < 0) return ''
  const body = txt.slice(start + name.length + 5)
  const end = body.indexOf('\n===')
  return end < 0 ? body : body.slice(0, end)
}

function counters(s: string): Counters {
  const c: Counters = {}
  for (const line of s.split('\n')) {
    const [k, v, extra] = line.trim().split(/\s+/)
    if (k && v && extra === undefined && /^-?\d+$/.test(v)) c[k] = Number(v)
  }
  return c
}

function psiTotal(s: string, kind: string): number | undefined {
  const m = new RegExp(`${kind} avg10=\\S+ avg60=\\S+ avg300=\\S+ total=(\\d+)`).exec(s)
  return m ? Number(m[1]) : undefined
}

export function parseTwinLog(txt: string): Counters {
  txt = txt.replace(/\r/g, '')
  const before = counters(section(txt, 'VMSTAT_BEFORE'))
  const after = counters(section(txt, 'VMSTAT_AFTER'))
  const r: Counters = {}
  for (const k of VMSTAT_KEPT) if (k in after) r[k] = after[k] - (before[k] ?? 0)
  // The eater's own dump after its passes, before it exits (eater.c since December 7).
  const peak = counters(section(txt, 'PEAK /proc/vmstat'))
  for (const k of PEAK_KEPT) if (k in peak) r[`${k}_to_peak`] = peak[k] - (before[k] ?? 0)
  const alloc = /EATER alloc_done t=([\d.]+)/.exec(txt)
  if (alloc) r.eater_alloc_s = Number(alloc[1])
  const first = /EATER t=([\d.]+) alloc=256MiB/.exec(txt)
  if (first) r.eater_first_256mib_s = Number(first[1])
  // TLB shootdowns taken by every CPU (/proc/interrupts, init since December 8): a kernel without
  // CONFIG_DEBUG_TLBFLUSH counts the flush IPIs received here.
  const tlb = (s: string) => {
    const m = /TLB:((?:\s+\d+)+)/.exec(s)
    return m
      ? m[1]
          .trim()
          .split(/\s+/)
          .reduce((a, x) => a + Number(x), 0)
      : undefined
  }
  const t0 = tlb(section(txt, 'IPI_BEFORE'))
  const t1 = tlb(section(txt, 'IPI_AFTER'))
  if (t0 !== undefined && t1 !== undefined) r.tlb_shootdowns = t1 - t0
  const k0 = section(txt, 'KSWAPD_BEFORE').trim().split(/\s+/).map(Number)
  const k1 = section(txt, 'KSWAPD_AFTER').trim().split(/\s+/).map(Number)
  if (k0.length >= 2 && k1.length >= 2) {
    r.kswapd_cpu_s = (k1[0] - k0[0]) / 1e9
    r.kswapd_wait_s = (k1[1] - k0[1]) / 1e9
  }
  const e = section(txt, 'PEAK /proc/self/schedstat').trim().split(/\s+/).map(Number)
  if (e.length >= 2) {
    r.eater_cpu_s = e[0] / 1e9
    r.eater_wait_s = e[1] / 1e9
  }
  // utime and stime (fields 14 and 15, counted from the command's closing parenthesis), in
  // USER_HZ ticks
  const pid_stat = section(txt, 'PEAK /proc/self/stat')
  const comm_end = pid_stat.lastIndexOf(') ')
  const stat = pid_stat
    .slice(comm_end + 2)
    .trim()
    .split(/\s+/)
  if (comm_end >= 0 && stat.length > 13) {
    r.eater_utime_s = Number(stat[11]) / 100
    r.eater_sys_s = Number(stat[12]) / 100
  }
  const mm = section(txt, 'PEAK /sys/block/zram0/mm_stat').trim().split(/\s+/).map(Number)
  if (mm.length >= 3) {
    r.zram_orig_mb = mm[0] / 2 ** 20
    r.zram_compr_mb = mm[1] / 2 ** 20
    r.zram_mem_used_mb = mm[2] / 2 ** 20
  }
  for (const kind of ['some', 'full']) {
    const b = psiTotal(section(txt, 'PSI_BEFORE'), kind)
    const a = psiTotal(section(txt, 'PSI_AFTER'), kind)
    if (a !== undefined && b !== undefined) r[`psi_${kind}_s`] = (a - b) / 1e6
  }
  r.allocstall =
    (r.allocstall_dma ?? 0) +
    (r.allocstall_dma32 ?? 0) +
    (r.allocstall_normal ?? 0) +
    (r.allocstall_movable ?? 0)
  return r
}

if (process.argv[1] && process.argv[1].endsWith('summarize.ts')) {
  const [out, ...logs] = process.argv.slice(2)
  const runs = logs.map((f) => {
    const m = /^([^_]+)_(.+)_(\d+)\.log$/.exec(basename(f))
    return {
      config: m ? m[2] : basename(f),
      series: m ? m[1] : '',
      boot: m ? Number(m[3]) : 0,
      ...parseTwinLog(readFileSync(f, 'utf8'))
    }
  })
  writeFileSync(out, JSON.stringify(runs, null, 1) + '\n')
  console.log(`${runs.length} boots → ${out}`)
}
