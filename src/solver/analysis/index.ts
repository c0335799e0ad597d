/**
 * The answers negotiators ask for, over exact re-solves of one compiled problem: the frontier of
 * the optimum over a pool, why each proposal is in or out and the price of each rule, the k best
 * and diverse alternatives with the core index, and robustness under uncertain savings.
 */
export { Alternatives, AlternativesRequest, alternatives, CoreIndex, RankedPackage } from "./alternatives.ts"
export {
  ExplainRequest,
  Explanation,
  explain,
  LimitState,
  OptionExplanation,
  priceOfRules,
  RulePrice,
  RulePrices,
} from "./explain.ts"
export { Frontier, FrontierPool, FrontierRequest, FrontierStep, frontier } from "./frontier.ts"
export { AnalysedPackage } from "./package.ts"
export { AnalysisStopped, ScenarioInfeasible } from "./resolve.ts"
export { Robustness, RobustnessRequest, robustness } from "./robustness.ts"
export { loadUncertainty, Triangular, UncertaintyModel } from "./uncertainty.ts"
