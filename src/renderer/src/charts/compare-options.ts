/** The echarts option of one compare chart: groups overlaid, CI bands, per-seed lines on demand. */
import type { EChartsOption } from 'echarts'
import { smoothingText, type CompareSeriesMetric, type GroupBand } from './compare-series'
import { simTime } from './format'
import { ANNOTATION_SERIES, escapeHtml, markSeries, type Mark } from './marks'
import { axisTooltip, timeAxis, zoomComponents } from './options'
import type { ChartPalette } from './palette'
import type { Point } from './series'
import { axisLabel, formatValue } from './units'

export interface CompareOptionContext {
  palette: ChartPalette
  showSeeds: boolean
  annotations: Mark[]
  xMax: number
  slider: boolean
  /** The rolling mean's window in seconds (0: none), stated in the legend and the tooltip. */
  smoothingS: number
}

/** The mean line's name: the group, and the smoothing when there is some. */
export function lineName(b: GroupBand, smoothingS: number): string {
  const smooth = smoothingText(smoothingS)
  return smooth ? `${b.label} (${smooth})` : b.label
}

const BAND_OPACITY = 0.24

export const COMPARE_ZOOM_ID = 'compare-zoom'

const pairs = (t: number[], data: Point[]) => t.map((x, i) => [x, data[i] ?? null])
const BAND = ' 95% CI'

/** The 95% band: a stacked area from lo to hi, its edges drawn thin in the group's dash. */
function bandSeries(b: GroupBand): Record<string, unknown>[] {
  if (!b.t_s || b.seeds.length < 2) return []
  const width = b.hi.map((h, i) => (h === null || b.lo[i] === null ? null : h - b.lo[i]!))
  const common = {
    type: 'line',
    stack: `band:${b.key}`,
    showSymbol: false,
    silent: true,
    lineStyle: { width: 0.7, opacity: 0.55, type: b.dash ?? 'solid' },
    emphasis: { disabled: true },
    tooltip: { show: false },
    z: b.baseline ? 1 : 2
  }
  return [
    { ...common, name: `${b.label}${BAND} lo`, data: pairs(b.t_s, b.lo), color: b.color },
    {
      ...common,
      name: `${b.label}${BAND}`,
      data: pairs(b.t_s, width),
      color: b.color,
      areaStyle: { color: b.color, opacity: BAND_OPACITY }
    }
  ]
}

function lineSeries(b: GroupBand, ctx: CompareOptionContext): Record<string, unknown>[] {
  const seeds = ctx.showSeeds || !b.t_s ? b.seeds : []
  const dash = b.dash ?? 'solid'
  const out: Record<string, unknown>[] = seeds.map((s) => ({
    type: 'line',
    name: b.t_s ? `${b.label} seed ${s.seed}` : lineName(b, ctx.smoothingS),
    data: pairs(s.t_s, s.data),
    color: b.color,
    symbol: 'none',
    sampling: 'lttb',
    lineStyle: { width: b.t_s ? 0.7 : 1.6, opacity: b.t_s ? 0.45 : 1, type: dash },
    emphasis: { disabled: true },
    z: 1
  }))
  // The baseline goes under the others, wider, so an equal line drawn over it leaves it visible.
  if (b.t_s)
    out.push({
      type: 'line',
      name: lineName(b, ctx.smoothingS),
      data: pairs(b.t_s, b.mean),
      color: b.color,
      // No symbol, so the legend's sample is the line and its dash alone.
      symbol: 'none',
      sampling: 'lttb',
      lineStyle: { width: b.baseline ? 3 : 1.8, type: dash },
      emphasis: { disabled: true },
      z: b.baseline ? 3 : 4
    })
  return out
}

function tooltip(metric: CompareSeriesMetric, bands: GroupBand[], ctx: CompareOptionContext) {
  return (params: unknown): string => {
    const first = (Array.isArray(params) ? params : [params])[0] as
      { value?: [number, number | null] } | undefined
    const t = first?.value?.[0]
    if (t === undefined) return ''
    const rows = bands.map((b) => {
      const grid = b.t_s ?? b.seeds[0]?.t_s ?? []
      const i = nearest(grid, t)
      const v = b.t_s ? b.mean[i] : b.seeds[0]?.data[i]
      if (v === null || v === undefined) return ''
      const ci =
        b.t_s && b.seeds.length > 1 && b.lo[i] !== null
          ? ` <span style="opacity:.7">[${axisLabel(b.lo[i]!, metric.unit)}, ${axisLabel(b.hi[i]!, metric.unit)}]</span>`
          : ''
      return (
        `<div style="display:flex;gap:12px;justify-content:space-between">` +
        `<span><span style="color:${b.color}">●</span> ${escapeHtml(b.label)}</span>` +
        `<b>${formatValue(v, metric.unit)}${ci}</b></div>`
      )
    })
    const notes = ctx.annotations
      .filter((a) =>
        a.tEndS === null ? Math.abs(a.tStartS - t) < ctx.xMax / 200 : a.tStartS <= t && t <= a.tEndS
      )
      .map((a) => `<div style="color:${ctx.palette.annotation}">✎ ${escapeHtml(a.text)}</div>`)
    return (
      `<div style="font-family:var(--rl-mono);font-size:11px">` +
      `<div style="opacity:.7">t = ${simTime(t)} · mean [95% CI]${ctx.smoothingS > 0 ? ` · ${smoothingText(ctx.smoothingS)}` : ''}</div>${rows.join('')}${notes.join('')}</div>`
    )
  }
}

function nearest(t: number[], x: number): number {
  let lo = 0
  let hi = t.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (t[mid] < x) lo = mid + 1
    else hi = mid
  }
  return lo > 0 && Math.abs(t[lo - 1] - x) < Math.abs(t[lo] - x) ? lo - 1 : lo
}

export function buildCompareOption(
  metric: CompareSeriesMetric,
  bands: GroupBand[],
  ctx: CompareOptionContext
): EChartsOption {
  const p = ctx.palette
  let peak = 0
  for (const b of bands)
    for (const v of b.t_s ? b.hi : b.seeds.flatMap((s) => s.data)) peak = Math.max(peak, v ?? 0)
  const fullScale = metric.unit === 'pct' && peak > 50
  const series = [
    ...bands.flatMap(bandSeries),
    ...bands.flatMap((b) => lineSeries(b, ctx)),
    markSeries({ palette: p, annotations: ctx.annotations, pending: null })
  ]
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: p.text, fontSize: 11 },
    grid: { left: 72, right: 24, top: 26, bottom: ctx.slider ? 58 : 22, outerBoundsMode: 'none' },
    // Display only (the legend above the charts shows, hides and isolates groups); kept beside the
    // title and its PNG / SVG buttons (12 px bold, about 7 px a character), and in exported figures.
    // Its samples show each group's dash.
    legend: {
      type: 'scroll',
      top: 0,
      left: metric.title.length * 7 + 120,
      right: 8,
      itemWidth: 26,
      itemHeight: 8,
      // The line's dash is the sample; no symbol on it.
      itemStyle: { opacity: 0 },
      selectedMode: false,
      textStyle: { color: p.muted, fontSize: 11, fontFamily: 'monospace' },
      pageTextStyle: { color: p.muted },
      data: bands.map((b) => lineName(b, ctx.smoothingS))
    },
    tooltip: axisTooltip(p, tooltip(metric, bands, ctx)),
    xAxis: timeAxis(p, ctx.xMax),
    yAxis: {
      type: 'value',
      min: 0,
      // Shares of time end at 100%, however the per-sample noise rounds; ticks every 25% then, so
      // the top label is not squeezed against the one below it ("90%" under "100%").
      max: fullScale ? 100 : undefined,
      interval: fullScale ? 25 : undefined,
      splitNumber: 3,
      axisLabel: {
        color: p.muted,
        fontSize: 10,
        fontFamily: 'monospace',
        hideOverlap: true,
        formatter: (v: number) => axisLabel(v, metric.unit)
      },
      splitLine: { lineStyle: { color: p.split } }
    },
    dataZoom: zoomComponents(
      p,
      `${COMPARE_ZOOM_ID}-inside`,
      `${COMPARE_ZOOM_ID}-slider`,
      ctx.slider
    ),
    series: series.filter(
      (s) => s.name !== ANNOTATION_SERIES || ctx.annotations.length
    ) as EChartsOption['series']
  }
}
