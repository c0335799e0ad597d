import { z } from "zod"
import { SolveResult } from "../../solver/result.ts"
import { Rules } from "../../solver/rules.ts"
import type { Scenario } from "../../solver/scenario.ts"
import { type AppContext, runSolverTask } from "../context.ts"
import { RawJson, type WithRaw } from "../rawJson.ts"
import { mergeRules, RulesPatch } from "../rulesPatch.ts"
import { ScenarioRef, SolveSettings, UNIT, Unit } from "../settings.ts"

/** Solve a named scenario, with any rule or limit overridden. */
export const ScenarioSolveInput = z
  .object({ rules: RulesPatch.optional(), ...SolveSettings })
  .strict()
  .describe("Optional: a what-if over the scenario's rules, and solver settings")
export type ScenarioSolveInput = z.output<typeof ScenarioSolveInput>

export const ScenarioSolveOutput = z.object({
  scenario: ScenarioRef,
  unit: Unit,
  rules: Rules.describe("The rules solved: the scenario's with the overrides merged in"),
  result: SolveResult,
  compareTo: z
    .object({
      scenario: ScenarioRef,
      status: z.enum(["optimal", "feasible", "infeasible", "timeout"]),
      objective: z.number().nullable(),
      difference: z
        .number()
        .nullable()
        .describe("This objective minus the other scenario's: the price of the political choice (per year)"),
      overridesApplied: z.boolean().describe("Whether the overrides were applied to it too"),
    })
    .optional(),
})
export type ScenarioSolveOutput = z.output<typeof ScenarioSolveOutput>

const ref = (s: Scenario) => ({ id: s.id, title: s.title })

/**
 * The best package under a scenario's rules with the what-if merged in; when the scenario names
 * another to compare to, that one is solved too (with the same what-if) and the difference given.
 * The result is JSON text made in the solver thread (see RawJson).
 */
export const solveScenario = async (
  ctx: AppContext,
  id: string,
  input: ScenarioSolveInput,
): Promise<WithRaw<ScenarioSolveOutput>> => {
  const { catalog } = ctx
  const index = catalog.prices.priceIndex
  const scenario = catalog.scenario(id)
  const rules = mergeRules(scenario.rules, input.rules, index)
  const other = scenario.compareTo === undefined ? undefined : catalog.scenario(scenario.compareTo)
  const compareRules = other ? mergeRules(other.rules, input.rules, index) : undefined
  const out = await runSolverTask(
    ctx,
    {
      kind: "solve",
      proposals: { builtIn: "all", inline: [] },
      rules,
      ...(compareRules ? { compareRules } : {}),
      engine: input.engine,
      timeLimitMs: input.timeLimitMs,
      nodeLimit: input.nodeLimit,
    },
    other ? 2 : 1,
    () => "body.rules",
  )
  const result = new RawJson<SolveResult>(out.result)
  const base = { scenario: ref(scenario), unit: UNIT, rules, result }
  if (!other || !out.compare) return base
  const mine = out.summary.objective
  const theirs = out.compare.objective
  return {
    ...base,
    compareTo: {
      scenario: ref(other),
      status: out.compare.status,
      objective: theirs,
      difference: mine === null || theirs === null ? null : mine - theirs,
      overridesApplied: input.rules !== undefined,
    },
  }
}
