/** A chart as a figure file: PNG from the drawn canvas, SVG re-rendered from the same option. */
import type { EChartsOption } from 'echarts'
import { init } from 'echarts/core'

export interface ChartHandle {
  getOption(): unknown
  getDataURL(opts: { type: 'png'; pixelRatio: number; backgroundColor: string }): string
  getWidth(): number
  getHeight(): number
}

/** Drops the interactive parts (slider, brush) a figure has no use for, keeping the zoom. */
function forFigure(option: EChartsOption): EChartsOption {
  const zoom = (Array.isArray(option.dataZoom) ? option.dataZoom : []).map((z) => ({
    ...z,
    show: false
  }))
  return { ...option, animation: false, dataZoom: zoom, brush: undefined, tooltip: { show: false } }
}

export function chartPng(chart: ChartHandle, background: string): string {
  return chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: background })
}

export function chartSvg(chart: ChartHandle, background: string): string {
  const option = forFigure(chart.getOption() as EChartsOption)
  const svg = init(null as unknown as HTMLElement, undefined, {
    renderer: 'svg',
    ssr: true,
    width: chart.getWidth(),
    height: chart.getHeight()
  })
  svg.setOption({ ...option, backgroundColor: background })
  const text = svg.renderToSVGString()
  svg.dispose()
  return text
}
