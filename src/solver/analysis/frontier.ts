import { z } from "zod"
import { builtInPrices, type Prices } from "../../model/round.ts"
import type { Proposal } from "../../model/schema.ts"
import { add, ceil, fromNumber, mul, type Rational, rat } from "../rational.ts"
import { Entry } from "../result.ts"
import type { Rules } from "../rules.ts"
import { AnalysedPackage, change, describe, Units, unitsOf } from "./package.ts"
import { baseOf, type Counter, constraintIndex, type Outcome, shrinkToFit, warm } from "./resolve.ts"
import { exactScale, maxBound } from "./units.ts"

/** Which pool the frontier varies: one of them (the other held), or both scaled by one factor. */
export const FrontierPool = z.enum(["service", "anlaeg", "total"])
export type FrontierPool = z.infer<typeof FrontierPool>

export const FrontierRequest = z
  .object({
    pool: FrontierPool.default("service"),
    /** Smallest pool size of interest (1.000 kr., pool p/l); default 0. */
    from: z.number().finite().nonnegative().max(1e9).optional(),
    /** Largest pool size of interest (1.000 kr., pool p/l); default everything applied for. */
    to: z.number().finite().nonnegative().max(1e9).optional(),
  })
  .strict()
export type FrontierRequest = z.input<typeof FrontierRequest>

/** One step of the frontier: from `pool` on (until the next step) the optimum is `package`. */
export const FrontierStep = z.object({
  /** The smallest pool size, in whole 1.000 kr. (pool p/l), at which this optimum is reached. */
  pool: z.number().int(),
  objective: z.number(),
  /** Objective gained against the step before (1.000 kr. 2027 p/l a year). */
  gain: z.number(),
  package: AnalysedPackage,
  entered: z.array(Entry),
  left: z.array(Entry),
})
export type FrontierStep = z.infer<typeof FrontierStep>

/** What one more amount in the pool buys, from the scenario's own pool size. */
export const Marginal = z.object({
  /** Extra pool (1.000 kr., pool p/l). */
  extra: z.number(),
  pool: z.number(),
  objective: z.number(),
  gain: z.number(),
  entered: z.array(Entry),
  left: z.array(Entry),
})
export type Marginal = z.infer<typeof Marginal>

/**
 * The optimum as a step function of the pool: every step in [from, to], each proven by two
 * exact solves (the optimum at the step, and a smaller one a whole 1.000 kr. below it).
 */
export const Frontier = z.object({
  ...Units.shape,
  pool: FrontierPool,
  from: z.number(),
  to: z.number(),
  /** For "total": the scenario's share of the total that goes to service (the rest is anlæg). */
  serviceShare: z.number().optional(),
  /** Ascending; the first step may begin below `from` (it is the optimum in force at `from`). */
  steps: z.array(FrontierStep),
  /** Below this pool size (1.000 kr., pool p/l) no package keeps the rules; null if every size in range has one. */
  infeasibleBelow: z.number().nullable(),
  /** The scenario's own pool size and the gain of 1 and 10 mio. kr. more (absent when the scenario sets no such limit). */
  marginal: z
    .object({ pool: z.number(), objective: z.number().nullable(), next: z.array(Marginal) })
    .optional(),
  stats: z.object({ solves: z.number().int(), millis: z.number() }),
})
export type Frontier = z.infer<typeof Frontier>

/** A pool rule varied with the parameter x: its bound is floor(x · share · scale). */
interface Varied {
  readonly ci: number
  readonly factor: Rational
}

/** The frontier of the optimum over one pool (or both, scaled together). */
export const frontier = (
  proposals: readonly Proposal[],
  rules: Rules,
  request: FrontierRequest = {},
  prices: Prices = builtInPrices(),
): Frontier => {
  const t0 = performance.now()
  const req = FrontierRequest.parse(request)
  const areas = req.pool === "total" ? (["service", "anlaeg"] as const) : ([req.pool] as const)
  const own = areas.map((a) => rules.limits[a])
  if (req.pool === "total" && own.some((x) => x === undefined))
    throw new RangeError("the total frontier scales the scenario's service and anlæg pools: set both")
  // Compile with a limit on every varied pool (the scenario's, or a placeholder); re-solves set the bound.
  const limits = { ...rules.limits }
  for (const a of areas) limits[a] ??= 1e9
  const base = baseOf(proposals, { ...rules, limits }, prices)
  const total = own.reduce<number>((s, x) => s + (x ?? 0), 0)
  const varied: Varied[] = areas.map((a, i) => {
    const ci = constraintIndex(base, `limit:${a}`)
    const c = base.universe.constraints[ci]
    if (!c) throw new Error(`no compiled limit:${a}`)
    const share = req.pool === "total" ? rat(...ratio(own[i] ?? 0, total)) : rat(1n)
    return { ci, factor: mul(share, exactScale(c)) }
  })
  const counter: Counter = { solves: 0 }
  const again = warm(base, base.scenario, counter)
  // The optimum at pool size x; `hint` (the optimum at a larger size) less its least valuable
  // proposals until it fits is a feasible start (capacity rules only: warm() goes cold otherwise).
  const at = (x: Rational, hint?: readonly number[]): Outcome => {
    const maxima = new Map(varied.map((v) => [v.ci, maxBound(v.factor, x)]))
    const start = hint ? shrinkToFit(base, base.scenario, hint, maxima) : null
    return again({ maxima, ...(start ? { start } : {}) })
  }
  // The smallest whole pool size at which a package fits every varied rule.
  const fitsFrom = (choice: readonly number[]) =>
    Math.max(
      0,
      ...varied.map((v) => {
        const c = base.universe.constraints[v.ci]
        let units = 0
        choice.forEach((oi, gi) => {
          if (oi >= 0) units += c?.coefs[gi]?.[oi] ?? 0
        })
        return Number(ceil(rat(BigInt(units) * v.factor.d, v.factor.n)))
      }),
    )
  const applied = Math.max(
    0,
    ...varied.map((v) => {
      const c = base.universe.constraints[v.ci]
      const units = base.universe.groups.reduce((s, _, gi) => s + Math.max(0, ...(c?.coefs[gi] ?? [])), 0)
      return Number(ceil(rat(BigInt(units) * v.factor.d, v.factor.n)))
    }),
  )
  const from = req.from ?? 0
  const to = req.to ?? applied
  if (to < from) throw new RangeError(`"to" (${to}) is below "from" (${from})`)

  // Walk down from `to`: the optimum at x fits from fitsFrom(its package) on, so it holds on that
  // whole range; a solve one whole 1.000 kr. below that proves where the step begins.
  const found: { pool: number; outcome: Extract<Outcome, { status: "optimal" }> }[] = []
  let infeasibleBelow: number | null = null
  let cur = at(fromNumber(Math.floor(to)))
  if (cur.status === "infeasible") infeasibleBelow = Math.floor(to) + 1
  while (cur.status === "optimal") {
    const start = fitsFrom(cur.choice)
    if (start <= from || start === 0) {
      found.push({ pool: start, outcome: cur })
      break
    }
    const below = at(fromNumber(start - 1), cur.choice)
    if (below.status === "infeasible") {
      found.push({ pool: start, outcome: cur })
      infeasibleBelow = start
      break
    }
    if (below.value !== cur.value) found.push({ pool: start, outcome: cur })
    cur = below
  }
  found.reverse()
  const steps: FrontierStep[] = []
  for (const f of found) {
    const pkg = describe(base, f.outcome.choice)
    const prev = steps[steps.length - 1]
    const diff = change(prev?.package.choices ?? [], pkg.choices)
    steps.push({
      pool: f.pool,
      objective: f.outcome.value,
      gain: prev ? f.outcome.value - prev.objective : f.outcome.value,
      package: pkg,
      ...diff,
    })
  }

  let marginal: Frontier["marginal"]
  if (own.every((x) => x !== undefined)) {
    const own0 = fromNumber(total)
    const o0 = at(own0)
    const pkg0 = o0.status === "optimal" ? describe(base, o0.choice).choices : []
    marginal = {
      pool: total,
      objective: o0.status === "optimal" ? o0.value : null,
      next: [1000, 10000].map((extra) => {
        const o = at(add(own0, rat(BigInt(extra))))
        const value = o.status === "optimal" ? o.value : 0
        const choices = o.status === "optimal" ? describe(base, o.choice).choices : []
        return {
          extra,
          pool: total + extra,
          objective: value,
          gain: value - (o0.status === "optimal" ? o0.value : 0),
          ...change(pkg0, choices),
        }
      }),
    }
  }
  return {
    ...unitsOf(base),
    pool: req.pool,
    from,
    to,
    ...(req.pool === "total" ? { serviceShare: (own[0] ?? 0) / total } : {}),
    steps,
    infeasibleBelow,
    ...(marginal ? { marginal } : {}),
    stats: { solves: counter.solves, millis: performance.now() - t0 },
  }
}

/** a / b as an exact pair of integers (both finite numbers as typed). */
const ratio = (a: number, b: number): [bigint, bigint] => {
  const x = fromNumber(a)
  const y = fromNumber(b)
  return [x.n * y.d, x.d * y.n]
}
