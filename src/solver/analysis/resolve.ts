import { builtInPrices, type Prices } from "../../model/round.ts"
import type { Proposal } from "../../model/schema.ts"
import { branchAndBound } from "../bb.ts"
import { type CompiledConstraint, checkRules, compile, type Problem } from "../compile.ts"
import type { Rules } from "../rules.ts"
import { RuleError } from "../solve.ts"
import { prepareWarm } from "./warm.ts"

/**
 * The one place where the analyses call the engine. Every analysis re-solves one compiled
 * problem (the "universe": every variant of every proposal, with the scenario's linear rules and
 * dependencies) under a `Restriction`: which options may be chosen, which proposals must be,
 * which linear rules hold with which integer bounds, extra rules, and changed values.
 * Today `resolve` builds a restricted copy of the problem and runs the branch-and-bound, and
 * `warm` / `resolveFrom` run the warm search of warm.ts (prepared once, started from a known
 * package) where only capacities bind, handing over to the branch-and-bound otherwise. This is
 * the seam where the engine's own warm re-solve API plugs in: nothing else calls an engine.
 */

/** Rules that remove options from the problem rather than adding a linear rule. */
const SHAPING = new Set(["exclude", "variants", "lock", "payback"])

/** One re-solve's changes to the universe. Option indices are the universe's. */
export interface Restriction {
  /** Allowed option indices per group. */
  readonly allowed: readonly (readonly number[])[]
  /** Groups that must be chosen (a lock). */
  readonly must: readonly boolean[]
  /** Integer bounds per universe constraint (its compiled units); null drops the rule. */
  readonly bounds: readonly (Bounds | null)[]
  /** Whether each universe dependency holds. */
  readonly dependencies: readonly boolean[]
  /** Further linear rules over the universe's options (e.g. "differ from this package in d proposals"). */
  readonly extra?: readonly CompiledConstraint[]
  /** Option values per group (integers), replacing the universe's. */
  readonly values?: readonly (readonly number[])[]
}

/** An integer bound of a linear rule, in its compiled units. */
export interface Bounds {
  readonly max?: number
  readonly min?: number
}

/** The universe, the scenario as a restriction of it, and what they were compiled from. */
export interface Base {
  readonly proposals: readonly Proposal[]
  readonly rules: Rules
  readonly prices: Prices
  readonly universe: Problem
  readonly scenario: Restriction
  /** The scenario's rules as compiled (names and Danish texts). */
  readonly items: Problem["rules"]
}

/** The answer of one re-solve: the choice per universe group (option index or -1). */
export type Outcome =
  | { readonly status: "optimal"; readonly value: number; readonly choice: readonly number[] }
  | { readonly status: "infeasible" }

/** An analysis needs a proven optimum and the engine stopped before it had one. */
export class AnalysisStopped extends Error {
  constructor(readonly solves: number) {
    super(`the engine stopped before it proved an optimum (after ${solves} re-solves)`)
    this.name = "AnalysisStopped"
  }
}

/** Compile the universe and the scenario; throws RuleError when the rules name unknown things. */
export const baseOf = (proposals: readonly Proposal[], rules: Rules, prices: Prices = builtInPrices()) => {
  const issues = checkRules(proposals, rules, prices)
  if (issues.length) throw new RuleError(issues)
  const scenarioProblem = compile(proposals, rules, { prices })
  const shaping = new Set(scenarioProblem.rules.filter((r) => SHAPING.has(r.kind)).map((r) => r.id))
  const universe = compile(proposals, rules, { drop: shaping, prices })
  const base: Base = {
    proposals,
    rules,
    prices,
    universe,
    items: scenarioProblem.rules,
    scenario: {
      ...restrictionOf(universe, scenarioProblem),
      bounds: universe.constraints.map(boundsOf),
      dependencies: universe.dependencies.map(() => true),
    },
  }
  return base
}

const boundsOf = (c: CompiledConstraint): Bounds => ({
  ...(c.max !== undefined ? { max: c.max } : {}),
  ...(c.min !== undefined ? { min: c.min } : {}),
})

/** The options and locks of a compiled problem, as indices into the universe. */
const restrictionOf = (universe: Problem, p: Problem) => {
  const byId = new Map(p.groups.map((g) => [g.proposal, g]))
  return {
    allowed: universe.groups.map((g) => {
      const h = byId.get(g.proposal)
      if (!h) return []
      return g.options.flatMap((o, oi) => (h.options.some((x) => x.variant === o.variant) ? [oi] : []))
    }),
    must: universe.groups.map((g) => byId.get(g.proposal)?.mustChoose ?? false),
  }
}

/**
 * The scenario with other rules that shape the options (exclusions, allowed variants, locks,
 * payback and its exemptions): `rules` must have the same linear rules as the base.
 */
export const reshaped = (base: Base, rules: Rules, drop: ReadonlySet<string> = new Set()): Restriction => ({
  ...base.scenario,
  ...restrictionOf(base.universe, compile(base.proposals, rules, { drop, prices: base.prices })),
})

/** Build the restricted copy of the universe that the engine solves (option indices: positions in `allowed`). */
export const materialise = (u: Problem, r: Restriction): Problem => {
  const pick = (row: readonly number[] | undefined, gi: number) =>
    (r.allowed[gi] ?? []).map((oi) => row?.[oi] ?? 0)
  const restrict = (c: CompiledConstraint, b: Bounds): CompiledConstraint => ({
    rule: c.rule,
    scale: c.scale,
    given: c.given,
    coefs: u.groups.map((_, gi) => pick(c.coefs[gi], gi)),
    ...b,
  })
  const constraints: CompiledConstraint[] = []
  u.constraints.forEach((c, ci) => {
    const b = r.bounds[ci]
    if (b) constraints.push(restrict(c, b))
  })
  for (const c of r.extra ?? []) constraints.push(restrict(c, boundsOf(c)))
  return {
    groups: u.groups.map((g, gi) => ({
      ...g,
      mustChoose: r.must[gi] ?? false,
      options: (r.allowed[gi] ?? []).map((oi) => {
        const o = g.options[oi]
        const v = r.values?.[gi]?.[oi]
        if (!o) throw new RangeError(`group ${g.proposal} has no option ${oi}`)
        return v === undefined ? o : { ...o, value: v }
      }),
    })),
    constraints,
    dependencies: u.dependencies.filter((_, i) => r.dependencies[i] ?? true),
    rules: u.rules,
  }
}

/** Counts the re-solves of one analysis (for its statistics). */
export interface Counter {
  solves: number
}

/** Solve the universe under `r` to a proven optimum. Throws AnalysisStopped if the engine stops early. */
export const resolve = (base: Base, r: Restriction, counter?: Counter, timeLimitMs = 10_000): Outcome => {
  if (counter) counter.solves++
  const res = branchAndBound(materialise(base.universe, r), { timeLimitMs })
  if (res.status === "infeasible") return { status: "infeasible" }
  if (res.status !== "optimal" || !res.choice || res.objective === null)
    throw new AnalysisStopped(counter?.solves ?? 1)
  const choice = res.choice.map((oi, gi) => (oi < 0 ? -1 : (r.allowed[gi]?.[oi] ?? -1)))
  return { status: "optimal", value: res.objective, choice }
}

/** The restriction with one group fixed to an option (or to "none" with -1). */
export const fixGroup = (r: Restriction, gi: number, oi: number): Restriction => ({
  ...r,
  allowed: r.allowed.map((a, i) => (i !== gi ? a : oi < 0 ? [] : [oi])),
  must: r.must.map((m, i) => (i !== gi ? m : oi >= 0)),
})

/** The restriction with new integer bounds for some universe constraints (by index). */
export const withBounds = (r: Restriction, changes: ReadonlyMap<number, Bounds | null>): Restriction => ({
  ...r,
  bounds: r.bounds.map((b, i) => (changes.has(i) ? (changes.get(i) ?? null) : b)),
})

/** Index of a universe constraint by rule id, or -1. */
export const constraintIndex = (base: Base, rule: string) =>
  base.universe.constraints.findIndex((c) => c.rule === rule)

/** The scenario's own rules cannot all hold: there is no optimum to analyse. */
export class ScenarioInfeasible extends Error {
  constructor() {
    super("no package keeps every rule of the scenario; see the conflict from solve")
    this.name = "ScenarioInfeasible"
  }
}

/** The scenario's optimum, or ScenarioInfeasible. */
export const optimum = (base: Base, counter?: Counter) => {
  const o = resolve(base, base.scenario, counter)
  if (o.status !== "optimal") throw new ScenarioInfeasible()
  return o
}

/** Sum of a universe constraint's coefficients over a choice (its compiled units). */
export const usage = (base: Base, ci: number, choice: readonly number[]) => {
  const c = base.universe.constraints[ci]
  let s = 0
  choice.forEach((oi, gi) => {
    if (oi >= 0) s += c?.coefs[gi]?.[oi] ?? 0
  })
  return s
}

/**
 * Re-solve the universe under `r` many times with other values or other maxima of its capacity
 * rules (by rule id), each exact like `resolve`: the warm path of a Monte Carlo or a frontier.
 * With rules other than capacities (minimums, negative weights, dependencies) every call goes to
 * the branch-and-bound instead, since the warm search only checks those at its leaves.
 */
export const warm = (
  base: Base,
  r: Restriction,
  counter?: Counter,
  options: { always?: boolean; maxNodes?: number } = {},
) => {
  const prepared = prepareWarm(materialise(base.universe, r), options.maxNodes)
  const allowed = base.universe.groups.map((_, gi) => r.allowed[gi] ?? [])
  const nominal = base.universe.groups.map((g) => g.options.map((o) => o.value))
  const cold = prepared.general && !options.always
  return (change: {
    values?: readonly (readonly number[])[]
    start?: readonly number[]
    maxima?: ReadonlyMap<number, number>
  }): Outcome => {
    const coldly = () => {
      const bounds = change.maxima ? new Map([...change.maxima].map(([ci, max]) => [ci, { max }])) : new Map()
      return resolve(
        base,
        { ...withBounds(r, bounds), ...(change.values ? { values: change.values } : {}) },
        counter,
      )
    }
    if (cold) return coldly()
    if (counter) counter.solves++
    const values = change.values ?? nominal
    const local = allowed.map((a, gi) => a.map((oi) => values[gi]?.[oi] ?? 0))
    const from = change.start
      ? allowed.map((a, gi) => ((change.start?.[gi] ?? -1) < 0 ? -1 : a.indexOf(change.start?.[gi] ?? -1)))
      : null
    const maxima = change.maxima
      ? new Map([...change.maxima].map(([ci, max]) => [base.universe.constraints[ci]?.rule ?? "", max]))
      : undefined
    const out = prepared.solve(local, from, maxima)
    // A search that runs out of nodes hands over to the branch-and-bound, which has a time limit.
    if (out === "stopped") return coldly()
    if (!out) return { status: "infeasible" }
    const choice = Array.from(out.choice, (oi, gi) => (oi < 0 ? -1 : (allowed[gi]?.[oi] ?? -1)))
    return { status: "optimal", value: out.value, choice }
  }
}

/**
 * A feasible start for a re-solve with smaller maxima (universe constraint index → max): the
 * package `choice`, feasible under `r` with larger maxima, less its least valuable proposals
 * (never a locked one) until it fits; null if it cannot. Valid when the rules are capacities only.
 */
export const shrinkToFit = (
  base: Base,
  r: Restriction,
  choice: readonly number[],
  maxima: ReadonlyMap<number, number> = capacities(base, r),
): number[] | null => {
  const out = [...choice]
  const groups = base.universe.groups
  const over = () => [...maxima].some(([ci, max]) => usage(base, ci, out) > max)
  const byValue = out
    .map((oi, gi) => ({ gi, v: groups[gi]?.options[oi]?.value ?? 0 }))
    .filter((x) => (out[x.gi] ?? -1) >= 0 && !r.must[x.gi])
    .sort((a, b) => a.v - b.v)
  for (const { gi } of byValue) {
    if (!over()) break
    out[gi] = -1
  }
  return over() ? null : out
}

/** The maxima of the capacity rules (non-negative weights, no minimum) under `r`, by universe constraint index. */
const capacities = (base: Base, r: Restriction): Map<number, number> => {
  const out = new Map<number, number>()
  base.universe.constraints.forEach((c, ci) => {
    const b = r.bounds[ci]
    if (b?.max !== undefined && b.min === undefined && c.coefs.every((row) => row.every((x) => x >= 0)))
      out.set(ci, b.max)
  })
  return out
}

/** Solve under `r` exactly, starting from `hint` shrunk to fit (warm), or cold when other rules exist. */
export const resolveFrom = (
  base: Base,
  r: Restriction,
  hint: readonly number[],
  counter?: Counter,
): Outcome => {
  const start = shrinkToFit(base, r, hint)
  return warm(base, r, counter)(start ? { start } : {})
}
