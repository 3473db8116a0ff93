/** The echarts parts the notebook uses, registered once (canvas on screen, SVG for figure export). */
import {
  BarChart,
  BoxplotChart,
  CustomChart,
  LineChart,
  ParallelChart,
  ScatterChart
} from 'echarts/charts'
import {
  BrushComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  ParallelComponent,
  TooltipComponent
} from 'echarts/components'
import { use } from 'echarts/core'
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers'

use([
  BarChart,
  BoxplotChart,
  CustomChart,
  LineChart,
  ParallelChart,
  ScatterChart,
  ParallelComponent,
  BrushComponent,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  CanvasRenderer,
  SVGRenderer
])

export { connect, disconnect } from 'echarts/core'
