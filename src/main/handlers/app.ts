import { availableParallelism } from 'node:os'
import type { Handlers } from '../../shared/contract'
import type { LabContext } from '../context'

export function appHandlers(ctx: LabContext) {
  return {
    'app:info': () => ({
      appVersion: ctx.appVersion,
      simulatorVersion: ctx.simulatorVersion,
      databasePath: ctx.databasePath,
      schemaVersion: ctx.schemaVersion
    }),
    'tag:list': () => ctx.tags.counts(),
    'settings:get': () => ctx.settings.get(),
    'settings:update': (patch) => {
      const settings = ctx.settings.update(patch)
      if (patch.workers !== undefined)
        ctx.runService.setWorkers(settings.workers ?? availableParallelism())
      return settings
    }
  } satisfies Partial<Handlers>
}
