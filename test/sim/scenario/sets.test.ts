import { afterEach, describe, expect, it } from 'vitest'
import { applySets, resolvePreset } from '../../../src/sim'
import { runStartInput } from '../../../src/shared/schemas'

describe('--set and sweep knobs never reach an object prototype', () => {
  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).polluted
  })

  it.each([
    '__proto__.polluted=1',
    'constructor.prototype.polluted=1',
    'kernel.__proto__.polluted=1'
  ])('refuses %s and leaves Object.prototype alone', (set) => {
    expect(() => applySets(resolvePreset('single-cpu'), [set])).toThrow(/is not a scenario field/)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('walks own properties only: a missing parent is created, not borrowed', () => {
    const out = applySets({}, ['toString.x=1']) as Record<string, unknown>
    expect(Object.hasOwn(out, 'toString')).toBe(true)
    expect(out.toString).toEqual({ x: 1 })
    expect(Object.prototype.toString).toBeTypeOf('function')
  })

  it('the API refuses a sweep knob naming a prototype', () => {
    const parsed = runStartInput.safeParse({
      experimentId: 1,
      variants: ['baseline'],
      seeds: '1',
      sweep: [{ knob: '__proto__.polluted', values: [1] }]
    })
    expect(parsed.success).toBe(false)
    expect(parsed.error?.issues[0].path).toEqual(['sweep', 0, 'knob'])
  })
})
