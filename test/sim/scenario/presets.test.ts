import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { presets, resolvePreset, scenarioSchema } from '../../../src/sim'

describe('presets', () => {
  it('every preset is a valid scenario', () => {
    for (const p of presets) expect(() => scenarioSchema.parse(p.scenario), p.name).not.toThrow()
  })

  it('the renderer tests’ phone fixture is the phone-8g-appswitch preset', () => {
    const fixture = join(__dirname, '..', '..', 'fixtures', 'scenarios', 'phone-8g-appswitch.json')
    expect(JSON.parse(readFileSync(fixture, 'utf8'))).toEqual(resolvePreset('phone-8g-appswitch'))
  })
})
