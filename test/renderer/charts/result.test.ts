import { describe, expect, it } from 'vitest'
import { readResult } from '../../../src/renderer/src/charts/result'

describe('readResult', () => {
  it('is null before the run has a result', () => {
    expect(readResult(null)).toBeNull()
  })

  it('reads the simulator result and ignores what it does not know', () => {
    const r = readResult({
      duration_s: 20,
      vmstat: { pgscan_kswapd: 2063033, bogus: 'x' },
      psi: {
        some: { avg10: 8.38, avg60: 2.5, avg300: 0.57, total_us: 1711910 },
        full: { avg10: 1, avg60: 0.5, avg300: 0.1, total_us: 1000 }
      },
      histograms: {
        alloc_slowpath_latency: {
          count: 3,
          mean_us: 1,
          p50_us: 1,
          p90_us: 1,
          p99_us: 1,
          p999_us: 1,
          max_us: 2
        },
        broken: 5
      },
      watermarks: { min: 2788, low: 4731, high: 6674, min_free_kbytes: 0 },
      threads: [
        { name: 'kswapd0', count: 1, cpu_ms: 1764.73, runnable_wait_ms: 0, memstall_ms: 1764.73 },
        { name: 'eater', count: 1, cpu_ms: 5000, sys_ms: 3000, runnable_wait_ms: 0, memstall_ms: 0 }
      ],
      warnings: ['swap is full'],
      zram: null
    })!
    expect(r.durationS).toBe(20)
    expect(r.vmstat).toEqual({ pgscan_kswapd: 2063033 })
    expect(r.psi?.some.total_us).toBe(1711910)
    expect(Object.keys(r.histograms)).toEqual(['alloc_slowpath_latency'])
    expect(r.watermarks).toEqual({ min: 2788, low: 4731, high: 6674, min_free_kbytes: 0 })
    expect(r.threads[0].name).toBe('kswapd0')
    // results from before simulator 0.9.1 have no sys_ms: it stays absent, not 0
    expect('sys_ms' in r.threads[0]).toBe(false)
    expect(r.threads[1].sys_ms).toBe(3000)
    expect(r.warnings).toEqual(['swap is full'])
    expect(r.zram).toBeNull()
  })

  it('copes with a result missing its optional parts', () => {
    const r = readResult({ vmstat: {} })!
    expect(r.psi).toBeNull()
    expect(r.watermarks).toBeNull()
    expect(r.threads).toEqual([])
    expect(r.warnings).toEqual([])
  })
})
