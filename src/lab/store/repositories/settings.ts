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

  /** The port serve mode last listened on for this notebook: the next serve asks for it first. */
  servePort(): number | null {
    const row = this.db.prepare("SELECT value FROM settings WHERE key = 'servePort'").get() as
      { value: string } | undefined
    const port = row ? (JSON.parse(row.value) as unknown) : null
    return typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536
      ? port
      : null
  }

  rememberServePort(port: number): void {
    this.db
      .prepare(
        "INSERT INTO settings (key, value) VALUES ('servePort', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
      )
      .run(JSON.stringify(port))
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
