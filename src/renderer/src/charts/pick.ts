/** What a chart offers to turn a click into a time: echarts' pixel ↔ data conversion. */
interface PixelChart {
  containPixel(finder: { gridIndex: number }, px: number[]): boolean
  convertFromPixel(finder: { gridIndex: number }, px: number[]): unknown
}

/**
 * The simulated time (s, to the millisecond, never negative) under a click in the chart's plot, or
 * null for a click outside it (legend, axis labels, slider).
 */
export function timeAtClick(
  chart: PixelChart | null | undefined,
  e: { offsetX: number; offsetY: number }
): number | null {
  const px = [e.offsetX, e.offsetY]
  if (!chart?.containPixel({ gridIndex: 0 }, px)) return null
  const [t] = chart.convertFromPixel({ gridIndex: 0 }, px) as number[]
  return Number.isFinite(t) ? Math.max(0, Math.round(t * 1000) / 1000) : null
}
