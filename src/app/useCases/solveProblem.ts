import { z } from "zod"
import { Proposal, ProposalId } from "../../model/schema.ts"
import { SolveResult } from "../../solver/result.ts"
import { Rules } from "../../solver/rules.ts"
import { type AppContext, runSolverTask } from "../context.ts"
import { InvalidInput, type Issue } from "../errors.ts"
import { RawJson, type WithRaw } from "../rawJson.ts"
import { checkPriceLevel } from "../rulesPatch.ts"
import { SolveSettings, UNIT, Unit } from "../settings.ts"

/** The most variants (options) one problem may have, built-in and new together. */
export const MAX_OPTIONS = 300

/** A whole problem: rules, the round's proposals by id and new ones. */
export const SolveProblemInput = z
  .object({
    rules: Rules.describe(
      "The full rules (fields left out take their defaults: no pool limit, payback ≤ 6 years, the round's pool price level)",
    ),
    proposals: z
      .union([z.literal("all"), z.array(ProposalId).max(200)])
      .default("all")
      .describe('The round\'s proposals by id, or "all" (default); [] for none'),
    inlineProposals: z
      .array(Proposal)
      .max(100)
      .default([])
      .describe("New proposals, in the data files' format (validated like them)"),
    ...SolveSettings,
  })
  .strict()
export type SolveProblemInput = z.output<typeof SolveProblemInput>

export const SolveProblemOutput = z.object({
  unit: Unit,
  proposals: z.array(z.string()).readonly().describe("The proposals the problem was solved over"),
  rules: Rules,
  result: SolveResult,
})
export type SolveProblemOutput = z.output<typeof SolveProblemOutput>

/** The best package for a whole problem given in the input. */
export const solveProblem = async (
  ctx: AppContext,
  input: SolveProblemInput,
): Promise<WithRaw<SolveProblemOutput>> => {
  const { catalog } = ctx
  const issues: Issue[] = []
  const builtIn = input.proposals === "all" ? catalog.proposalIds() : input.proposals
  if (input.proposals !== "all")
    input.proposals.forEach((id, i) => {
      if (!catalog.hasProposal(id))
        issues.push({
          path: `body.proposals[${i}]`,
          message: `unknown proposal ${id}; built-in: ${catalog.proposalIds().join(", ")}`,
        })
    })
  const seen = new Set(builtIn)
  input.inlineProposals.forEach((p, i) => {
    if (seen.has(p.id))
      issues.push({
        path: `body.inlineProposals[${i}].id`,
        message: catalog.hasProposal(p.id)
          ? `${p.id} is also a built-in proposal in "proposals"; list the built-in ids without it to replace it`
          : `${p.id} is in the request twice`,
      })
    seen.add(p.id)
  })
  if (seen.size === 0) issues.push({ path: "body.proposals", message: "no proposals to choose from" })
  const options =
    builtIn.reduce((n, id) => n + (catalog.hasProposal(id) ? catalog.proposal(id).variants.length : 0), 0) +
    input.inlineProposals.reduce((n, p) => n + p.variants.length, 0)
  if (options > MAX_OPTIONS)
    issues.push({
      path: "body.inlineProposals",
      message: `the problem has ${options} variants to choose from; at most ${MAX_OPTIONS} are taken`,
    })
  if (issues.length) throw new InvalidInput(issues)
  const rules = checkPriceLevel(input.rules, catalog.prices.priceIndex)
  const out = await runSolverTask(
    ctx,
    {
      kind: "solve",
      proposals: { builtIn: input.proposals, inline: input.inlineProposals },
      rules,
      engine: input.engine,
      timeLimitMs: input.timeLimitMs,
      nodeLimit: input.nodeLimit,
    },
    1,
    () => "body.rules",
  )
  return {
    unit: UNIT,
    proposals: [...seen].sort(),
    rules,
    result: new RawJson<SolveResult>(out.result),
  }
}
