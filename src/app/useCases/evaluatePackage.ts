import { z } from "zod"
import { PackageEntry } from "../../solver/evaluate.ts"
import { Entry, Evaluation } from "../../solver/result.ts"
import { Rules } from "../../solver/rules.ts"
import { type AppContext, runSolverTask } from "../context.ts"
import { mergeRules, RulesPatch } from "../rulesPatch.ts"
import { ScenarioRef, SolveSettings, UNIT, Unit } from "../settings.ts"

/** A hand-picked package under a scenario's rules, with any what-if. */
export const EvaluateInput = z
  .object({
    scenario: z.string().min(1).optional().describe("Whose rules apply (default: the default scenario)"),
    rules: RulesPatch.optional(),
    package: z.array(PackageEntry).readonly().describe("The hand-picked package: one entry per proposal"),
    ...SolveSettings,
  })
  .strict()
export type EvaluateInput = z.output<typeof EvaluateInput>

export const EvaluateOutput = Evaluation.extend({
  scenario: ScenarioRef,
  unit: Unit,
  rules: Rules,
  completionAdds: z.array(Entry).readonly().describe("What the best completion adds to the package"),
})
export type EvaluateOutput = z.output<typeof EvaluateOutput>

/** Does a hand-picked package keep the rules, its totals, its distance to the optimum, its best completion. */
export const evaluatePackage = async (ctx: AppContext, input: EvaluateInput): Promise<EvaluateOutput> => {
  const scenario = ctx.catalog.scenario(input.scenario)
  const rules = mergeRules(scenario.rules, input.rules, ctx.catalog.prices.priceIndex)
  const entries = input.package.map((e) => ({ ...e, proposal: e.proposal.toUpperCase() }))
  const out = await runSolverTask(
    ctx,
    {
      kind: "evaluate",
      rules,
      entries,
      engine: input.engine,
      timeLimitMs: input.timeLimitMs,
      nodeLimit: input.nodeLimit,
    },
    2,
    (_, path) => (path[0] === "package" ? "body" : "body.rules"),
  )
  const e = out.evaluation
  const mine = new Set(entries.map((x) => x.proposal))
  const completionAdds =
    e.completion.status === "optimal" || e.completion.status === "feasible"
      ? e.completion.package.chosen
          .filter((c) => !mine.has(c.proposal))
          .map((c) => ({ proposal: c.proposal, variant: c.variant }))
      : []
  return { scenario: { id: scenario.id, title: scenario.title }, unit: UNIT, rules, ...e, completionAdds }
}
