import { describe, expect, it } from 'vitest'
import { guestParameters, planGuest } from '../../../src/lab/kernel-run/guest-plan'
import { applySets } from '../../../src/sim'
import { resolvePreset } from '../../../src/sim/scenario/presets'
import { LabError } from '../../../src/shared/errors'

function refusal(scenario: unknown): LabError {
  try {
    planGuest(scenario)
  } catch (err) {
    if (err instanceof LabError) return err
    throw err
  }
  throw new Error('the scenario was not refused')
}

describe('planGuest', () => {
  it('maps the twin preset onto the guest', () => {
    const plan = planGuest(resolvePreset('twin-eater-512m'))
    expect(plan).toMatchObject({
      memMb: 492,
      cpus: 2,
      swap: 'zram',
      zram: { disksizeMb: 512, algorithm: 'lz4', memLimitMb: 0 },
      vm: { swappiness: 60, minFreeKbytes: 2825, pageCluster: 3 },
      lruGen: false,
      eater: {
        eatMb: 640,
        wsMb: 64,
        passes: 2,
        randomBytes: 1296,
        rateMbS: 0,
        hold: false,
        oneMapping: false
      },
      durationMs: 12_000,
      intervalMs: 100
    })
    expect(plan.notes.join(' ')).toMatch(
      /kernel_used_mb, device.shmem_mb and device.unmovable_free_chunks/
    )
  })

  it('passes every mapped knob to the guest', () => {
    const sc = applySets(resolvePreset('twin-eater-512m'), [
      'kernel.vm.swappiness=100',
      'kernel.vm.page_cluster=0',
      'kernel.lru_gen.enabled=true',
      'device.swap.zram.comp_algorithm=zstd',
      'device.swap.zram.mem_limit_mb=128',
      'workload.rate_mb_s=40',
      'workload.content.zero_pct=10',
      'workload.one_mapping=true',
      'workload.cpu_hogs.count=2'
    ])
    const words = guestParameters(planGuest(sc))
    for (const w of [
      'rl_swappiness=100',
      'rl_page_cluster=0',
      'rl_lru_gen=y',
      'rl_zalg=zstd',
      'rl_zlimit=128',
      'rl_rate=40',
      'rl_zero=10',
      'rl_hogs=2',
      'rl_onemap=1',
      'rl_min_free=2825'
    ])
      expect(words).toContain(w)
    expect(words.every((w) => /^rl_\w+=\S+$/.test(w))).toBe(true)
  })

  it('lets the kernel compute min_free_kbytes when the scenario does', () => {
    const sc = applySets(resolvePreset('twin-eater-512m'), ['kernel.vm.min_free_kbytes=null'])
    expect(guestParameters(planGuest(sc))).toContain('rl_min_free=kernel')
  })

  it('lists every field the guest cannot express, before anything boots', () => {
    const err = refusal(
      applySets(resolvePreset('twin-eater-512m'), [
        'kernel.zswap.enabled=true',
        'kernel.lmkd.enabled=true',
        'device.nodes=2',
        'trace.enabled=true'
      ])
    )
    expect(err.code).toBe('invalid')
    expect(err.issues.map((i) => i.path)).toEqual([
      'device.nodes',
      'kernel.zswap.enabled',
      'kernel.lmkd.enabled',
      'trace.enabled'
    ])
    expect(err.message).toMatch(/^This scenario cannot run on a real kernel: device.nodes: 2 NUMA/)
  })

  it('refuses phone app switching, core classes and typical page content by name', () => {
    const phone = refusal(resolvePreset('phone-8g-appswitch'))
    expect(phone.issues.map((i) => i.path)).toContain('workload.type')
    expect(phone.message).toMatch(/phone app switching/)
    expect(phone.issues.map((i) => i.path)).toContain('device.cpus')
    const typical = refusal(resolvePreset('single-cpu'))
    expect(typical.issues).toEqual([
      expect.objectContaining({ path: 'workload.content.partial_random_bytes' })
    ])
  })

  it('refuses zswap and disk swap, and names an invalid scenario field', () => {
    const disk = refusal(applySets(resolvePreset('twin-eater-512m'), ['device.swap.type=disk']))
    expect(disk.issues[0].path).toBe('device.swap.type')
    const bad = refusal({ ...resolvePreset('twin-eater-512m'), duration_s: -1 })
    expect(bad.issues[0].path).toBe('scenario.duration_s')
  })
})
