import { describe, expect, it } from 'vitest'
import { shortText } from '../../../src/renderer/src/charts/marks'
import { buildOption, legendRows } from '../../../src/renderer/src/charts/options'
import { PALETTES } from '../../../src/renderer/src/charts/palette'
import { buildCharts } from '../../../src/renderer/src/charts/series'
import { axisLabel, formatValue } from '../../../src/renderer/src/charts/units'

const t_s = [0.1, 0.2]
const [free] = buildCharts(
  { t_s, series: { nr_free_pages: [5120, 2560] } },
  { min: 256, low: 512, high: 768 }
)

interface Built {
  series: Array<{
    markLine: { data: Array<{ xAxis: number; yAxis: number; label: { formatter: string } }> }
    markArea: { data: Array<Array<{ xAxis: number }>> }
  }>
  dataZoom: Array<{ id: string }>
}

function option(
  annotations = [{ tStartS: 0.1, tEndS: null as number | null, text: 'kswapd wakes' }]
) {
  return buildOption(free, {
    t_s,
    palette: PALETTES.light,
    variantColor: '#8a8f98',
    annotations,
    pending: null,
    slider: true,
    xMax: 0.2
  }) as unknown as Built
}

describe('buildOption', () => {
  it('draws labelled watermark lines on the free-pages series', () => {
    const marks = option().series[0].markLine.data
    expect(marks.map((m: { yAxis: number }) => m.yAxis)).toEqual([1, 2, 3])
    expect(marks[0].label.formatter).toBe('min 1 MiB · 256 pages')
  })

  it('shows annotations as a line for a point and an area for a range', () => {
    const o = option([
      { tStartS: 0.1, tEndS: null, text: 'kswapd wakes' },
      { tStartS: 0.1, tEndS: 0.2, text: 'thrashing' }
    ])
    const marks = o.series.at(-1)!
    expect(marks.markLine.data).toHaveLength(1)
    expect(marks.markLine.data[0].xAxis).toBe(0.1)
    expect(marks.markArea.data).toHaveLength(1)
    expect(marks.markArea.data[0][1].xAxis).toBe(0.2)
  })

  it('gives a legend that would run into the title rows of its own, and the plot room for them', () => {
    const threads = buildCharts(
      {
        t_s,
        series: Object.fromEntries(
          [0, 1, 2, 3].map((n) => [`kcompressd${n}_folios_per_s`, [0, 10]])
        )
      },
      { min: 256, low: 512, high: 768 }
    ).find((c) => c.id === 'kcompressd-folios')!
    // Four 24-character names: 758 px of legend beside a 342 px title.
    expect(legendRows(threads, 1072)).toBe(1)
    expect(legendRows(threads, 1200)).toBe(0)
    expect(legendRows(threads, 600)).toBe(2)
    const ctx = {
      t_s,
      palette: PALETTES.light,
      variantColor: '#8a8f98',
      annotations: [],
      pending: null,
      slider: false,
      xMax: 0.2
    }
    const beside = buildOption(threads, { ...ctx, width: 1200 }) as unknown as {
      grid: { top: number }
      legend: { top: number; left?: number }
    }
    const below = buildOption(threads, { ...ctx, width: 1072 }) as unknown as typeof beside
    expect([beside.grid.top, beside.legend.top, beside.legend.left]).toEqual([24, 0, undefined])
    expect([below.grid.top, below.legend.top, below.legend.left]).toEqual([42, 22, 8])
  })

  it('gives every chart the same zoom ids so connected charts zoom together', () => {
    expect(option().dataZoom.map((d) => d.id)).toEqual(['run-zoom-inside', 'run-zoom-slider'])
  })
})

describe('units', () => {
  it('formats tooltip values in kernel units', () => {
    expect(formatValue(1, 'mib')).toBe('1 MiB (256 pages)')
    expect(formatValue(1234.4, 'per_s')).toBe('1,234/s')
    expect(formatValue(12.34, 'pct')).toBe('12.3%')
    expect(axisLabel(25000, 'per_s')).toBe('25k/s')
  })

  it('shortens long notes for labels', () => {
    expect(shortText('a'.repeat(50), 10)).toBe(`${'a'.repeat(9)}…`)
    expect(shortText('first line\nsecond')).toBe('first line')
  })
})
