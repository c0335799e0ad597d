import type { z } from "zod"
import type { PackageEntry } from "../solver/evaluate.ts"
import type { Rules } from "../solver/rules.ts"
import type { Scenario } from "../solver/scenario.ts"
import type { Catalog } from "./catalog.ts"
import { ApiError, badRequest, formatPath, type Issue } from "./errors.ts"
import { RawJson, type WithRaw } from "./json.ts"
import { checkRequestRules, mergeRules } from "./overrides.ts"
import type { SolverPool } from "./pool.ts"
import type {
  CompareBody,
  CompareResponse,
  EvaluateBody,
  EvaluateResponse,
  ScenarioSolveBody,
  ScenarioSolveResponse,
  SolveBody,
  SolveResponse,
  SolveResult,
} from "./schemas.ts"
import type { SolveSettings, Task, TaskOutput, TaskResult } from "./tasks.ts"

/**
 * The API's use cases: turn a validated request into a solver task (merging a scenario's rules
 * with the request's overrides), run it on the pool, and shape the answer. No domain logic here:
 * the figures come from src/model and src/solver.
 */

const UNIT = "1.000 kr." as const

/** The backstop for a task of `solves` solves: generous, since a conflict explanation re-solves per rule. */
const hardLimit = (s: SolveSettings, solves: number) => Math.max(10_000, s.timeLimitMs * solves * 3 + 5000)

type RuleIssues = Extract<TaskResult, { ok: false }>["issues"]

/** The solver's RuleError issues as 400, each path under the request field it came from. */
const ruleError = (issues: RuleIssues, prefixOf: (path: readonly (string | number)[]) => string) =>
  badRequest(
    issues.map((i): Issue => {
      const prefix = prefixOf(i.path)
      return { path: formatPath(i.path, prefix), message: i.message }
    }),
  )

const ref = (s: Scenario) => ({ id: s.id, title: s.title })

export class Service {
  constructor(
    readonly catalog: Catalog,
    readonly pool: SolverPool,
  ) {}

  private async run<K extends TaskOutput["kind"]>(
    task: Task & { kind: K },
    solves: number,
    onIssues: (r: Extract<TaskResult, { ok: false }>) => ApiError,
  ): Promise<Extract<TaskOutput, { kind: K }>> {
    const r = await this.pool.run(task, hardLimit(task, solves))
    if (!r.ok) throw onIssues(r)
    return r.output as Extract<TaskOutput, { kind: K }>
  }

  /** POST /scenarios/:id/solve: the scenario's optimum under the request's what-if. */
  async solveScenario(
    id: string,
    body: z.output<typeof ScenarioSolveBody>,
  ): Promise<WithRaw<z.output<typeof ScenarioSolveResponse>>> {
    const scenario = this.catalog.scenario(id)
    const rules = mergeRules(scenario.rules, body.rules)
    const other = scenario.compareTo === undefined ? undefined : this.catalog.scenario(scenario.compareTo)
    const compareRules = other ? mergeRules(other.rules, body.rules) : undefined
    const out = await this.run(
      {
        kind: "solve",
        proposals: { builtIn: "all", inline: [] },
        rules,
        ...(compareRules ? { compareRules } : {}),
        engine: body.engine,
        timeLimitMs: body.timeLimitMs,
      },
      other ? 2 : 1,
      (e) => ruleError(e.issues, () => "body.rules"),
    )
    const result = new RawJson<z.output<typeof SolveResult>>(out.result)
    if (!other || !out.compare) return { scenario: ref(scenario), unit: UNIT, rules, result }
    const mine = out.summary.objective
    const theirs = out.compare.objective
    return {
      scenario: ref(scenario),
      unit: UNIT,
      rules,
      result,
      compareTo: {
        scenario: ref(other),
        status: out.compare.status,
        objective: theirs,
        difference: mine === null || theirs === null ? null : mine - theirs,
        overridesApplied: body.rules !== undefined,
      },
    }
  }

  /** POST /solve: a whole problem from the request (built-in proposals by id and new ones inline). */
  async solve(body: z.output<typeof SolveBody>): Promise<WithRaw<z.output<typeof SolveResponse>>> {
    const issues: Issue[] = []
    const builtIn = body.proposals === "all" ? this.catalog.proposalIds() : body.proposals
    if (body.proposals !== "all")
      body.proposals.forEach((id, i) => {
        if (!this.catalog.hasProposal(id))
          issues.push({
            path: `body.proposals[${i}]`,
            message: `unknown proposal ${id}; built-in: ${this.catalog.proposalIds().join(", ")}`,
          })
      })
    const seen = new Set(builtIn)
    body.inlineProposals.forEach((p, i) => {
      if (seen.has(p.id))
        issues.push({
          path: `body.inlineProposals[${i}].id`,
          message: this.catalog.hasProposal(p.id)
            ? `${p.id} is also a built-in proposal in "proposals"; list the built-in ids without it to replace it`
            : `${p.id} is in the request twice`,
        })
      seen.add(p.id)
    })
    if (seen.size === 0) issues.push({ path: "body.proposals", message: "no proposals to choose from" })
    if (issues.length) throw badRequest(issues)
    checkRequestRules(body.rules)
    const out = await this.run(
      {
        kind: "solve",
        proposals: { builtIn: body.proposals, inline: body.inlineProposals },
        rules: body.rules,
        engine: body.engine,
        timeLimitMs: body.timeLimitMs,
      },
      1,
      (e) => ruleError(e.issues, () => "body.rules"),
    )
    return {
      unit: UNIT,
      proposals: [...seen].sort(),
      rules: body.rules,
      result: new RawJson<z.output<typeof SolveResult>>(out.result),
    }
  }

  /** POST /evaluate: a hand-picked package under a scenario's rules. */
  async evaluate(body: z.output<typeof EvaluateBody>): Promise<z.output<typeof EvaluateResponse>> {
    const scenario = this.catalog.scenario(body.scenario)
    const rules = mergeRules(scenario.rules, body.rules)
    const entries = body.package.map((e) => ({ ...e, proposal: e.proposal.toUpperCase() }))
    const out = await this.run(
      { kind: "evaluate", rules, entries, engine: body.engine, timeLimitMs: body.timeLimitMs },
      2,
      (e) => ruleError(e.issues, (path) => (path[0] === "package" ? "body" : "body.rules")),
    )
    const e = out.evaluation
    const mine = new Set(entries.map((x) => x.proposal))
    const completionAdds =
      e.completion.status === "optimal" || e.completion.status === "feasible"
        ? e.completion.package.chosen
            .filter((c) => !mine.has(c.proposal))
            .map((c) => ({ proposal: c.proposal, variant: c.variant }))
        : []
    return {
      scenario: ref(scenario),
      unit: UNIT,
      rules,
      feasible: e.feasible,
      broken: e.broken,
      package: e.package,
      optimum: e.optimum,
      againstOptimum: e.againstOptimum,
      completion: e.completion,
      completionAdds,
    }
  }

  /** POST /compare: packages and scenario optima side by side, against the first. */
  async compare(body: z.output<typeof CompareBody>): Promise<z.output<typeof CompareResponse>> {
    const items = body.items.map((item, i) => {
      const scenario = this.catalog.scenario(item.scenario)
      const rules: Rules = mergeRules(scenario.rules, item.rules, `body.items[${i}].rules`)
      const entries: PackageEntry[] | undefined = item.package?.map((e) => ({
        ...e,
        proposal: e.proposal.toUpperCase(),
      }))
      const label = item.label ?? (entries ? `package ${i + 1}` : scenario.id)
      return { label, rules, ...(entries ? { entries } : {}) }
    })
    const solves = items.reduce((s, i) => s + (i.entries ? 2 : 1), 0)
    const out = await this.run(
      { kind: "compare", items, engine: body.engine, timeLimitMs: body.timeLimitMs },
      solves,
      (e) =>
        ruleError(e.issues, (path) =>
          path[0] === "package" ? `body.items[${e.item ?? 0}]` : `body.items[${e.item ?? 0}].rules`,
        ),
    )
    const missing = out.items.flatMap((i, n) =>
      "result" in i
        ? [
            `item ${n} (${i.label}) has no package: ${
              i.result.status === "infeasible"
                ? `its rules cannot all hold (${i.result.conflict.map((c) => c.text).join("; ")})`
                : "no package was found within the time limit"
            }`,
          ]
        : [],
    )
    if (missing.length || !out.comparison) throw new ApiError(422, missing.join("; "))
    return {
      unit: UNIT,
      items: out.items.map((i) =>
        i.kind === "package"
          ? { label: i.label, kind: i.kind, feasible: i.feasible, broken: i.broken }
          : { label: i.label, kind: i.kind, ...("gap" in i ? { status: i.status, gap: i.gap } : {}) },
      ),
      comparison: out.comparison,
    }
  }
}
