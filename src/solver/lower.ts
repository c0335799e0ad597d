import type { CompiledConstraint, Problem } from "./compile.ts"
import { lpEngine } from "./engine/lp.ts"
import type {
  Knapsack,
  KnapsackChanges,
  KnapsackOptions,
  KnapsackResult,
  KnapsackRow,
} from "./engine/problem.ts"
import { withChanges } from "./engine/problem.ts"
import { ceil, floor, fromNumber, mul } from "./engine/rational.ts"
import { solveKnapsack } from "./engine/search.ts"
import type { Engine } from "./result.ts"

/**
 * The domain's integer problem as the engine's numeric knapsack: one option per fundable variant
 * (group = proposal), one row per compiled rule, one link per dependency. Kept with the maps back
 * to proposals and rules, so that it can be re-solved with other limits, locks or values without
 * compiling again.
 */
export interface Lowered {
  readonly problem: Problem
  readonly knapsack: Knapsack
  /** The group and option (indices into `problem.groups`) of each knapsack option. */
  readonly optionAt: readonly { readonly group: number; readonly option: number }[]
  /** The knapsack option of option `o` of group `g` is firstOption[g] + o. */
  readonly firstOption: readonly number[]
}

/** What lowering takes from the groups alone (see `optionsOf`). */
interface LoweredGroups {
  readonly optionAt: readonly { readonly group: number; readonly option: number }[]
  readonly firstOption: readonly number[]
  readonly groupOf: readonly number[]
  readonly values: readonly number[]
  readonly required: readonly boolean[]
}

const loweredGroups = new WeakMap<Problem["groups"], LoweredGroups>()
/**
 * The options of the groups, kept per groups array: compile keeps the groups per proposals
 * array and shape of the rules, so every solve of a round with other limits lowers the same.
 */
const optionsOf = (groups: Problem["groups"]): LoweredGroups => {
  const kept = loweredGroups.get(groups)
  if (kept) return kept
  const optionAt: { group: number; option: number }[] = []
  const firstOption: number[] = []
  groups.forEach((g, gi) => {
    firstOption.push(optionAt.length)
    g.options.forEach((_, oi) => {
      optionAt.push({ group: gi, option: oi })
    })
  })
  const out: LoweredGroups = {
    optionAt,
    firstOption,
    groupOf: optionAt.map((o) => o.group),
    values: optionAt.map((o) => groups[o.group]?.options[o.option]?.value ?? 0),
    required: groups.map((g) => g.mustChoose),
  }
  loweredGroups.set(groups, out)
  return out
}

const loweredCoefs = new WeakMap<
  CompiledConstraint["coefs"],
  { readonly optionAt: LoweredGroups["optionAt"]; readonly coefs: readonly number[] }
>()
/**
 * A constraint's coefficients per knapsack option, kept per coefficients array (compile keeps a
 * rule's coefficients per proposals array and set of variants: only its bound changes between
 * solves) and checked against the option layout they were read with.
 */
const optionCoefs = (
  coefs: CompiledConstraint["coefs"],
  optionAt: LoweredGroups["optionAt"],
): readonly number[] => {
  const kept = loweredCoefs.get(coefs)
  if (kept?.optionAt === optionAt) return kept.coefs
  const out = optionAt.map((o) => coefs[o.group]?.[o.option] ?? 0)
  loweredCoefs.set(coefs, { optionAt, coefs: out })
  return out
}

/** Lower a compiled problem to the engine's knapsack. */
export const lower = (problem: Problem): Lowered => {
  const { optionAt, firstOption, groupOf, values, required } = optionsOf(problem.groups)
  const forceOut: number[] = []
  const links: { kind: "requires" | "excludes"; a: number; b: number }[] = []
  for (const d of problem.dependencies) {
    // Requiring a proposal that cannot be funded at all rules the first one out.
    if (d.b < 0) {
      problem.groups[d.a]?.options.forEach((_, oi) => {
        forceOut.push((firstOption[d.a] ?? 0) + oi)
      })
    } else links.push({ kind: d.kind, a: d.a, b: d.b })
  }
  // One literal per row, an absent side undefined: a hidden class reached by adding a property
  // is held only by live objects, and a full GC between solves freed it (see compile's bounded).
  // A plain loop, not map, whose arrays differ by tier (see compile's paybackBlocked).
  const rows: KnapsackRow[] = []
  for (const c of problem.constraints)
    rows.push({ coefs: optionCoefs(c.coefs, optionAt), max: c.max, min: c.min })
  const knapsack: Knapsack = {
    groups: problem.groups.length,
    groupOf,
    values,
    required,
    rows,
    links,
    forceOut,
  }
  return { problem, knapsack, optionAt, firstOption }
}

/** An engine's answer in the domain's terms: the knapsack result with the option index per group (−1: none). */
export type EngineResult = Omit<KnapsackResult, "package"> & { readonly choice: readonly number[] | null }

/** A knapsack result read back as a choice per group. */
export const toEngineResult = (l: Lowered, r: KnapsackResult): EngineResult => {
  let choice: number[] | null = null
  if (r.package) {
    choice = new Array<number>(l.problem.groups.length).fill(-1)
    for (const k of r.package) {
      const at = l.optionAt[k]
      if (at) choice[at.group] = at.option
    }
  }
  // Field by field, not a rest and a spread: V8 kept those copies past a scavenge (see solve).
  return {
    status: r.status,
    objective: r.objective,
    bound: r.bound,
    gap: r.gap,
    rootBound: r.rootBound,
    stoppedBy: r.stoppedBy,
    nodes: r.nodes,
    millis: r.millis,
    choice,
  }
}

/** Solve a lowered problem with one of the engines. */
export const runLowered = (
  l: Lowered,
  engine: Engine,
  options: KnapsackOptions,
  knapsack: Knapsack = l.knapsack,
): EngineResult =>
  toEngineResult(l, engine === "lp" ? lpEngine(knapsack, options) : solveKnapsack(knapsack, options))

/** Lower and solve a compiled problem. */
export const runEngine = (problem: Problem, engine: Engine, options: KnapsackOptions = {}): EngineResult =>
  runLowered(lower(problem), engine, options)

/**
 * A what-if on a compiled problem, for a warm re-solve: new bounds of rules that were compiled
 * (by rule id, e.g. "limit:service", in the rule's own unit as written: 1.000 kr. in the pool's
 * price level for limits), proposals locked in (any or a named variant) or excluded, and new
 * objective values per "proposal:variant" (1.000 kr., 2027 p/l). A rule that was not compiled
 * cannot be added this way: compile again.
 */
export interface WhatIf {
  readonly limits?: Readonly<Record<string, { readonly max?: number; readonly min?: number }>>
  readonly lock?: readonly { readonly proposal: string; readonly variant?: string }[]
  readonly exclude?: readonly string[]
  readonly values?: Readonly<Record<string, number>>
}

/** A what-if that names a rule, proposal or variant the compiled problem does not have. */
export class WhatIfError extends Error {
  constructor(message: string) {
    super(message)
    this.name = "WhatIfError"
  }
}

/**
 * The knapsack changes of a what-if. Limits are converted exactly as at compilation (floor of a
 * max, ceil of a min, over the rule's exact scale). A lock on a proposal or variant that the
 * compiled rules left out (payback, exclusion) makes the problem infeasible, as it would compiled.
 */
export const whatIfChanges = (l: Lowered, w: WhatIf): KnapsackChanges | "infeasible" => {
  const { problem } = l
  const rows = new Map<number, { max?: number; min?: number }>()
  for (const [rule, b] of Object.entries(w.limits ?? {})) {
    const i = problem.constraints.findIndex((c) => c.rule === rule)
    const c = problem.constraints[i]
    if (!c)
      throw new WhatIfError(
        `no compiled rule "${rule}" (have: ${problem.constraints.map((x) => x.rule).join(", ")})`,
      )
    const row: { max?: number; min?: number } = {}
    const max = b.max ?? c.given.max
    const min = b.min ?? c.given.min
    const scale = c.exactScale ?? fromNumber(c.scale)
    if (max !== undefined) row.max = Number(floor(mul(fromNumber(max), scale)))
    if (min !== undefined) row.min = Number(ceil(mul(fromNumber(min), scale)))
    rows.set(i, row)
  }
  const groupOf = new Map(problem.groups.map((g, gi) => [g.proposal, gi]))
  const forceIn: number[] = []
  const forceOut: number[] = []
  const required = new Map<number, boolean>()
  for (const lock of w.lock ?? []) {
    const gi = groupOf.get(lock.proposal)
    if (gi === undefined) return "infeasible"
    required.set(gi, true)
    if (lock.variant === undefined) continue
    const oi = problem.groups[gi]?.options.findIndex((o) => o.variant === lock.variant) ?? -1
    if (oi < 0) return "infeasible"
    forceIn.push((l.firstOption[gi] ?? 0) + oi)
  }
  for (const id of w.exclude ?? []) {
    const gi = groupOf.get(id)
    if (gi === undefined) continue
    problem.groups[gi]?.options.forEach((_, oi) => {
      forceOut.push((l.firstOption[gi] ?? 0) + oi)
    })
  }
  const values = new Map<number, number>()
  for (const [key, v] of Object.entries(w.values ?? {})) {
    const [proposal, variant] = key.split(":")
    const gi = groupOf.get(proposal ?? "")
    const oi =
      gi === undefined ? -1 : (problem.groups[gi]?.options.findIndex((o) => o.variant === variant) ?? -1)
    if (gi === undefined || oi < 0) throw new WhatIfError(`no compiled option "${key}"`)
    values.set((l.firstOption[gi] ?? 0) + oi, v)
  }
  return { rows, values, forceIn, forceOut, required }
}

/**
 * Warm re-solve: the compiled, lowered problem under a what-if, without compiling again. The
 * answer's choice indexes `l.problem.groups` (whose option values are the compiled ones: with
 * `values` changed, the objective is the changed one).
 */
export const resolve = (
  l: Lowered,
  w: WhatIf,
  options: KnapsackOptions & { readonly engine?: Engine } = {},
): EngineResult => {
  const t0 = performance.now()
  const changes = whatIfChanges(l, w)
  if (changes === "infeasible")
    return {
      status: "infeasible",
      choice: null,
      objective: null,
      bound: Number.NEGATIVE_INFINITY,
      gap: null,
      rootBound: Number.NEGATIVE_INFINITY,
      stoppedBy: null,
      nodes: 0,
      millis: performance.now() - t0,
    }
  return runLowered(l, options.engine ?? "bb", options, withChanges(l.knapsack, changes))
}
