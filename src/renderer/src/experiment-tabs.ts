/** The experiment page's tabs in order (Alt+1…4); the page keeps the open one in `?tab=`. */
export const EXPERIMENT_TABS = ['notes', 'scenario', 'runs', 'compare'] as const
export type ExperimentTab = (typeof EXPERIMENT_TABS)[number]

export function asExperimentTab(value: unknown): ExperimentTab | null {
  return EXPERIMENT_TABS.find((t) => t === value) ?? null
}
