import { describe, expect, it } from 'vitest'
import {
  differingPaths,
  groupFields,
  labelParts,
  leafFields,
  setAt,
  unitOf
} from '../../../src/renderer/src/scenario/fields'
import { autoValue } from '../../../src/renderer/src/scenario/auto-value'
import type { VariantInfo } from '../../../src/shared/dto'
import { scenarioSchema } from '../../../src/shared/scenario/schema'
// The phone-8g-appswitch preset as the renderer receives it through sim:catalog.
import phonePreset from '../../fixtures/scenarios/phone-8g-appswitch.json'

const phone = scenarioSchema.parse(phonePreset)

describe('scenario fields for the editor', () => {
  const fields = leafFields(scenarioSchema, phone)
  const byPath = new Map(fields.map((f) => [f.path, f]))

  it('reads type, range, unit and value of sysctl knobs from the schema', () => {
    expect(byPath.get('kernel.vm.swappiness')).toMatchObject({
      kind: 'number',
      integer: true,
      min: 0,
      max: 200,
      unit: '',
      label: 'swappiness',
      value: 100
    })
    expect(byPath.get('kernel.vm.watermark_scale_factor')).toMatchObject({
      min: 1,
      max: 3000,
      integer: true
    })
    expect(byPath.get('kernel.vm.min_free_kbytes')).toMatchObject({
      kind: 'number',
      nullable: true,
      unit: 'kB',
      value: null
    })
    expect(byPath.get('device.swap.zram.comp_algorithm')).toMatchObject({
      kind: 'enum',
      options: ['lz4', 'lzo', 'lzo-rle', 'zstd'],
      value: 'lz4'
    })
    expect(byPath.get('workload.app_anon_mb')).toMatchObject({
      kind: 'range',
      unit: 'MiB',
      min: 1,
      max: 8192
    })
    expect(byPath.get('workload.switch_interval_s')).toMatchObject({
      unit: 's',
      min: 0.05,
      max: 600
    })
    expect(byPath.get('device.cpus.0.count')).toMatchObject({
      kind: 'number',
      integer: true,
      min: 1,
      max: 64
    })
    expect(byPath.get('kernel.lmkd.enabled')).toMatchObject({ kind: 'boolean', value: true })
  })

  it('groups fields as device, workload, kernel knobs, run and costs', () => {
    const groups = groupFields(fields)
    expect(groups.map((g) => g.id)).toEqual([
      'device',
      'workload',
      'kernel',
      'variant',
      'run',
      'costs'
    ])
    expect(groups.find((g) => g.id === 'run')!.fields.map((f) => f.path)).toContain('duration_s')
  })

  it('labels a field by its path inside its section, whole paths in Run', () => {
    const groups = groupFields(fields)
    const labels = (id: string) => groups.find((g) => g.id === id)!.fields.map((f) => f.label)
    expect(labels('kernel')).toContain('zswap.accept_threshold_percent')
    expect(labels('variant')).toContain('nr_kcompressd')
    // Run gathers top-level fields and the trace's: "enabled" alone would not say which.
    expect(labels('run')).toEqual(expect.arrayContaining(['duration_s', 'trace.enabled']))
    expect(labels('run')).not.toContain('enabled')
    expect(labelParts('zswap.accept_threshold_percent')).toEqual([
      'zswap.',
      'accept_',
      'threshold_',
      'percent'
    ])
  })

  it("says what auto resolves to: each variant's own default, or the kernel's computation", () => {
    const variants = [
      { name: 'baseline', defaults: null },
      { name: 'v1', defaults: { nr_kcompressd: 4, queue_size: 5461, wake: 'on_enqueue' } },
      { name: 'custom', defaults: { nr_kcompressd: 1, queue_size: 256, wake: 'on_enqueue' } }
    ] as unknown as VariantInfo[]
    const queue = autoValue('variant.queue_size', variants, { kind: 'number', min: 1 })
    expect(queue).toEqual({ meaning: "each variant's own: v1 5,461 · custom 256", start: 256 })
    expect(
      autoValue('variant.wake', variants, { kind: 'enum', options: ['on_enqueue', 'never'] })
    ).toMatchObject({ start: 'on_enqueue' })
    expect(autoValue('kernel.vm.min_free_kbytes', variants, { kind: 'number', min: 128 })).toEqual({
      meaning: 'computed by the kernel from the memory size (calculate_min_free_kbytes)',
      start: 128
    })
  })

  it('names units from field suffixes', () => {
    expect(
      ['eat_mb', 'rate_mb_s', 'psi_partial_stall_ms', 'bg_touch_pct_per_s', 'max_pool_percent'].map(
        unitOf
      )
    ).toEqual(['MiB', 'MiB/s', 'ms', '%/s', '%'])
  })

  it('marks exactly the fields that differ from the preset', () => {
    const edited = setAt(
      setAt(phone, 'kernel.vm.swappiness', 60),
      'workload.app_anon_mb',
      [100, 450]
    )
    expect([...differingPaths(leafFields(scenarioSchema, edited), phone)]).toEqual([
      'workload.app_anon_mb',
      'kernel.vm.swappiness'
    ])
    expect((phone as { kernel: { vm: { swappiness: number } } }).kernel.vm.swappiness).toBe(100)
  })
})
