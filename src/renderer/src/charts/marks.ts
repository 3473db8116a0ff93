/** Annotations drawn on a chart: a line for a point in time, an area for a range. */
import type { ChartPalette } from './palette'

export interface Mark {
  tStartS: number
  tEndS: number | null
  text: string
}

export const ANNOTATION_SERIES = 'annotations'

export interface MarkContext {
  palette: ChartPalette
  annotations: Mark[]
  /** The place an annotation is about to be pinned, drawn in the selection colour. */
  pending: Mark | null
}

/** At most 40 characters of an annotation for a chart label. */
export function shortText(text: string, max = 40): string {
  const line = text.split('\n')[0].trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export function markSeries(ctx: MarkContext): Record<string, unknown> {
  const p = ctx.palette
  const all = [...ctx.annotations.map((a) => ({ a, pending: false }))]
  if (ctx.pending) all.push({ a: ctx.pending, pending: true })
  const points = all.filter(({ a }) => a.tEndS === null || a.tEndS === a.tStartS)
  const ranges = all.filter(({ a }) => a.tEndS !== null && a.tEndS !== a.tStartS)
  const colour = (pending: boolean) => (pending ? p.pending : p.annotation)
  return {
    type: 'line',
    name: ANNOTATION_SERIES,
    data: [],
    silent: false,
    tooltip: { show: true },
    markLine: {
      symbol: ['none', 'none'],
      animation: false,
      emphasis: { disabled: true },
      data: points.map(({ a, pending }) => ({
        xAxis: a.tStartS,
        name: a.text,
        lineStyle: { color: colour(pending), type: pending ? 'dashed' : 'solid', width: 1.5 },
        label: {
          show: true,
          position: 'insideEndTop',
          color: colour(pending),
          fontSize: 10,
          formatter: pending ? 'new' : shortText(a.text, 28)
        }
      }))
    },
    markArea: {
      silent: false,
      emphasis: { disabled: true },
      data: ranges.map(({ a, pending }) => [
        {
          xAxis: a.tStartS,
          name: a.text,
          itemStyle: {
            color: pending ? p.brush : p.annotationArea,
            borderColor: colour(pending),
            borderWidth: 1,
            borderType: 'dashed'
          },
          label: {
            show: true,
            position: 'insideTopLeft',
            color: colour(pending),
            fontSize: 10,
            formatter: pending ? 'new' : shortText(a.text, 28)
          }
        },
        { xAxis: a.tEndS }
      ])
    }
  }
}
