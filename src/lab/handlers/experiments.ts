import type { Handlers } from '../../shared/contract'
import type { LabContext } from '../context'

export function experimentHandlers({ experiments, events, runs, runService }: LabContext) {
  return {
    'experiment:list': (args) => experiments.list(args),
    'experiment:get': ({ id }) => experiments.get(id),
    'experiment:create': (args) => {
      const created = experiments.create(args)
      events.emit('experiment:changed', { id: created.id, kind: 'created' })
      return created
    },
    'experiment:update': ({ id, ...patch }) => {
      const updated = experiments.update(id, patch)
      events.emit('experiment:changed', { id, kind: 'updated' })
      return updated
    },
    'experiment:setTags': ({ id, tags }) => {
      const updated = experiments.setTags(id, tags)
      events.emit('experiment:changed', { id, kind: 'updated' })
      return updated
    },
    'experiment:duplicate': ({ id }) => {
      const copy = experiments.duplicate(id)
      events.emit('experiment:changed', { id: copy.id, kind: 'created' })
      return copy
    },
    'experiment:delete': ({ id }) => {
      experiments.get(id)
      runService.cancel(runs.unfinishedIn({ experimentId: id }))
      experiments.delete(id)
      events.emit('experiment:changed', { id, kind: 'deleted' })
      return { id }
    }
  } satisfies Partial<Handlers>
}
