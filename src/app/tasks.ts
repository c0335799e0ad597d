import type { Prices } from "../model/round.ts"
import type { Proposal } from "../model/schema.ts"
import {
  type AlternativesRequest,
  AnalysisStopped,
  alternatives,
  type ExplainRequest,
  explain,
  type FrontierRequest,
  frontier,
  priceOfRules,
  type RobustnessRequest,
  robustness,
  ScenarioInfeasible,
  type UncertaintyModel,
} from "../solver/analysis/index.ts"
import { compare } from "../solver/compare.ts"
import { evaluate, type PackageEntry } from "../solver/evaluate.ts"
import type { Comparison, Engine, Evaluation, PackageFigures, SolveResult } from "../solver/result.ts"
import { solveResultJson } from "../solver/resultJson.ts"
import type { Rules } from "../solver/rules.ts"
import { RuleError, type SolveOptions, solve } from "../solver/solve.ts"

/**
 * The work a use case sends to a solver thread: plain data in, plain data out (structured clone),
 * so a long solve never holds up the event loop. The round is loaded by each worker once; a task
 * names its proposals by id ("all" keeps the one shared array) and carries only new ones.
 */

/** What a solver thread holds: the round's proposals and prices, and the confidential proposals. */
export interface TaskData {
  /** The public proposals. */
  readonly proposals: readonly Proposal[]
  readonly prices: Prices
  /** Used only by tasks that say `confidential: true` (a caller with the grant). */
  readonly confidential?: readonly Proposal[]
}

export interface SolveSettings {
  readonly engine: Engine
  readonly timeLimitMs: number
  /** Include the confidential proposals (set by the caller's pool, never by a request). */
  readonly confidential?: boolean
  /** A deterministic budget of search nodes per solve ("bb" only). */
  readonly nodeLimit?: number | undefined
}

/** How the runner of a task can steer it: asked now and then, true stops the search (see SolveOptions). */
export interface TaskControl {
  readonly shouldStop?: () => boolean
}

/** Which proposals a task is about: built-in ones by id, and new ones sent with the request. */
export interface ProposalSet {
  readonly builtIn: "all" | readonly string[]
  readonly inline: readonly Proposal[]
}

export type Task =
  | (SolveSettings & {
      readonly kind: "solve"
      readonly proposals: ProposalSet
      readonly rules: Rules
      /** Solve these rules too and report the difference (a scenario's `compareTo`). */
      readonly compareRules?: Rules
    })
  | (SolveSettings & {
      readonly kind: "evaluate"
      readonly rules: Rules
      readonly entries: readonly PackageEntry[]
    })
  | (SolveSettings & { readonly kind: "analysis"; readonly rules: Rules; readonly job: AnalysisJob })
  | (SolveSettings & {
      readonly kind: "compare"
      readonly items: readonly {
        readonly label: string
        readonly rules: Rules
        /** A hand-picked package; absent: the optimum under the rules. */
        readonly entries?: readonly PackageEntry[]
      }[]
    })

/** One of the analyses over a scenario's optimum (src/solver/analysis), with its request. */
export type AnalysisJob =
  | { readonly operation: "frontier"; readonly request: FrontierRequest }
  | { readonly operation: "explain"; readonly request: ExplainRequest }
  | { readonly operation: "rulePrices"; readonly request: Record<string, never> }
  | { readonly operation: "alternatives"; readonly request: AlternativesRequest }
  | {
      readonly operation: "robustness"
      readonly request: RobustnessRequest
      readonly uncertainty: UncertaintyModel
    }

/** A compared item as computed: its figures, or why it has none. */
export type ComparedItem =
  | {
      readonly label: string
      readonly kind: "package"
      readonly feasible: boolean
      readonly broken: Evaluation["broken"]
      readonly figures: PackageFigures
    }
  | {
      readonly label: string
      readonly kind: "optimum"
      readonly status: "optimal" | "feasible"
      readonly gap: number
      readonly figures: PackageFigures
    }
  | {
      readonly label: string
      readonly kind: "optimum"
      readonly status: "infeasible" | "timeout"
      readonly result: SolveResult
    }

/** What the event loop needs to know of a solve result without reading all of it. */
export interface SolveSummary {
  readonly status: SolveResult["status"]
  readonly objective: number | null
}

export type TaskOutput =
  | {
      readonly kind: "solve"
      /** The SolveResult as JSON text: made here, sent on as it is (see RawJson). */
      readonly result: string
      readonly summary: SolveSummary
      readonly compare?: SolveSummary
    }
  | { readonly kind: "evaluate"; readonly evaluation: Evaluation }
  | {
      readonly kind: "analysis"
      /** The analysis result (its schema is the operation's), or why there is none. */
      readonly result: unknown
      readonly failure?: { readonly reason: "infeasible" | "stopped"; readonly message: string }
    }
  | {
      readonly kind: "compare"
      readonly items: readonly ComparedItem[]
      readonly comparison: Comparison | null
    }

/** What comes back: the output, or the solver's RuleError issues (which item, for compare). */
export type TaskResult =
  | { readonly ok: true; readonly output: TaskOutput }
  | {
      readonly ok: false
      readonly issues: readonly { readonly path: readonly (string | number)[]; readonly message: string }[]
      readonly item?: number
    }

/** The proposals of a task, from the built-in set and the request. */
const proposalsOf = (builtIn: readonly Proposal[], set: ProposalSet): readonly Proposal[] => {
  if (set.builtIn === "all" && set.inline.length === 0) return builtIn
  const wanted = set.builtIn === "all" ? null : new Set(set.builtIn)
  const chosen = wanted ? builtIn.filter((p) => wanted.has(p.id)) : [...builtIn]
  return [...chosen, ...set.inline].sort((a, b) => a.id.localeCompare(b.id))
}

const summary = (r: SolveResult): SolveSummary => ({
  status: r.status,
  objective: r.status === "optimal" || r.status === "feasible" ? r.objective : null,
})

type RunSettings = SolveOptions & { readonly prices: Prices }

const compareItem = (
  proposals: readonly Proposal[],
  item: Extract<Task, { kind: "compare" }>["items"][number],
  settings: RunSettings,
): ComparedItem => {
  if (item.entries) {
    const e = evaluate(proposals, item.rules, item.entries, settings)
    return { label: item.label, kind: "package", feasible: e.feasible, broken: e.broken, figures: e.package }
  }
  const r = solve(proposals, item.rules, settings)
  if (r.status === "infeasible" || r.status === "timeout")
    return { label: item.label, kind: "optimum", status: r.status, result: r }
  return { label: item.label, kind: "optimum", status: r.status, gap: r.gap, figures: r.package }
}

const withConfidential = new WeakMap<TaskData, readonly Proposal[]>()
/** The proposals a task may use: the public ones, and the confidential ones when it says so. */
const proposalsFor = (data: TaskData, task: Task): readonly Proposal[] => {
  if (!task.confidential || !data.confidential?.length) return data.proposals
  let all = withConfidential.get(data)
  if (!all) {
    all = [...data.proposals, ...data.confidential].sort((a, b) => a.id.localeCompare(b.id))
    withConfidential.set(data, all)
  }
  return all
}

const run = (data: TaskData, task: Task, control: TaskControl): TaskOutput => {
  const { prices } = data
  const builtIn = proposalsFor(data, task)
  const settings: RunSettings = {
    engine: task.engine,
    timeLimitMs: task.timeLimitMs,
    prices,
    ...(task.nodeLimit === undefined ? {} : { nodeLimit: task.nodeLimit }),
    ...(control.shouldStop ? { shouldStop: control.shouldStop } : {}),
  }
  switch (task.kind) {
    case "solve": {
      const proposals = proposalsOf(builtIn, task.proposals)
      const result = solve(proposals, task.rules, settings)
      const out = { kind: "solve" as const, result: solveResultJson(result), summary: summary(result) }
      if (!task.compareRules) return out
      return { ...out, compare: summary(solve(proposals, task.compareRules, settings)) }
    }
    case "evaluate":
      return { kind: "evaluate", evaluation: evaluate(builtIn, task.rules, task.entries, settings) }
    case "analysis":
      return analyse(builtIn, prices, task.rules, task.job)
    case "compare": {
      const items: ComparedItem[] = []
      for (const [i, item] of task.items.entries()) {
        try {
          items.push(compareItem(builtIn, item, settings))
        } catch (e) {
          if (e instanceof RuleError || e instanceof RangeError) throw Object.assign(e, { item: i })
          throw e
        }
      }
      const withFigures = items.flatMap((i) =>
        "figures" in i ? [{ label: i.label, figures: i.figures }] : [],
      )
      return {
        kind: "compare",
        items,
        comparison: withFigures.length === items.length ? compare(withFigures) : null,
      }
    }
  }
}

const analyse = (
  proposals: readonly Proposal[],
  prices: Prices,
  rules: Rules,
  job: AnalysisJob,
): TaskOutput => {
  try {
    const result =
      job.operation === "frontier"
        ? frontier(proposals, rules, job.request, prices)
        : job.operation === "explain"
          ? explain(proposals, rules, job.request, prices)
          : job.operation === "rulePrices"
            ? priceOfRules(proposals, rules, prices)
            : job.operation === "alternatives"
              ? alternatives(proposals, rules, job.request, prices)
              : robustness(proposals, rules, job.uncertainty, job.request, prices)
    return { kind: "analysis", result }
  } catch (e) {
    if (e instanceof ScenarioInfeasible || e instanceof AnalysisStopped)
      return {
        kind: "analysis",
        result: null,
        failure: { reason: e instanceof ScenarioInfeasible ? "infeasible" : "stopped", message: e.message },
      }
    throw e
  }
}

/**
 * Run one task over the round. RuleError (rules naming what does not exist) and RangeError
 * (numbers the solver's exact arithmetic or price index cannot take) become a result the use
 * case reports as invalid input; anything else is a bug and throws.
 */
export const runTask = (data: TaskData, task: Task, control: TaskControl = {}): TaskResult => {
  try {
    return { ok: true, output: run(data, task, control) }
  } catch (e) {
    const item = (e as { item?: number }).item
    const where = item === undefined ? {} : { item }
    if (e instanceof RuleError) return { ok: false, issues: e.issues, ...where }
    if (e instanceof RangeError) return { ok: false, issues: [{ path: [], message: e.message }], ...where }
    throw e
  }
}
