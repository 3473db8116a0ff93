import type { Database } from 'better-sqlite3'
import { LabError } from '../../shared/errors'
import type { Migration } from './migrations'

export interface MigrationResult {
  from: number
  to: number
  backupPath?: string
}

/**
 * Brings the schema to the newest migration: one transaction per file, tracked in
 * `PRAGMA user_version`. An existing database is copied (VACUUM INTO) before it is changed, and a
 * database written by a newer app is refused rather than guessed at.
 */
export function migrate(
  db: Database,
  migrations: Migration[],
  backupPathFor: (fromVersion: number) => string | undefined
): MigrationResult {
  const latest = migrations.length
  const from = db.pragma('user_version', { simple: true }) as number
  if (from > latest) {
    throw new LabError(
      'storage',
      `The database ${db.name} has schema version ${from}, newer than this Reclaim Lab understands ` +
        `(${latest}). Open it with a newer Reclaim Lab, or choose another database.`
    )
  }
  if (from === latest) return { from, to: from }

  let backupPath: string | undefined
  if (from > 0) {
    backupPath = backupPathFor(from)
    if (backupPath) db.prepare('VACUUM INTO ?').run(backupPath)
  }

  for (const migration of migrations.slice(from)) {
    const apply = db.transaction(() => {
      db.exec(migration.sql)
      db.pragma(`user_version = ${migration.version}`)
    })
    try {
      apply()
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      throw new LabError(
        'storage',
        `Migration ${migration.name} failed on ${db.name}: ${reason}. ` +
          `The database was left at schema version ${migration.version - 1}` +
          (backupPath ? `; a copy from before the upgrade is at ${backupPath}.` : '.')
      )
    }
  }
  return { from, to: latest, backupPath }
}
