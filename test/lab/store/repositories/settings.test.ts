import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../src/lab/store/database'
import { SettingsRepository } from '../../../../src/lab/store/repositories/settings'
import { MIGRATIONS_DIR } from '../../../helpers/tmp'

describe('SettingsRepository', () => {
  it("remembers serve mode's last port beside the settings, without showing it among them", () => {
    const { db } = openDatabase(':memory:', { migrationsDir: MIGRATIONS_DIR })
    const settings = new SettingsRepository(db)
    expect(settings.servePort()).toBeNull()
    settings.rememberServePort(41234)
    settings.rememberServePort(41235)
    expect(settings.servePort()).toBe(41235)
    expect(settings.get()).toEqual({
      theme: 'system',
      workers: null,
      runOn: 'local',
      redisUrl: null
    })
    // A value no port can be (edited by hand) is ignored rather than tried.
    db.prepare("UPDATE settings SET value = '70000' WHERE key = 'servePort'").run()
    expect(settings.servePort()).toBeNull()
  })
})
