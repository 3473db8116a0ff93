/** Percentile bars of one latency histogram (µs), on a log axis so p50 and max both read. */
import type { EChartsOption } from 'echarts'
import { duration } from './format'
import type { ChartPalette } from './palette'
import type { HistogramSummary } from './result'

export const PERCENTILES: Array<[keyof HistogramSummary, string]> = [
  ['p50_us', 'p50'],
  ['p90_us', 'p90'],
  ['p99_us', 'p99'],
  ['p999_us', 'p99.9'],
  ['max_us', 'max']
]

export function buildHistogramOption(
  h: HistogramSummary,
  palette: ChartPalette,
  color: string
): EChartsOption {
  const values = PERCENTILES.map(([key]) => h[key])
  const positive = values.filter((v) => v > 0)
  const floor = positive.length ? 10 ** Math.floor(Math.log10(Math.min(...positive))) : 1
  return {
    animation: false,
    backgroundColor: 'transparent',
    grid: { left: 40, right: 64, top: 4, bottom: 4 },
    xAxis: {
      type: 'log',
      min: floor,
      logBase: 10,
      // Each bar carries its value; decade labels would crowd a narrow card.
      axisLabel: { show: false },
      axisLine: { lineStyle: { color: palette.axis } },
      splitLine: { lineStyle: { color: palette.split } }
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: PERCENTILES.map(([, label]) => label),
      axisLabel: { color: palette.muted, fontSize: 11, fontFamily: 'monospace' },
      axisLine: { lineStyle: { color: palette.axis } },
      axisTick: { show: false }
    },
    tooltip: { show: false },
    series: [
      {
        type: 'bar',
        barWidth: 10,
        data: values.map((v) => (v > 0 ? v : null)),
        itemStyle: { color },
        label: {
          show: true,
          position: 'right',
          color: palette.text,
          fontSize: 11,
          fontFamily: 'monospace',
          formatter: (p: unknown) => duration((p as { value: number }).value)
        }
      }
    ]
  }
}
