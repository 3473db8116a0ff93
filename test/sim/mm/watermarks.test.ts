import { describe, expect, it } from 'vitest'
import {
  Zone,
  __setup_per_zone_wmarks,
  calculate_min_free_kbytes,
  zone_batchsize
} from '../../../src/sim/mm/mmzone'
import { runSimulationSync } from '../../../src/sim'

function wmarks(gib: number, wsf = 10): number[] {
  const managed = gib * 262144
  const z = new Zone(managed, 0)
  __setup_per_zone_wmarks([z], calculate_min_free_kbytes(managed * 4), wsf)
  return z._watermark.slice()
}

describe('watermarks (__setup_per_zone_wmarks, kernel-reference §2.1)', () => {
  it('8 GiB: min/low/high = 2,896 / 4,993 / 7,090 pages', () => {
    expect(calculate_min_free_kbytes(8 * 1024 * 1024)).toBe(11585)
    expect(wmarks(8)).toEqual([2896, 4993, 7090])
  })
  it('12 GiB, 16 GiB and 256 GiB rows of the table', () => {
    expect(wmarks(12)).toEqual([3547, 6692, 9837])
    expect(wmarks(16)).toEqual([4096, 8290, 12484])
    expect(wmarks(256)).toEqual([16384, 83492, 150600])
  })
  it('min_free_kbytes is clamped to [128, 262144]', () => {
    expect(calculate_min_free_kbytes(100)).toBe(128)
    expect(calculate_min_free_kbytes(8 * 1024 ** 3)).toBe(262144)
  })
  it('watermark_scale_factor widens the low/high gaps; MIN/4 is the floor', () => {
    expect(wmarks(8, 100)).toEqual([2896, 2896 + 20971, 2896 + 2 * 20971])
    expect(wmarks(8, 1)).toEqual([2896, 2896 + 724, 2896 + 1448])
  })
  it('pcp batch for a large zone is 63 (zone_batchsize)', () => {
    expect(zone_batchsize(8 * 262144)).toBe(63)
  })
  it('a run reports the watermarks it used', () => {
    const r = runSimulationSync({
      device: { mem_mb_per_node: 8192, cpus: [{ class: 'big', count: 1, speed: 1 }] },
      workload: { type: 'memory_eater', eat_mb: 1 },
      duration_s: 0.01
    })
    expect(r.watermarks).toMatchObject({ min: 2896, low: 4993, high: 7090 })
  })
})
