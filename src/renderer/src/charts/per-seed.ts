/**
 * One compare-table metric per seed: a box plot per group (R's type-7 quartiles, whiskers at min
 * and max), every seed as a dot, and a thin line joining a seed's values across the simulated
 * groups, so a paired change reads as lines sloping the same way.
 */
import type { EChartsOption } from 'echarts'
import { formatValue } from '../../../shared/compare/format'
import type { CompareRow, CompareTable } from '../../../shared/compare/table'
import { quantile } from '../../../shared/stats'
import { escapeHtml } from './marks'
import type { ChartPalette } from './palette'

export interface SeedArm {
  label: string
  color: string
  /** Seeds pair across arms; an observed group's runs do not. */
  paired: boolean
  values: Map<number, number>
}

export function armsOf(
  table: CompareTable,
  row: CompareRow,
  colors: Map<string, string>
): SeedArm[] {
  return table.groups.map((g, i) => {
    const cell = row.cells[i].cell
    return {
      label: g.label,
      color: colors.get(g.key) ?? '#888',
      paired: g.source === 'simulated',
      values: new Map(cell ? cell.seeds.map((s, j) => [s, cell.values[j]]) : [])
    }
  })
}

/** [min, Q1, median, Q3, max], as echarts' box plot takes them; null for an arm without values. */
export function boxOf(values: number[]): [number, number, number, number, number] | null {
  if (!values.length) return null
  return [
    Math.min(...values),
    quantile(values, 0.25),
    quantile(values, 0.5),
    quantile(values, 0.75),
    Math.max(...values)
  ]
}

/** Seeds that at least two paired arms have: the lines to draw. */
export function pairedSeeds(arms: SeedArm[]): number[] {
  const count = new Map<number, number>()
  for (const a of arms)
    if (a.paired) for (const s of a.values.keys()) count.set(s, (count.get(s) ?? 0) + 1)
  return [...count]
    .filter(([, n]) => n >= 2)
    .map(([s]) => s)
    .sort((a, b) => a - b)
}

export function buildPerSeedOption(arms: SeedArm[], palette: ChartPalette): EChartsOption {
  const labels = arms.map((a) => a.label)
  const lines = pairedSeeds(arms).map((seed) => ({
    type: 'line' as const,
    name: `seed ${seed}`,
    data: arms.map((a) => (a.paired ? (a.values.get(seed) ?? null) : null)),
    symbol: 'none',
    connectNulls: false,
    lineStyle: { color: palette.muted, width: 1, opacity: 0.55 },
    emphasis: { disabled: true },
    silent: true,
    z: 2
  }))
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: palette.text, fontSize: 11 },
    grid: { left: 72, right: 20, top: 14, bottom: 28, outerBoundsMode: 'none' },
    tooltip: {
      trigger: 'item',
      confine: true,
      backgroundColor: palette.tooltipBg,
      borderColor: palette.tooltipBorder,
      textStyle: { color: palette.text, fontSize: 11 },
      formatter: ((p: { seriesType: string; name: string; value: unknown; data: unknown }) => {
        if (p.seriesType === 'boxplot') {
          const [, min, q1, med, q3, max] = p.value as number[]
          return `${escapeHtml(p.name)}<br>min ${formatValue(min)} · Q1 ${formatValue(q1)} · median ${formatValue(med)} · Q3 ${formatValue(q3)} · max ${formatValue(max)}`
        }
        const [i, v, seed] = p.data as [number, number, number]
        return `${escapeHtml(labels[i])} seed ${seed}: <b>${formatValue(v)}</b>`
      }) as never
    },
    xAxis: {
      type: 'category',
      data: labels,
      axisLine: { lineStyle: { color: palette.axis } },
      axisTick: { show: false },
      axisLabel: { color: palette.text, fontSize: 11, fontFamily: 'monospace' }
    },
    yAxis: {
      type: 'value',
      scale: true,
      splitNumber: 4,
      axisLabel: {
        color: palette.muted,
        fontSize: 10,
        fontFamily: 'monospace',
        hideOverlap: true,
        formatter: (v: number) => formatValue(v)
      },
      splitLine: { lineStyle: { color: palette.split } }
    },
    series: [
      {
        type: 'boxplot',
        name: 'quartiles',
        boxWidth: [12, 46],
        data: arms.map((a) => {
          const box = boxOf([...a.values.values()])
          return box
            ? {
                value: box,
                itemStyle: { color: 'transparent', borderColor: a.color, borderWidth: 1.4 }
              }
            : { value: [] }
        }),
        z: 1
      },
      ...lines,
      {
        type: 'scatter',
        name: 'seeds',
        symbolSize: 7,
        data: arms.flatMap((a, i) =>
          [...a.values].map(([seed, v]) => ({
            value: [i, v, seed],
            itemStyle: { color: a.color, borderColor: palette.tooltipBg, borderWidth: 1 }
          }))
        ),
        z: 3
      }
    ] as EChartsOption['series']
  }
}
