import { describe, expect, it } from 'vitest'
import { mean } from '../../src/shared/stats'
import { evidenceLines } from './twin'

/*
 * What sharing a vCPU with another process costs the eater in the twin guest
 * (twin-switch-mm.txt): its first 256 MiB at one vCPU, no reclaim, alone or beside a CPU hog.
 * TCG flushes its software TLB when switch_mm() loads another page table; the model does not
 * charge it yet (docs/twin.md).
 */
const boots = evidenceLines('twin-switch-mm.txt', 'sw_').map(({ name, f }) => ({
  hog: name.startsWith('sw_h1'),
  cpu_ns: Number(f.eater_cpu_ns),
  turns: Number(f.eater_turns)
}))

describe('twin: a process’s turn after another process’s (switch_mm)', () => {
  it('the eater beside a hog spends more CPU on the same work, about 0.66 ms a turn', () => {
    const alone = boots.filter((b) => !b.hog)
    const beside = boots.filter((b) => b.hog)
    expect([alone.length, beside.length]).toEqual([3, 3])
    const cpu = (bs: typeof boots) => mean(bs.map((b) => b.cpu_ns))
    const turns = (bs: typeof boots) => mean(bs.map((b) => b.turns))
    // each boot beside the hog takes hundreds of turns, and more CPU than the mean alone
    for (const b of beside) {
      expect(b.turns).toBeGreaterThan(250)
      expect(b.cpu_ns).toBeGreaterThan(cpu(alone))
    }
    const perTurn = (cpu(beside) - cpu(alone)) / (turns(beside) - turns(alone))
    expect(perTurn).toBeGreaterThan(600_000)
    expect(perTurn).toBeLessThan(700_000)
  })
})
