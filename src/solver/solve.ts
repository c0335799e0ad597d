import { createHash, hash } from "node:crypto"
import { builtInPrices, type Prices } from "../model/round.ts"
import type { Proposal } from "../model/schema.ts"
import { violations } from "./check.ts"
import { checkRules, compile, type Problem, type RuleIssue } from "./compile.ts"
import { type EngineResult, runEngine as runLoweredEngine } from "./lower.ts"
import { packageFigures } from "./package.ts"
import type { Engine, RuleItem, SolveResult } from "./result.ts"
import { type Rules, stableRules } from "./rules.ts"

export interface SolveOptions {
  /** "bb": the exact branch-and-bound (default); "lp": javascript-lp-solver, checked. */
  readonly engine?: Engine
  /** Stop after this many milliseconds with what is proven (default 10 000). */
  readonly timeLimitMs?: number
  /** Stop the branch-and-bound after this many nodes (deterministic budget; "bb" only). */
  readonly nodeLimit?: number
  /** Asked now and then during the search: true stops it as the time limit would (see EngineOptions). */
  readonly shouldStop?: () => boolean
  /** The round's price levels and index (default: the built-in round's, from its round.json). */
  readonly prices?: Prices
}

/** Rules that refer to proposals, variants or committees that do not exist. */
export class RuleError extends Error {
  constructor(readonly issues: readonly RuleIssue[]) {
    super(issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "))
    this.name = "RuleError"
  }
}

const proposalHashes = new WeakMap<readonly Proposal[], string>()
const hashProposals = (proposals: readonly Proposal[]) => {
  let h = proposalHashes.get(proposals)
  if (!h) {
    h = createHash("sha256").update(JSON.stringify(proposals)).digest("hex")
    proposalHashes.set(proposals, h)
  }
  return h
}

/** sha256 over the proposals, rules and engine. */
export const inputHash = (proposals: readonly Proposal[], rules: Rules, engine: Engine) =>
  // One-shot (the same digest as updating a Hash with the three in turn, without the object).
  hash("sha256", hashProposals(proposals) + JSON.stringify(rules) + engine, "hex")

export const runEngine = (
  problem: Problem,
  engine: Engine,
  timeLimitMs: number,
  nodeLimit?: number,
  shouldStop?: () => boolean,
): EngineResult =>
  runLoweredEngine(problem, engine, {
    timeLimitMs,
    ...(nodeLimit === undefined ? {} : { nodeLimit }),
    ...(shouldStop ? { shouldStop } : {}),
  })

/**
 * What is left of a time limit that started at `t0` (a module function, not a closure per solve:
 * tsx, which runs the bench, gives every named closure its name with a defineProperty call).
 */
const timeLeft = (t0: number, timeLimitMs: number) => Math.max(0, timeLimitMs - (performance.now() - t0))

const finite = (x: number) => (Number.isFinite(x) ? x : null)

/**
 * Choose at most one variant per proposal to maximise the objective under the rules. Says what
 * happened instead of throwing; throws RuleError only when the rules name things that do not exist.
 */
export const solve = (
  proposals: readonly Proposal[],
  given: Rules,
  options: SolveOptions = {},
): SolveResult => {
  // The time limit covers the whole solve: checking and compiling the rules count against it.
  const t0 = performance.now()
  // The rules as compile reads them (the same values; the hash is of the rules as given).
  const rules = stableRules(given)
  const prices = options.prices ?? builtInPrices()
  const issues = checkRules(proposals, rules, prices)
  if (issues.length) throw new RuleError(issues)
  const engine = options.engine ?? "bb"
  const timeLimitMs = options.timeLimitMs ?? 10_000
  const problem = compile(proposals, rules, { prices })
  const r = runEngine(problem, engine, timeLeft(t0, timeLimitMs), options.nodeLimit, options.shouldStop)
  const stoppedBy =
    r.stoppedBy ??
    (engine === "lp" && (r.status === "feasible" || r.status === "timeout") ? "timeLimit" : null)
  // The answer is written out field by field in each of its three shapes, not spread from a
  // shared base: V8 made the spread copies (and only them) survive into the old generation, about
  // 1,3 KB per solve, so the heap grew between full collections (measured with --trace-gc).
  const hashed = inputHash(proposals, given, engine)
  const rootBound = finite(r.rootBound)
  const stats = {
    nodes: r.nodes,
    millis: r.millis,
    proposals: problem.groups.length,
    options: optionCount(problem),
    rules: problem.rules.length,
    stoppedBy,
  }
  if (r.status === "infeasible") {
    const { conflict, minimal } = explainConflict(
      proposals,
      rules,
      problem.rules,
      prices,
      timeLeft(t0, timeLimitMs),
      options.shouldStop,
    )
    return {
      engine,
      inputHash: hashed,
      rootBound,
      stats,
      status: "infeasible",
      conflict,
      conflictMinimal: minimal,
    }
  }
  if (r.status === "timeout" || r.choice === null || r.objective === null)
    return { engine, inputHash: hashed, rootBound, stats, status: "timeout", bound: finite(r.bound) }
  const broken = violations(problem, r.choice)
  if (broken.length)
    throw new Error(`engine ${engine} returned a package that breaks ${broken.map((b) => b.rule).join(", ")}`)
  const bound = r.status === "optimal" ? r.objective : Math.max(r.bound, r.objective)
  return {
    engine,
    inputHash: hashed,
    rootBound,
    stats,
    status: r.status,
    objective: r.objective,
    bound,
    gap: (bound - r.objective) / Math.max(1, Math.abs(bound)),
    package: packageFigures(proposals, problem, r.choice, rules, prices),
  }
}

/** The options of a compiled problem over all its groups. */
const optionCount = (problem: Problem): number => {
  let n = 0
  for (const g of problem.groups) n += g.options.length
  return n
}

/**
 * A lock and an exclusion of the same proposal contradict each other whatever else holds; that
 * pair is the conflict a negotiator needs to see, even when another minimal conflict exists too.
 */
const directConflict = (items: readonly RuleItem[]): RuleItem[] | null => {
  for (const lock of items) {
    if (lock.kind !== "lock") continue
    const exclude = items.find((i) => i.id === `exclude:${lock.id.slice("lock:".length)}`)
    if (exclude) return [lock, exclude]
  }
  return null
}

/**
 * Deletion filter: drop rules one at a time while the rest stay infeasible; what is left is a
 * minimal conflicting set (each of its rules is needed for the conflict). All the feasibility
 * checks share one time budget; if it runs out, the rules not yet tried stay in the set.
 */
export const explainConflict = (
  proposals: readonly Proposal[],
  rules: Rules,
  items: readonly RuleItem[],
  prices: Prices,
  timeLimitMs: number,
  shouldStop?: () => boolean,
): { conflict: RuleItem[]; minimal: boolean } => {
  const direct = directConflict(items)
  if (direct) return { conflict: direct, minimal: true }
  const deadline = performance.now() + timeLimitMs
  const drop = new Set<string>()
  let minimal = true
  for (const item of items) {
    const left = deadline - performance.now()
    if (left <= 0) {
      minimal = false
      break
    }
    drop.add(item.id)
    const r = runLoweredEngine(compile(proposals, rules, { drop, prices }), "bb", {
      firstFeasible: true,
      timeLimitMs: left,
      ...(shouldStop ? { shouldStop } : {}),
    })
    if (r.status !== "infeasible") drop.delete(item.id)
    if (r.status === "timeout") minimal = false
  }
  return { conflict: items.filter((i) => !drop.has(i.id)), minimal }
}
