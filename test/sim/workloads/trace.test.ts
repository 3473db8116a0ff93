import { describe, expect, it } from 'vitest'
import { parseTrace, runSimulationSync, TraceParseError } from '../../../src/sim'

const base = {
  device: {
    mem_mb_per_node: 128,
    cpus: [{ class: 'big', count: 2, speed: 1 }],
    swap: { type: 'zram', zram: { disksize_mb: 128 } }
  },
  duration_s: 3
}

describe('trace workload format', () => {
  it('parses JSON and CSV into time-ordered events', () => {
    const j = parseTrace(
      '[\n {"t_ms": 5, "pid": 1, "op": "cpu", "ms": 2},\n {"t_ms": 1, "pid": 1, "op": "alloc", "pages": 10}\n]',
      'json'
    )
    expect(j.map((e) => [e.t_ms, e.op, e.line])).toEqual([
      [1, 'alloc', 3],
      [5, 'cpu', 2]
    ])
    const c = parseTrace('t_ms,pid,op,pages\n0,3,alloc,64\n10,3,touch,64\n', 'csv')
    expect(c.map((e) => [e.pid, e.op, e.pages])).toEqual([
      [3, 'alloc', 64],
      [3, 'touch', 64]
    ])
  })
  it.each([
    [
      'json',
      '[\n {"t_ms": 0, "pid": 1, "op": "alloc", "pages": 1},\n {"t_ms": 1, "pid": 1, "op": "jump"}\n]',
      /^line 3: op must be one of/
    ],
    [
      'json',
      '[\n {"t_ms": 0, "pid": 1, "op": "alloc", "pages": 1},\n {"t_ms": 1 "pid": 1}\n]',
      /^line 3: invalid JSON/
    ],
    ['json', '[\n {"t_ms": -1, "pid": 1, "op": "exit"}\n]', /^line 2: t_ms must be ≥ 0/],
    ['csv', 't_ms,pid,op,pages\n0,1,alloc,4\n5,x,touch,4\n', /^line 3: pid must be a number/],
    ['csv', 't_ms,pid,op,pages\n0,1,alloc,0\n', /^line 2: pages must be ≥ 1/],
    ['csv', 't_ms,pid,opp\n', /^line 1: unknown column "opp"/]
  ] as const)('a malformed %s file names the line: %s', (format, text, msg) => {
    expect(() => parseTrace(text, format)).toThrow(TraceParseError)
    expect(() => parseTrace(text, format)).toThrow(msg)
  })
  it('replays: two processes allocate beyond RAM, one touches its pages again, then exits', () => {
    const rows = ['t_ms,pid,op,region,offset_pages,pages,ms']
    for (let i = 0; i < 25; i++) rows.push(`${i * 20},1,alloc,0,${i * 1024},1024,`)
    for (let i = 0; i < 25; i++) rows.push(`${i * 20},2,alloc,0,${i * 1024},1024,`)
    rows.push(
      '1000,1,touch,0,0,8192,',
      '1200,1,cpu,,,,50',
      '1500,2,free,0,0,25600,',
      '1600,1,exit,,,,'
    )
    const r = runSimulationSync({
      ...base,
      workload: { type: 'trace', format: 'csv', text: rows.join('\n') }
    })
    expect(r.vmstat.pswpout).toBeGreaterThan(10000)
    expect(r.vmstat.pswpin).toBeGreaterThan(1000)
    // Everything was freed by free/exit: only the kernel's watermark gap separates free from managed.
    expect(r.vmstat.nr_inactive_anon + r.vmstat.nr_active_anon).toBe(0)
    expect(r.zram!.orig_data_size).toBe(0)
    // So were the page tables: 50 for each process's 25,600 pages, process 2's at its munmap().
    expect(r.vmstat.nr_page_table_pages).toBe(0)
    const held = runSimulationSync({
      ...base,
      workload: { type: 'trace', format: 'csv', text: rows.slice(0, 51).join('\n') }
    })
    expect(held.vmstat.nr_page_table_pages).toBe(100)
  })
})

describe('event trace export (Chrome/Perfetto JSON)', () => {
  it('records tracepoint-named events and CPU slices with µs timestamps', () => {
    const r = runSimulationSync({
      ...base,
      workload: { type: 'memory_eater', eat_mb: 200 },
      trace: { enabled: true }
    })
    const ev = r.trace!.traceEvents
    const names = new Set(ev.map((e) => e.name))
    for (const n of [
      'thread_name',
      'cpu',
      'mm_vmscan_kswapd_wake',
      'mm_vmscan_direct_reclaim_begin',
      'mm_vmscan_direct_reclaim_end'
    ])
      expect(names.has(n)).toBe(true)
    const begins = ev.filter((e) => e.name === 'mm_vmscan_direct_reclaim_begin').length
    expect(begins).toBe(r.derived.allocstall)
    const slice = ev.find((e) => e.ph === 'X')!
    expect(slice.dur).toBeGreaterThan(0)
    expect(JSON.parse(JSON.stringify(r.trace)).traceEvents.length).toBe(ev.length)
  })
})
