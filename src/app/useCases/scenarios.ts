import { z } from "zod"
import { Scenario } from "../../solver/scenario.ts"
import type { AppContext } from "../context.ts"

export const ScenarioSummary = Scenario.pick({ id: true, title: true, description: true, compareTo: true })

export const ScenarioList = z.object({
  defaultScenario: z.string(),
  scenarios: z.array(ScenarioSummary).readonly(),
})
export type ScenarioList = z.output<typeof ScenarioList>

/** The named scenarios of the round, and which one applies when none is named. */
export const listScenarios = (ctx: AppContext): ScenarioList => ({
  defaultScenario: ctx.catalog.defaultScenario.id,
  scenarios: ctx.catalog.scenarios.map((s) => ({
    id: s.id,
    title: s.title,
    description: s.description,
    ...(s.compareTo === undefined ? {} : { compareTo: s.compareTo }),
  })),
})

/** One scenario: its rules, sources and assumptions. */
export const scenarioDetail = (ctx: AppContext, id: string): Scenario => ctx.catalog.scenario(id)
