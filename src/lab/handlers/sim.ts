import { z } from 'zod'
import { presets, scenarioSchema, VARIANTS } from '../../sim'
import type { Handlers } from '../../shared/contract'
import type { SimCatalog } from '../../shared/dto'
import { LabError } from '../../shared/errors'
import { issuesText, zodIssues } from '../../shared/zod-issues'
import type { LabContext } from '../context'

/** Presets with every default applied, so the editor shows (and diffs against) full scenarios. */
function catalog(simulatorVersion: string): SimCatalog {
  return {
    simulatorVersion,
    presets: presets.map((p) => ({
      name: p.name,
      description: p.description,
      sources: p.sources,
      scenario: scenarioSchema.parse(p.scenario)
    })),
    variants: Object.entries(VARIANTS).map(([name, v]) => ({
      name,
      description: v.description,
      source: v.source,
      knownBugs: v.knownBugs,
      defaults: v.defaults && { ...v.defaults }
    }))
  }
}

export function simHandlers(ctx: LabContext) {
  let cached: SimCatalog | undefined
  return {
    'sim:catalog': () => (cached ??= catalog(ctx.simulatorVersion)),
    'experiment:setScenario': ({ id, preset, scenario }) => {
      if (preset !== null && !presets.some((p) => p.name === preset)) {
        throw new LabError('invalid', `Unknown preset ${preset}`, [
          { path: 'preset', message: 'unknown preset' }
        ])
      }
      const parsed = scenarioSchema.safeParse(scenario)
      if (!parsed.success) throw scenarioInvalid(parsed.error)
      const updated = ctx.experiments.setScenario(id, preset, parsed.data)
      ctx.events.emit('experiment:changed', { id, kind: 'updated' })
      return updated
    }
  } satisfies Partial<Handlers>
}

function scenarioInvalid(error: z.ZodError): LabError {
  const issues = zodIssues(error, ['scenario'])
  return new LabError('invalid', `The scenario is not valid: ${issuesText(issues)}`, issues)
}
