import { describe, expect, it } from 'vitest'
import { timeAtClick } from '../../../src/renderer/src/charts/pick'

/** A chart whose plot spans x 100…600 px for 0…10 s, y 0…200 px. */
const chart = {
  containPixel: (_: unknown, [x, y]: number[]) => x >= 100 && x <= 600 && y >= 0 && y <= 200,
  convertFromPixel: (_: unknown, [x]: number[]) => [((x - 100) / 500) * 10 - 0.0004, 5]
}

describe('time under a click', () => {
  it('converts a click in the plot to simulated seconds, to the millisecond and never negative', () => {
    expect(timeAtClick(chart, { offsetX: 350, offsetY: 50 })).toBe(5)
    expect(timeAtClick(chart, { offsetX: 100.01, offsetY: 50 })).toBe(0)
    expect(timeAtClick(chart, { offsetX: 123.4567, offsetY: 50 })).toBe(0.469)
  })

  it('ignores clicks outside the plot and a chart not drawn yet', () => {
    expect(timeAtClick(chart, { offsetX: 50, offsetY: 50 })).toBeNull()
    expect(timeAtClick(chart, { offsetX: 350, offsetY: 250 })).toBeNull()
    expect(timeAtClick(null, { offsetX: 350, offsetY: 50 })).toBeNull()
  })
})
