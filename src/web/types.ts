import type { z } from "zod"
import type {
  AlternativesBody,
  AlternativesResponse,
  CompareBody,
  CompareResponse,
  EvaluateBody,
  EvaluateResponse,
  ExplainBody,
  ExplainResponse,
  FrontierBody,
  FrontierResponse,
  ProposalDetail,
  ProposalDetails,
  ProposalList,
  RobustnessBody,
  RobustnessResponse,
  ScenarioList,
  ScenarioResponse,
  ScenarioSolveBody,
  ScenarioSolveResponse,
} from "../api/schemas.ts"
import type { RulesPatch } from "../app/rulesPatch.ts"
import type { PackageList, ReopenedPackage, SavePackageInput } from "../app/useCases/savedPackages.ts"
import type {
  ReopenedScenario,
  SavedScenario,
  SaveScenarioInput,
  ScenarioSaveList,
  ScenarioVersions,
} from "../app/useCases/savedScenarios.ts"
import type { RoundConfig } from "../model/round.ts"
import type { PackageEntry } from "../solver/evaluate.ts"
import type { SolveResult } from "../solver/result.ts"
import type { LimitArea, Limits, PaybackRule } from "../solver/rules.ts"

/*
 * The page's view of the REST API: every type is derived from the API's own zod schemas, imported
 * as types only, so that the bundle carries no zod and cannot drift from what the service sends.
 */

export type ProposalListResponse = z.output<typeof ProposalList>
export type ProposalSummary = ProposalListResponse["proposals"][number]
export type ProposalDetailResponse = z.output<typeof ProposalDetail>
export type ProposalDetailsResponse = z.output<typeof ProposalDetails>
export type VariantFigures = ProposalDetailResponse["figures"][number]
export type ScenarioListResponse = z.output<typeof ScenarioList>
export type Scenario = z.output<typeof ScenarioResponse>
export type ScenarioSolveRequest = z.input<typeof ScenarioSolveBody>
export type ScenarioSolveReply = z.output<typeof ScenarioSolveResponse>
export type EvaluateRequest = z.input<typeof EvaluateBody>
export type EvaluateReply = z.output<typeof EvaluateResponse>
export type CompareRequest = z.input<typeof CompareBody>
export type CompareReply = z.output<typeof CompareResponse>
export type FrontierRequest = z.input<typeof FrontierBody>
export type FrontierReply = z.output<typeof FrontierResponse>
export type ExplainRequest = z.input<typeof ExplainBody>
export type ExplainReply = z.output<typeof ExplainResponse>
export type AlternativesRequest = z.input<typeof AlternativesBody>
export type AlternativesReply = z.output<typeof AlternativesResponse>
export type RobustnessRequest = z.input<typeof RobustnessBody>
export type RobustnessReply = z.output<typeof RobustnessResponse>
export type SavePackageRequest = z.input<typeof SavePackageInput>
export type SavedPackageList = z.output<typeof PackageList>
export type SavedPackageReply = z.output<typeof ReopenedPackage>
export type SaveScenarioRequest = z.input<typeof SaveScenarioInput>
export type SavedScenarioList = z.output<typeof ScenarioSaveList>
export type SavedScenarioReply = z.output<typeof SavedScenario>
export type ReopenedScenarioReply = z.output<typeof ReopenedScenario>
export type ScenarioVersionList = z.output<typeof ScenarioVersions>
export type ScenarioVersion = ScenarioVersionList["versions"][number]
export type RulesChange = z.output<typeof RulesPatch>
/** What a DELETE of a saved item answers. */
export interface DeletedReply {
  readonly id: string
  readonly deleted: true
}
export type SolveOutcome = z.output<typeof SolveResult>
export type Round = z.output<typeof RoundConfig>
export type Entry = z.output<typeof PackageEntry>
export type { LimitArea, Limits, PaybackRule }

/** A proposal as the page holds it: the list's headline figures and each variant's full figures. */
export interface PageProposal {
  readonly summary: ProposalSummary
  readonly figures: readonly VariantFigures[]
}
