/** Timestamps are ISO-8601 strings in UTC. */
export interface ExperimentSummary {
  id: number
  title: string
  tags: string[]
  runCount: number
  createdAt: string
  updatedAt: string
}

export interface Experiment extends ExperimentSummary {
  hypothesis: string
  notes: string
}

export interface SearchHit extends ExperimentSummary {
  /** An excerpt of the matching title or notes, with the hit wrapped in «». */
  snippet: string
}

export interface TagCount {
  name: string
  count: number
}

export interface AppInfo {
  appVersion: string
  simulatorVersion: string
  databasePath: string
  schemaVersion: number
}

export type ThemePreference = 'system' | 'light' | 'dark'

export interface Settings {
  theme: ThemePreference
}
