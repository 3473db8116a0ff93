import { describe, expect, it } from 'vitest'
import { experimentKey } from '../../../src/renderer/src/composables/use-experiment-keys'

const key = (k: Partial<Parameters<typeof experimentKey>[0]>) =>
  experimentKey({
    altKey: false,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    code: '',
    key: '',
    target: null,
    ...k
  })
const input = { isContentEditable: false, tagName: 'INPUT' } as unknown as EventTarget

describe('experiment page keys', () => {
  it('switches tabs with Alt+1…4, also while typing', () => {
    expect(key({ altKey: true, code: 'Digit3', key: '3' })).toEqual({ tab: 'runs' })
    expect(key({ altKey: true, code: 'Digit4', target: input })).toEqual({ tab: 'compare' })
    expect(key({ altKey: true, code: 'Digit5' })).toBeNull()
    expect(key({ altKey: true, ctrlKey: true, code: 'Digit1' })).toBeNull()
  })

  it('runs with Ctrl+Enter or ⌘+Enter, also while typing', () => {
    expect(key({ ctrlKey: true, key: 'Enter', target: input })).toBe('run')
    expect(key({ metaKey: true, key: 'Enter' })).toBe('run')
    expect(key({ key: 'Enter' })).toBeNull()
    expect(key({ ctrlKey: true, shiftKey: true, key: 'Enter' })).toBeNull()
  })

  it('compares with Alt+C, but not in a text field where it types a character on a Mac', () => {
    expect(key({ altKey: true, code: 'KeyC', key: 'c' })).toBe('compare')
    expect(key({ altKey: true, code: 'KeyC', key: 'ç', target: input })).toBeNull()
    expect(key({ ctrlKey: true, shiftKey: true, code: 'KeyC' })).toBeNull()
  })
})
