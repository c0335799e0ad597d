import { existsSync } from "node:fs"
import { join } from "node:path"
import { z } from "zod"
import { ProposalId } from "../../model/schema.ts"
import {
  Alternatives,
  AlternativesRequest,
  Explanation,
  Frontier,
  FrontierRequest,
  loadUncertainty,
  Robustness,
  RobustnessRequest,
  RulePrices,
  type UncertaintyModel,
} from "../../solver/analysis/index.ts"
import { Rules } from "../../solver/rules.ts"
import type { Catalog } from "../catalog.ts"
import { type AppContext, runSolverTask } from "../context.ts"
import { InvalidInput, type Issue, NoAnswer } from "../errors.ts"
import { mergeRules, RulesPatch } from "../rulesPatch.ts"
import { ScenarioRef, TIME_LIMIT_MAX_MS } from "../settings.ts"
import type { AnalysisJob } from "../tasks.ts"

const whatIf = { rules: RulesPatch.optional() }

export const FrontierInput = z
  .object({ ...whatIf, ...FrontierRequest.shape })
  .strict()
  .describe("Which pool to vary and over which range, and a what-if over the scenario's rules")
export type FrontierInput = z.input<typeof FrontierInput>

export const ExplainInput = z
  .object({
    ...whatIf,
    proposals: z
      .array(ProposalId)
      .max(100)
      .optional()
      .describe("Explain only these proposals (default: all)"),
  })
  .strict()
  .describe("A what-if over the scenario's rules, and which proposals to explain")
export type ExplainInput = z.input<typeof ExplainInput>

export const AlternativesInput = z
  .object({ ...whatIf, ...AlternativesRequest.shape })
  .strict()
  .describe("How many alternatives, how diverse, the core index's share, and a what-if")
export type AlternativesInput = z.input<typeof AlternativesInput>

export const RobustnessInput = z
  .object({ ...whatIf, ...RobustnessRequest.shape })
  .strict()
  .describe("Draws, seed, per-proposal uncertainty overrides, and a what-if")
export type RobustnessInput = z.input<typeof RobustnessInput>

export const RulePricesInput = z.object(whatIf).strict()
export type RulePricesInput = z.input<typeof RulePricesInput>

const answer = <T extends z.ZodType>(result: T) =>
  z.object({
    scenario: ScenarioRef,
    rules: Rules.describe("The rules analysed: the scenario's with the overrides merged in"),
    result,
  })
export const FrontierOutput = answer(Frontier)
export type FrontierOutput = z.output<typeof FrontierOutput>
export const ExplainOutput = answer(Explanation)
export type ExplainOutput = z.output<typeof ExplainOutput>
export const AlternativesOutput = answer(Alternatives)
export type AlternativesOutput = z.output<typeof AlternativesOutput>
export const RobustnessOutput = answer(Robustness)
export type RobustnessOutput = z.output<typeof RobustnessOutput>
export const RulePricesOutput = answer(RulePrices)
export type RulePricesOutput = z.output<typeof RulePricesOutput>

/** The scenario's rules cannot all hold: there is no optimum to analyse. */
export class NoOptimum extends NoAnswer {
  constructor(readonly scenario: string) {
    super(
      `no package keeps every rule of the scenario, so there is no optimum to analyse; POST /scenarios/${scenario}/solve names the conflict`,
    )
  }
}

/** The round has no uncertainty model (`uncertainty.json`). */
export class NoUncertaintyModel extends NoAnswer {
  constructor() {
    super("this round has no uncertainty model (uncertainty.json)")
  }
}

const parsed = <T extends z.ZodType>(schema: T, input: unknown): z.output<T> => {
  const r = schema.safeParse(input)
  if (!r.success) throw InvalidInput.fromZod(r.error, "body")
  return r.data
}

const models = new WeakMap<Catalog, UncertaintyModel>()
/** The round's uncertainty model (`uncertainty.json` beside its proposals), read once. */
const uncertaintyOf = (catalog: Catalog): UncertaintyModel => {
  let m = models.get(catalog)
  if (!m) {
    const file = join(catalog.round.dir, "uncertainty.json")
    if (!existsSync(file)) throw new NoUncertaintyModel()
    m = loadUncertainty(file)
    models.set(catalog, m)
  }
  return m
}

const unknownProposals = (
  catalog: Catalog,
  ids: readonly string[],
  path: (i: number, id: string) => string,
) =>
  ids.flatMap((id, i): Issue[] =>
    catalog.hasProposal(id)
      ? []
      : [
          {
            path: path(i, id),
            message: `unknown proposal ${id}; known: ${catalog.proposalIds().join(", ")}`,
          },
        ],
  )

/** Run one analysis of a scenario (with the what-if merged in) on a solver thread. */
const analyse = async (ctx: AppContext, id: string, patch: RulesPatch | undefined, job: AnalysisJob) => {
  const { catalog } = ctx
  const scenario = catalog.scenario(id)
  const rules = mergeRules(scenario.rules, patch, catalog.prices.priceIndex)
  const out = await runSolverTask(
    ctx,
    { kind: "analysis", rules, job, engine: "bb", timeLimitMs: TIME_LIMIT_MAX_MS },
    2,
    (_, path) => (path[0] === "pool" || path.length === 0 ? "body" : "body.rules"),
  )
  if (out.failure)
    throw out.failure.reason === "infeasible" ? new NoOptimum(scenario.id) : new NoAnswer(out.failure.message)
  return { scenario: { id: scenario.id, title: scenario.title }, rules, result: out.result }
}

/** The frontier of the optimum over a pool: every step, proven, and the value of more pool. */
export const frontierOfScenario = async (
  ctx: AppContext,
  id: string,
  input: FrontierInput,
): Promise<FrontierOutput> => {
  const { rules: patch, ...request } = parsed(FrontierInput, input)
  return (await analyse(ctx, id, patch, { operation: "frontier", request })) as FrontierOutput
}

/** Why each proposal is in or out, the price of each rule, and each limit's value. */
export const explainScenario = async (
  ctx: AppContext,
  id: string,
  input: ExplainInput,
): Promise<ExplainOutput> => {
  const { rules: patch, proposals } = parsed(ExplainInput, input)
  const issues = unknownProposals(ctx.catalog, proposals ?? [], (i) => `body.proposals[${i}]`)
  if (issues.length) throw new InvalidInput(issues)
  const request = proposals ? { proposals: proposals.map((p) => ctx.catalog.proposal(p).id) } : {}
  return (await analyse(ctx, id, patch, { operation: "explain", request })) as ExplainOutput
}

/** Only the price of each rule (for a short list beside a solve). */
export const rulePricesOfScenario = async (
  ctx: AppContext,
  id: string,
  input: RulePricesInput,
): Promise<RulePricesOutput> => {
  const { rules: patch } = parsed(RulePricesInput, input)
  return (await analyse(ctx, id, patch, { operation: "rulePrices", request: {} })) as RulePricesOutput
}

/** The k best packages, diverse alternatives and the core index. */
export const alternativesOfScenario = async (
  ctx: AppContext,
  id: string,
  input: AlternativesInput,
): Promise<AlternativesOutput> => {
  const { rules: patch, ...request } = parsed(AlternativesInput, input)
  return (await analyse(ctx, id, patch, { operation: "alternatives", request })) as AlternativesOutput
}

/** Monte Carlo over the uncertain savings, with an exact re-solve per draw. */
export const robustnessOfScenario = async (
  ctx: AppContext,
  id: string,
  input: RobustnessInput,
): Promise<RobustnessOutput> => {
  const { rules: patch, ...request } = parsed(RobustnessInput, input)
  const issues = unknownProposals(
    ctx.catalog,
    Object.keys(request.uncertainty),
    (_, p) => `body.uncertainty.${p}`,
  )
  if (issues.length) throw new InvalidInput(issues)
  const uncertainty = uncertaintyOf(ctx.catalog)
  return (await analyse(ctx, id, patch, {
    operation: "robustness",
    request,
    uncertainty,
  })) as RobustnessOutput
}
