import type { Database } from 'better-sqlite3'
import type { Settings } from '../../../shared/dto'

const DEFAULTS: Settings = { theme: 'system', workers: null, runOn: 'local', redisUrl: null }

export class SettingsRepository {
  constructor(private readonly db: Database) {}

  get(): Settings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as Array<{
      key: string
      value: string
    }>
    const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]))
    return { ...DEFAULTS, ...pick(stored) }
  }

  update(patch: Partial<Settings>): Settings {
    const upsert = this.db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'
    )
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch)) {
        if (value !== undefined) upsert.run(key, JSON.stringify(value))
      }
    })()
    return this.get()
  }
}

function pick(stored: Record<string, unknown>): Partial<Settings> {
  const picked: Partial<Settings> = {}
  const { theme, workers, runOn, redisUrl } = stored
  if (runOn === 'local' || runOn === 'queue') picked.runOn = runOn
  if (redisUrl === null || typeof redisUrl === 'string') picked.redisUrl = redisUrl
  if (theme === 'light' || theme === 'dark' || theme === 'system') picked.theme = theme
  if (
    workers === null ||
    (typeof workers === 'number' && Number.isInteger(workers) && workers > 0)
  ) {
    picked.workers = workers
  }
  return picked
}
