import type { Handlers } from '../../shared/contract'
import type { AppInfo } from '../../shared/dto'
import { LabError } from '../../shared/errors'
import type { LabContext } from '../context'
import { workersFor } from '../runs/workers'
import {
  checkNotebookPath,
  chooseNotebookPath,
  defaultNotebookPath,
  notebookPathFor
} from '../store/location'

export function appHandlers(ctx: LabContext) {
  const info = (): AppInfo => ({
    appVersion: ctx.appVersion,
    simulatorVersion: ctx.simulatorVersion,
    databasePath: ctx.databasePath,
    schemaVersion: ctx.schemaVersion,
    notebookLocation: ctx.dataDir
      ? { next: notebookPathFor(ctx.dataDir), default: defaultNotebookPath(ctx.dataDir) }
      : null
  })
  return {
    'app:info': info,
    'settings:setNotebookLocation': ({ path }) => {
      if (!ctx.dataDir)
        throw new LabError(
          'invalid',
          'This notebook was opened with --db: choose the file on the command line instead.'
        )
      // The open notebook is already known to be one; any other file is checked before it is kept.
      const checked =
        path === null || path === ctx.databasePath
          ? path
          : checkNotebookPath(path, ctx.schemaVersion, ctx.nativeBinding)
      chooseNotebookPath(ctx.dataDir, checked)
      return info()
    },
    'tag:list': () => ctx.tags.counts(),
    'settings:get': () => ctx.settings.get(),
    'settings:update': (patch) => {
      const next = { ...ctx.settings.get(), ...patch }
      if (next.runOn === 'queue' && !next.redisUrl)
        throw new LabError('invalid', 'A Redis queue needs its URL: enter redis://host:port', [
          { path: 'redisUrl', message: 'enter redis://host:port' }
        ])
      const settings = ctx.settings.update(patch)
      if (patch.workers !== undefined) ctx.runService.setWorkers(workersFor(settings.workers))
      if (patch.runOn !== undefined || patch.redisUrl !== undefined) ctx.runOn(settings)
      return settings
    }
  } satisfies Partial<Handlers>
}
