import { describe, expect, it } from 'vitest'
import { Arena, dropSpareArrays } from '../../src/sim/arena'
import { applySets, resolvePreset, runSimulationSync } from '../../src/sim'
import type { Kernel } from '../../src/sim/kernel'

describe('Arena: large arrays recycled between runs', () => {
  it('a recycled array is filled as a fresh one, over the same buffer', () => {
    const M = 1 << 20
    const a = new Arena()
    const x = a.int32(M / 2, -1)
    x.fill(7)
    const y = a.uint8(3 * M)
    y.fill(9)
    // Small arrays are not recycled.
    const small = a.int32(1000, -1)
    a.release()
    const b = new Arena()
    const x2 = b.int32(M / 4, -1)
    const y2 = b.uint8(1.5 * M, 2)
    expect(x2.buffer).toBe(x.buffer)
    expect(y2.buffer).toBe(y.buffer)
    expect(x2.length).toBe(M / 4)
    expect([...new Set(x2)]).toEqual([-1])
    expect([...new Set(y2)]).toEqual([2])
    expect(b.int32(1000).buffer).not.toBe(small.buffer)
    // Too large for any spare buffer: a fresh one.
    expect(b.uint16(4 * M).buffer).not.toBe(x.buffer)
  })
  it('an idle worker lets go of the arrays it kept', () => {
    const a = new Arena()
    const x = a.int32(1 << 20)
    a.release()
    dropSpareArrays()
    expect(new Arena().int32(1 << 20).buffer).not.toBe(x.buffer)
  })
  it('an array recycled during a run serves the next large array of the same run', () => {
    const a = new Arena()
    const pte = a.int32(1 << 20, -1)
    pte.fill(5)
    a.recycle(pte)
    const next = a.int32(1 << 19, -1)
    expect(next.buffer).toBe(pte.buffer)
    expect([...new Set(next)]).toEqual([-1])
  })
  it('a run hands its arrays to the next run; a run whose kernel was inspected keeps them', () => {
    const sc = applySets(resolvePreset('twin-eater-512m'), ['duration_s=1'])
    let first: Kernel | null = null
    let second: Kernel | null = null
    let third: Kernel | null = null
    runSimulationSync(sc, {}, { inspect: (k) => (first = k) })
    const flags = first!.pages.flags
    runSimulationSync(sc, {}, { inspect: (k) => (second = k) })
    // The first run's kernel was inspected: its arrays are still its own.
    expect(second!.pages.flags.buffer).not.toBe(flags.buffer)
    const r1 = runSimulationSync(sc, {}, {})
    const r2 = runSimulationSync(sc, {}, { inspect: (k) => (third = k) })
    const r3 = runSimulationSync(sc, {}, {})
    expect(third!.pages.flags.length).toBe(second!.pages.flags.length)
    expect(JSON.stringify(r2)).toBe(JSON.stringify(r1))
    expect(JSON.stringify(r3)).toBe(JSON.stringify(r1))
  })
})
