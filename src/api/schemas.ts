import { z } from "zod"
import { ProposalDetail, ProposalSummary, VariantFigures } from "../app/catalog.ts"
import { RulesPatch } from "../app/rulesPatch.ts"
import { AuditReport } from "../app/useCases/audit.ts"
import { CompareInput, CompareOutput } from "../app/useCases/comparePackages.ts"
import { EvaluateInput, EvaluateOutput } from "../app/useCases/evaluatePackage.ts"
import { ProposalList, ProposalsFilter } from "../app/useCases/proposals.ts"
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

export const IdParams = z.object({ id: z.string().min(1).max(64) }).strict()

export const Health = component(
  z.object({
    status: z.literal("ok"),
    proposals: z.number().int(),
    scenarios: z.number().int(),
    defaultScenario: z.string(),
    solverThreads: z.number().int(),
  }),
  "Health",
)

export {
  AuditReport,
  CompareInput as CompareBody,
  CompareOutput as CompareResponse,
  ErrorResponse,
  EvaluateInput as EvaluateBody,
  EvaluateOutput as EvaluateResponse,
  ProposalDetail,
  ProposalList,
  ProposalsFilter as ProposalsQuery,
  Scenario as ScenarioResponse,
  ScenarioList,
  ScenarioSolveInput as ScenarioSolveBody,
  ScenarioSolveOutput as ScenarioSolveResponse,
  SolveProblemInput as SolveBody,
  SolveProblemOutput as SolveResponse,
}
