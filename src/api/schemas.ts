import { z } from "zod"
import { ProposalDetail, ProposalSummary, VariantFigures } from "../app/catalog.ts"
import { RulesPatch } from "../app/rulesPatch.ts"
import { KeyInput } from "../app/useCases/admin.ts"
import {
  AlternativesInput,
  AlternativesOutput,
  ExplainInput,
  ExplainOutput,
  FrontierInput,
  FrontierOutput,
  RobustnessInput,
  RobustnessOutput,
} from "../app/useCases/analyseScenario.ts"
import { AuditReport } from "../app/useCases/audit.ts"
import { CompareInput, CompareOutput } from "../app/useCases/comparePackages.ts"
import { EvaluateInput, EvaluateOutput } from "../app/useCases/evaluatePackage.ts"
import { ProposalDetails, ProposalList, ProposalsFilter } from "../app/useCases/proposals.ts"
import { SavePackageInput } from "../app/useCases/savedPackages.ts"
import { SaveScenarioInput } from "../app/useCases/savedScenarios.ts"
import { ScenarioList } from "../app/useCases/scenarios.ts"
import { SolveProblemInput, SolveProblemOutput } from "../app/useCases/solveProblem.ts"
import { ScenarioSolveInput, ScenarioSolveOutput } from "../app/useCases/solveScenario.ts"
import { Finding } from "../model/audit.ts"
import { Proposal } from "../model/schema.ts"
import { PackageEntry } from "../solver/evaluate.ts"
import {
  ChosenVariant,
  Comparison,
  Evaluation,
  PackageFigures,
  RuleItem,
  RuleUse,
  SolveResult,
  Violation,
} from "../solver/result.ts"
import { Rules } from "../solver/rules.ts"
import { Scenario } from "../solver/scenario.ts"
import { ErrorResponse } from "./errors.ts"

/**
 * The REST API's schemas are the application's and the solver's own: this module only names
 * them as OpenAPI components (so the document shows `SolveResult` once, by reference) and adds
 * what only the API needs (path parameters, health, examples).
 */

const component = <T extends z.ZodType>(schema: T, id: string): T => {
  z.globalRegistry.add(schema, { ...z.globalRegistry.get(schema), id })
  return schema
}

for (const [schema, id] of [
  [Proposal, "Proposal"],
  [ProposalSummary, "ProposalSummary"],
  [ProposalDetail, "ProposalDetail"],
  [VariantFigures, "VariantFigures"],
  [Finding, "Finding"],
  [Scenario, "Scenario"],
  [Rules, "Rules"],
  [RulesPatch, "RulesPatch"],
  [PackageEntry, "PackageEntry"],
  [ChosenVariant, "ChosenVariant"],
  [RuleUse, "RuleUse"],
  [RuleItem, "RuleItem"],
  [PackageFigures, "PackageFigures"],
  [SolveResult, "SolveResult"],
  [Violation, "Violation"],
  [Evaluation, "Evaluation"],
  [Comparison, "Comparison"],
  [ErrorResponse, "Error"],
] as const)
  component(schema as z.ZodType, id)

/** The schema with example requests, shown on the docs page and checked by the tests. */
const withExamples = <T extends z.ZodType>(schema: T, examples: readonly z.input<T>[]): T =>
  schema.meta({ ...z.globalRegistry.get(schema), examples: [...examples] }) as T
const withExample = <T extends z.ZodType>(schema: T, example: z.input<T>): T =>
  withExamples(schema, [example])

const id = z.string().min(1).max(64)
export const ProposalIdParams = z.object({ id: id.meta({ examples: ["BC10"] }) }).strict()
export const ScenarioIdParams = z.object({ id: id.meta({ examples: ["bc10-scenario-2"] }) }).strict()

/** The analyses' bodies, each with an example for the OpenAPI document (a bare POST analyses the scenario as it is). */
export const FrontierBody = withExample(FrontierInput, { pool: "service", from: 80000, to: 120000 })
export const ExplainBody = withExample(ExplainInput, {
  proposals: ["BC24", "BC10"],
  rules: { payback: { exempt: ["BC10"] } },
})
export const AlternativesBody = withExample(AlternativesInput, {
  k: 3,
  share: 0.05,
  distance: 3,
  coreShare: 0.02,
})
export const RobustnessBody = withExample(RobustnessInput, {
  draws: 2000,
  seed: 7,
  uncertainty: { BC32: { min: 0.5, mode: 0.8, max: 1 } },
})
export {
  AlternativesOutput as AlternativesResponse,
  ExplainOutput as ExplainResponse,
  FrontierOutput as FrontierResponse,
  RobustnessOutput as RobustnessResponse,
}

export const Health = component(
  z.object({
    status: z.literal("ok"),
    proposals: z.number().int(),
    scenarios: z.number().int(),
    defaultScenario: z.string(),
    solverThreads: z.number().int(),
    solves: z
      .object({ running: z.number().int(), queued: z.number().int() })
      .describe("Solves running on the solver threads and waiting for one, now"),
  }),
  "Health",
)

export const ProposalsQuery = ProposalsFilter.extend({
  committee: withExample(ProposalsFilter.shape.committee, "social"),
  area: withExample(ProposalsFilter.shape.area, "service"),
})

export const ScenarioSolveBody = withExample(ScenarioSolveInput, {
  rules: {
    limits: { service: 120000 },
    locks: [{ proposal: "BC10", variant: "scenario-2" }],
    payback: { exempt: ["BC10"] },
  },
})

export const SolveBody = withExample(SolveProblemInput, {
  rules: { limits: { service: 100000, anlaeg: 87500 } },
  proposals: ["BC05", "BC07", "BC20", "BC34"],
})

export const EvaluateBody = withExample(EvaluateInput, {
  scenario: "ofs-2025-26",
  package: [{ proposal: "BC05" }, { proposal: "BC10", variant: "scenario-2" }],
})

export const CompareBody = withExample(CompareInput, {
  items: [{ scenario: "ofs-2025-26" }, { scenario: "bc10-scenario-2" }],
})

/** Operations whose body may be left out (the server takes none as {}). */
/** Saved work: bodies with examples, and the id of a saved item. */
export const SavePackageBody = withExample(SavePackageInput, {
  name: "Bud 1",
  scenario: "ofs-2025-26",
  package: [{ proposal: "BC05" }, { proposal: "BC10", variant: "scenario-2" }],
  note: "Første bud fra forvaltningen",
})
export const SaveScenarioBody = withExample(SaveScenarioInput, {
  title: "Mere til service",
  basedOn: "ofs-2025-26",
  rules: { limits: { service: 120000 } },
})
export const KeyBody = withExample(KeyInput, { name: "Forhandler A", role: "negotiator" })
export const SavedIdParams = z.object({ id: id.meta({ examples: ["k7m2xq9rtv3p"] }) }).strict()

export const OPTIONAL_BODY: ReadonlySet<string> = new Set([
  "solveScenario",
  "frontier",
  "explain",
  "alternatives",
  "robustness",
])

export {
  AuditReport,
  CompareOutput as CompareResponse,
  ErrorResponse,
  EvaluateOutput as EvaluateResponse,
  ProposalDetail,
  ProposalDetails,
  ProposalList,
  Scenario as ScenarioResponse,
  ScenarioList,
  ScenarioSolveOutput as ScenarioSolveResponse,
  SolveProblemOutput as SolveResponse,
}
