export { parseObserved, type ObservedInput, type ObservedRun } from './observed-run'
export { isGauge } from './counters'
export { observedMetrics } from './metrics'
