/** Sweep charts: a metric against the swept knob(s), per variant, mean with its 95% interval. */
import type { EChartsOption } from 'echarts'
import type { CompareGroup } from '../../../shared/compare/groups'
import { metricValue, type CompareMetric } from '../../../shared/compare/metrics'
import { harmonicInterval, tInterval } from '../../../shared/stats'
import { sig3 } from './format'
import type { ChartPalette } from './palette'

export interface SweepPoint {
  variant: string
  knobs: Record<string, number | string | boolean>
  n: number
  mean: number
  lo: number
  hi: number
}

export function sweepKnobs(groups: CompareGroup[]): string[] {
  const keys = new Set<string>()
  for (const g of groups) for (const k of Object.keys(g.sweepPoint)) keys.add(k)
  return [...keys]
}

export function sweepPoints(groups: CompareGroup[], metric: CompareMetric): SweepPoint[] {
  const out: SweepPoint[] = []
  for (const g of groups) {
    if (g.source !== 'simulated' || !Object.keys(g.sweepPoint).length) continue
    const values = g.runs
      .map((r) => metricValue(metric, r.result))
      .filter((v): v is number => v !== undefined && Number.isFinite(v))
    if (!values.length) continue
    const harmonic = metric.mean === 'harmonic' && values.every((v) => v > 0)
    const ci = harmonic ? harmonicInterval(values) : tInterval(values)
    out.push({
      variant: g.variant,
      knobs: g.sweepPoint,
      n: values.length,
      mean: ci.estimate,
      lo: ci.lo,
      hi: ci.hi
    })
  }
  return out
}

const short = (path: string) => path.split('.').pop() ?? path

/** A legend of the variants and a tooltip for the pointed item, in the theme's colours. */
function legendAndTooltip(variants: string[], p: ChartPalette) {
  return {
    legend: {
      top: 0,
      right: 8,
      data: variants,
      textStyle: { color: p.muted, fontFamily: 'monospace' }
    },
    tooltip: {
      trigger: 'item' as const,
      backgroundColor: p.tooltipBg,
      borderColor: p.tooltipBorder,
      textStyle: { color: p.text }
    }
  }
}

/** A knob's values as an axis: numeric knobs on a value axis, others (policies, flags) as categories. */
function knobAxis(points: SweepPoint[], knob: string) {
  const numeric = points.every((pt) => typeof pt.knobs[knob] === 'number')
  const categories = [...new Set(points.map((pt) => String(pt.knobs[knob])))]
  return {
    numeric,
    categories,
    position: (pt: SweepPoint): number | string =>
      numeric ? (pt.knobs[knob] as number) : String(pt.knobs[knob]),
    order: (pt: SweepPoint): number =>
      numeric ? (pt.knobs[knob] as number) : categories.indexOf(String(pt.knobs[knob]))
  }
}

/** One knob: metric against the knob's value, a line per variant with CI bars. */
export function sweepLineOption(
  points: SweepPoint[],
  knob: string,
  metric: CompareMetric,
  colors: (variant: string) => string,
  p: ChartPalette
): EChartsOption {
  const variants = [...new Set(points.map((pt) => pt.variant))]
  const axis = knobAxis(points, knob)
  const series = variants.flatMap((v) => {
    const mine = points
      .filter((pt) => pt.variant === v)
      .sort((a, b) => axis.order(a) - axis.order(b))
    const color = colors(v)
    return [
      {
        type: 'line' as const,
        name: v,
        color,
        data: mine.map((pt) => [axis.position(pt), pt.mean]),
        symbolSize: 6,
        lineStyle: { width: 2 }
      },
      {
        type: 'custom' as const,
        name: v,
        color,
        data: mine.map((pt) => [axis.position(pt), pt.lo, pt.hi]),
        renderItem: (
          _params: unknown,
          api: {
            value: (i: number) => number
            coord: (v: number[]) => number[]
            style: (o: object) => object
          }
        ) => {
          const x = api.value(0)
          const lo = api.value(1)
          const hi = api.value(2)
          if (!Number.isFinite(lo) || !Number.isFinite(hi)) return null
          const [px, py1] = api.coord([x, lo])
          const [, py2] = api.coord([x, hi])
          const style = { stroke: color, lineWidth: 1.2 }
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1: px, y1: py1, x2: px, y2: py2 }, style },
              { type: 'line', shape: { x1: px - 4, y1: py1, x2: px + 4, y2: py1 }, style },
              { type: 'line', shape: { x1: px - 4, y1: py2, x2: px + 4, y2: py2 }, style }
            ]
          }
        },
        z: 3
      }
    ]
  })
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: p.text, fontSize: 11 },
    grid: { left: 72, right: 24, top: 30, bottom: 40 },
    ...legendAndTooltip(variants, p),
    xAxis: {
      type: axis.numeric ? 'value' : 'category',
      data: axis.numeric ? undefined : axis.categories,
      name: short(knob),
      nameLocation: 'middle',
      nameGap: 24,
      scale: true,
      axisLabel: { color: p.muted, fontSize: 10 },
      axisLine: { lineStyle: { color: p.axis } },
      splitLine: { show: false }
    },
    yAxis: {
      type: 'value',
      name: metric.label,
      nameTextStyle: { color: p.muted, align: 'left' },
      scale: false,
      axisLabel: { color: p.muted, fontSize: 10, formatter: (v: number) => sig3(v) },
      splitLine: { lineStyle: { color: p.split } }
    },
    series: series as EChartsOption['series']
  }
}

/** Two knobs: parallel coordinates (knob 1, knob 2, metric), one line per variant and point. */
export function sweepParallelOption(
  points: SweepPoint[],
  knobs: [string, string],
  metric: CompareMetric,
  colors: (variant: string) => string,
  p: ChartPalette
): EChartsOption {
  const variants = [...new Set(points.map((pt) => pt.variant))]
  const axes = knobs.map((k) => knobAxis(points, k))
  const axisStyle = {
    nameTextStyle: { color: p.text, fontFamily: 'monospace' },
    axisLabel: { color: p.muted, fontSize: 10 },
    axisLine: { lineStyle: { color: p.axis } }
  }
  return {
    animation: false,
    backgroundColor: 'transparent',
    ...legendAndTooltip(variants, p),
    parallel: { left: 60, right: 80, top: 50, bottom: 30 },
    parallelAxis: [
      ...axes.map((axis, dim) => ({
        dim,
        name: short(knobs[dim]),
        type: axis.numeric ? ('value' as const) : ('category' as const),
        data: axis.numeric ? undefined : axis.categories,
        scale: true,
        ...axisStyle
      })),
      { dim: 2, name: metric.label, type: 'value', ...axisStyle }
    ],
    series: variants.map((v) => ({
      type: 'parallel' as const,
      name: v,
      color: colors(v),
      lineStyle: { width: 2, opacity: 0.8 },
      data: points
        .filter((pt) => pt.variant === v)
        .map((pt) => [axes[0].position(pt), axes[1].position(pt), pt.mean])
    }))
  }
}
