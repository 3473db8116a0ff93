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
    'settings:update': (patch) => ctx.settings.update(patch)
  } satisfies Partial<Handlers>
}
