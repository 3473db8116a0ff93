/** Pure builders of echarts options for the run page's time-series charts. */
import type { EChartsOption } from 'echarts'
import { integer, sig3, simTime } from './format'
import { ANNOTATION_SERIES, escapeHtml, markSeries, shortText, type Mark } from './marks'
import type { ChartPalette } from './palette'
import { toneColor } from './palette'
import { isQuiet, type ChartSpec, type Point, type Unit } from './series'
import { axisLabel, formatValue } from './units'

export type { Mark } from './marks'

export interface OptionContext {
  t_s: number[]
  palette: ChartPalette
  variantColor: string
  annotations: Mark[]
  /** The place an annotation is about to be pinned, drawn in the selection colour. */
  pending: Mark | null
  slider: boolean
  xMax: number
  /** A logarithmic left y axis. */
  logY?: boolean
  /** The chart's width in px, when known: a legend that would run into the title gets its own rows. */
  width?: number
}

/** Legend rows between the title and the plot: 0 while the legend fits beside the title. */
export function legendRows(spec: ChartSpec, width: number | undefined): number {
  if (!width || isQuiet(spec)) return 0
  // 11 px monospace is about 6.6 px a character; each item adds its mark and the gap.
  const legend = spec.lines.reduce((w, l) => w + l.name.length * 6.6 + 31, 0)
  // The title (12 px, bold) and its PNG / SVG / log y controls, over the plot's top margin.
  const title = spec.title.length * 7 + (spec.log ? 150 : 90)
  if (title + legend + 16 <= width) return 0
  return Math.ceil(legend / (width - 16))
}

export const LEGEND_ROW_PX = 18

export const ZOOM_INSIDE_ID = 'run-zoom-inside'
export const ZOOM_SLIDER_ID = 'run-zoom-slider'

function pairs(t: number[], data: Point[]): Array<[number, number | null]> {
  return t.map((x, i) => [x, data[i] ?? null])
}

function tooltipFormatter(spec: ChartSpec, ctx: OptionContext) {
  const units = new Map(spec.lines.map((l) => [l.name, l.unit]))
  return (params: unknown): string => {
    const list = (Array.isArray(params) ? params : [params]) as Array<{
      seriesName: string
      marker: string
      value: [number, number | null]
      componentType?: string
      name?: string
    }>
    if (list[0]?.componentType === 'markLine' || list[0]?.componentType === 'markArea')
      return escapeHtml(list[0].name ?? '')
    const t = list[0]?.value?.[0]
    const rows = list
      .filter((x) => x.seriesName !== ANNOTATION_SERIES && x.value?.[1] !== null)
      .map(
        (x) =>
          `<div style="display:flex;gap:12px;justify-content:space-between">` +
          `<span>${x.marker}${escapeHtml(x.seriesName)}</span>` +
          `<b>${formatValue(x.value[1] as number, units.get(x.seriesName) ?? 'count')}</b></div>`
      )
    const half = ctx.t_s.length > 1 ? (ctx.t_s[1] - ctx.t_s[0]) / 2 : 0
    const notes = ctx.annotations
      .filter((a) =>
        a.tEndS === null ? Math.abs(a.tStartS - t) <= half : a.tStartS <= t && t <= a.tEndS
      )
      .map(
        (a) =>
          `<div style="color:${ctx.palette.annotation}">✎ ${escapeHtml(shortText(a.text, 60))}</div>`
      )
    return (
      `<div style="font-family:var(--rl-mono);font-size:11px">` +
      `<div style="opacity:.7">t = ${simTime(t)}</div>${rows.join('')}${notes.join('')}</div>`
    )
  }
}

function dataMax(spec: ChartSpec, axis: number): number {
  let max = 0
  for (const l of spec.lines)
    if ((l.axis ?? 0) === axis) for (const v of l.data) if (v !== null && v > max) max = v
  return max
}

/** The right axis takes the colour of its series, so it is clear which lines it measures. */
function rightColour(spec: ChartSpec, ctx: OptionContext): string {
  const line = spec.lines.find((l) => l.axis === 1)
  return line ? toneColor(ctx.palette, ctx.variantColor, line.tone) : ctx.palette.muted
}

function yAxis(unit: Unit, ctx: OptionContext, index: number, spec: ChartSpec) {
  const p = ctx.palette
  const top = spec.thresholds.length ? Math.max(...spec.thresholds.map((t) => t.value)) : 0
  const log = index === 0 && !!ctx.logY
  const bottom = spec.thresholds.length ? Math.min(...spec.thresholds.map((t) => t.value)) : 1
  const peak = dataMax(spec, index)
  const quiet = isQuiet(spec)
  let max: number | undefined
  if (quiet) max = 1
  else if (!log && top * 1.15 > peak) max = top * 1.15
  // Per-sample CPU shares round to a little over 100%; the axis still ends at 100%.
  else if (unit === 'pct' && peak > 50 && peak <= 105) max = 100
  const interval = max === 100 && unit === 'pct' ? 25 : undefined
  return {
    type: log ? ('log' as const) : ('value' as const),
    min: log ? 10 ** Math.floor(Math.log10(Math.max(bottom / 2, 1e-3))) : 0,
    max,
    interval,
    splitNumber: quiet ? 1 : 3,
    position: index === 0 ? ('left' as const) : ('right' as const),
    axisLabel: {
      color: index === 0 ? p.muted : rightColour(spec, ctx),
      fontSize: 10,
      fontFamily: 'monospace',
      hideOverlap: true,
      formatter: (v: number) => axisLabel(v, unit)
    },
    axisLine: { show: false },
    splitLine: { show: index === 0, lineStyle: { color: p.split } }
  }
}

/** The simulated-time x axis of every chart over a run. */
export function timeAxis(p: ChartPalette, xMax: number) {
  return {
    type: 'value' as const,
    min: 0,
    max: xMax,
    axisLabel: {
      color: p.muted,
      fontSize: 10,
      hideOverlap: true,
      formatter: (v: number) => `${sig3(v)} s`
    },
    axisLine: { lineStyle: { color: p.axis } },
    axisTick: { lineStyle: { color: p.axis } },
    splitLine: { show: false }
  }
}

/** A tooltip for every series at the pointed time, in the theme's colours. */
export function axisTooltip(p: ChartPalette, formatter: (params: unknown) => string) {
  return {
    trigger: 'axis' as const,
    confine: true,
    transitionDuration: 0,
    backgroundColor: p.tooltipBg,
    borderColor: p.tooltipBorder,
    textStyle: { color: p.text },
    axisPointer: { type: 'line' as const, lineStyle: { color: p.muted, width: 1 } },
    formatter: formatter as never
  }
}

/** Zoom by wheel or drag inside the plot, and a slider under the last chart of a connected group. */
export function zoomComponents(
  p: ChartPalette,
  insideId: string,
  sliderId: string,
  slider: boolean
) {
  return [
    { type: 'inside' as const, id: insideId, xAxisIndex: 0, filterMode: 'none' as const },
    {
      type: 'slider' as const,
      id: sliderId,
      xAxisIndex: 0,
      filterMode: 'none' as const,
      show: slider,
      height: 18,
      bottom: 6,
      borderColor: p.axis,
      backgroundColor: 'transparent',
      fillerColor: p.brush,
      dataBackground: { lineStyle: { color: p.muted }, areaStyle: { color: p.split } },
      selectedDataBackground: { lineStyle: { color: p.pending }, areaStyle: { color: p.brush } },
      handleStyle: { color: p.tooltipBg, borderColor: p.muted },
      moveHandleStyle: { color: p.axis },
      textStyle: { color: p.muted, fontSize: 10 },
      labelFormatter: (v: number) => `${sig3(v)} s`
    }
  ]
}

/** The echarts option for one chart of the run page. */
export function buildOption(spec: ChartSpec, ctx: OptionContext): EChartsOption {
  const p = ctx.palette
  const rows = legendRows(spec, ctx.width)
  const series: Record<string, unknown>[] = spec.lines.map((l, i) => {
    const color = toneColor(p, ctx.variantColor, l.tone)
    const base = {
      name: l.name,
      data: pairs(ctx.t_s, l.data),
      yAxisIndex: l.axis ?? 0,
      color,
      z: l.bar ? 1 : 2
    }
    // Bars on a value x axis widen its extent and would misalign the connected charts' time axes,
    // so counts are drawn as a stepped area instead.
    const s: Record<string, unknown> = {
      ...base,
      type: 'line',
      showSymbol: false,
      sampling: l.bar ? 'max' : 'lttb',
      step: l.bar ? 'middle' : undefined,
      areaStyle: l.bar ? { opacity: 0.35 } : undefined,
      lineStyle: {
        width: l.bar ? 1 : i === 0 && !l.dashed ? 1.6 : 1.2,
        type: l.dashed ? 'dashed' : 'solid'
      },
      emphasis: { disabled: true }
    }
    if (i === 0 && spec.thresholds.length)
      s.markLine = {
        symbol: ['none', 'none'],
        silent: true,
        z: 10,
        animation: false,
        data: spec.thresholds.map((th, k) => ({
          yAxis: th.value,
          name: th.name,
          lineStyle: {
            color: p.watermark[th.name as 'min' | 'low' | 'high'] ?? p.muted,
            type: 'dashed',
            width: 1
          },
          label: {
            show: true,
            position: (['insideStartTop', 'insideMiddleTop', 'insideEndTop'] as const)[k % 3],
            color: p.watermark[th.name as 'min' | 'low' | 'high'] ?? p.muted,
            fontSize: 10,
            fontFamily: 'monospace',
            backgroundColor: p.tooltipBg,
            padding: [1, 4],
            borderRadius: 2,
            formatter: `${th.name} ${sig3(th.value)} MiB · ${integer(th.pages)} pages`
          }
        }))
      }
    return s
  })
  series.push(markSeries(ctx))
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: p.text, fontSize: 11 },
    grid: {
      left: 72,
      right: 56,
      top: 24 + rows * LEGEND_ROW_PX,
      bottom: ctx.slider ? 58 : 22,
      outerBoundsMode: 'none'
    },
    legend: {
      show: !isQuiet(spec),
      top: rows ? 22 : 0,
      right: 8,
      ...(rows ? { left: 8 } : {}),
      itemWidth: 14,
      itemHeight: 8,
      itemGap: 12,
      textStyle: { color: p.muted, fontSize: 11, fontFamily: 'monospace' },
      data: spec.lines.map((l) => l.name),
      inactiveColor: p.axis
    },
    tooltip: axisTooltip(p, tooltipFormatter(spec, ctx)),
    xAxis: timeAxis(p, ctx.xMax),
    yAxis: spec.units.map((u, i) => yAxis(u, ctx, i, spec)),
    dataZoom: zoomComponents(p, ZOOM_INSIDE_ID, ZOOM_SLIDER_ID, ctx.slider),
    brush: {
      toolbox: [],
      xAxisIndex: 0,
      brushType: 'lineX',
      brushMode: 'single',
      transformable: false,
      brushStyle: { color: p.brush, borderColor: p.pending, borderWidth: 1 }
    },
    series: series as EChartsOption['series']
  }
}
