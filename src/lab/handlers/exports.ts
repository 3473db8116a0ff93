import type { Handlers } from '../../shared/contract'
import { LabError } from '../../shared/errors'
import { importBundle } from '../bundle/bundle-import'
import { decodeShareCode, encodeShareCode } from '../bundle/share-code'
import type { LabContext } from '../context'

export function exportHandlers({ db, experiments, events }: LabContext) {
  return {
    'bundle:import': ({ text }) => {
      const imported = importBundle(db, text)
      events.emit('experiment:changed', { id: imported.experimentId, kind: 'created' })
      return {
        experiment: experiments.get(imported.experimentId),
        runs: imported.runs,
        annotations: imported.annotations
      }
    },
    'share:encode': ({ id }) => {
      const { scenario, preset } = experiments.get(id)
      if (scenario === null)
        throw new LabError(
          'invalid',
          'This experiment has no scenario yet: choose a preset first.',
          [{ path: 'scenario', message: 'no scenario to share' }]
        )
      return { code: encodeShareCode({ scenario, preset }) }
    },
    'share:import': ({ code }) => {
      const { scenario, preset } = decodeShareCode(code)
      const created = experiments.create({
        title: preset ? `Shared scenario (${preset})` : 'Shared scenario',
        hypothesis: '',
        notes: '',
        tags: [],
        preset,
        scenario
      })
      events.emit('experiment:changed', { id: created.id, kind: 'created' })
      return created
    }
  } satisfies Partial<Handlers>
}
