import { z } from "zod"
import { builtInPrices, type Prices } from "../../model/round.ts"
import type { Proposal } from "../../model/schema.ts"
import type { CompiledConstraint } from "../compile.ts"
import { Entry } from "../result.ts"
import type { Rules } from "../rules.ts"
import { enumerateAtLeast } from "./enumerate.ts"
import { AnalysedPackage, change, choicesOf, describe, Units, unitsOf } from "./package.ts"
import {
  type Base,
  baseOf,
  type Counter,
  fixGroup,
  materialise,
  type Outcome,
  optimum,
  type Restriction,
  resolve,
  resolveFrom,
} from "./resolve.ts"

export const AlternativesRequest = z
  .object({
    /** How many of the best packages to list (ties with the last are listed too). */
    k: z.number().int().min(1).max(100).default(5),
    /** Diverse alternatives: within this share of the optimum (0.05 = 5 %)... */
    share: z.number().min(0).max(1).default(0.05),
    /** ...differing pairwise in at least this many proposals (a changed variant counts as one). */
    distance: z.number().int().min(1).max(100).default(3),
    /** At most this many diverse alternatives (the optimum included). */
    diverse: z.number().int().min(1).max(20).default(3),
    /** The core index over packages within this share of the optimum (0.05 = 5 %). */
    coreShare: z.number().min(0).max(1).default(0.02),
  })
  .strict()
export type AlternativesRequest = z.input<typeof AlternativesRequest>

export const RankedPackage = z.object({
  /** 1 for the optimum; tied packages share a rank. */
  rank: z.number().int(),
  package: AnalysedPackage,
  /** Against the optimum. */
  entered: z.array(Entry),
  left: z.array(Entry),
  /** Optimum minus this package's objective (1.000 kr. 2027 p/l a year). */
  behind: z.number(),
})
export type RankedPackage = z.infer<typeof RankedPackage>

/** Each proposal's share of the near-optimal packages (after RPM-Decisions' core index). */
export const CoreEntry = z.object({
  proposal: z.string(),
  /** core: in every package within the share; exterior: in none; border: in some. */
  class: z.enum(["core", "border", "exterior"]),
  /** Share of the packages that contain it (null when the enumeration was not complete). */
  share: z.number().nullable(),
  count: z.number().int().nullable(),
})
export type CoreEntry = z.infer<typeof CoreEntry>

export const CoreIndex = z.object({
  /** Packages with objective ≥ threshold count (the optimum times 1 − share, rounded up). */
  share: z.number(),
  threshold: z.number(),
  /** True when every such package was enumerated; otherwise classes are exact (by re-solves) and shares unknown. */
  complete: z.boolean(),
  /** How many packages are within the share: all of them when complete, else a lower bound. */
  packages: z.number().int(),
  entries: z.array(CoreEntry),
})
export type CoreIndex = z.infer<typeof CoreIndex>

export const Alternatives = z.object({
  ...Units.shape,
  best: z.array(RankedPackage),
  /** Greedy: each is the best package that differs from all before it in at least `distance` proposals. */
  diverse: z.array(RankedPackage),
  core: CoreIndex,
  stats: z.object({ solves: z.number().int(), nodes: z.number().int(), millis: z.number() }),
})
export type Alternatives = z.infer<typeof Alternatives>

type Found = Extract<Outcome, { status: "optimal" }>

/**
 * The k best packages in order, exactly (Lawler-Murty: the packages other than the ones found
 * are split into disjoint restrictions, each re-solved; the best of their optima is the next).
 * Ties with the k-th are listed too, up to `maxTies` more.
 */
export const kBest = (base: Base, k: number, counter: Counter, maxTies = 50): Found[] => {
  const root = resolve(base, base.scenario, counter)
  if (root.status !== "optimal") return []
  const queue: { r: Restriction; o: Found }[] = [{ r: base.scenario, o: root }]
  const out: Found[] = []
  while (queue.length) {
    queue.sort((a, b) => b.o.value - a.o.value)
    const next = queue.shift()
    if (!next) break
    const last = out[out.length - 1]
    if (out.length >= k && (last === undefined || next.o.value < last.value || out.length >= k + maxTies))
      break
    out.push(next.o)
    let fixed = next.r
    next.o.choice.forEach((c, gi) => {
      const allowed = fixed.allowed[gi] ?? []
      const must = fixed.must[gi] ?? false
      if (allowed.length + (must ? 0 : 1) <= 1) return
      // Every package here that differs from this one first at group gi.
      const other: Restriction =
        c < 0
          ? { ...fixed, must: fixed.must.map((m, i) => (i === gi ? true : m)) }
          : { ...fixed, allowed: fixed.allowed.map((a, i) => (i === gi ? a.filter((x) => x !== c) : a)) }
      // A start: this package with group gi changed as the restriction demands, shrunk to fit.
      const hint = [...next.o.choice]
      hint[gi] = c >= 0 && !(other.must[gi] ?? false) ? -1 : (other.allowed[gi]?.find((x) => x !== c) ?? -1)
      const o = resolveFrom(base, other, hint, counter)
      if (o.status === "optimal") queue.push({ r: other, o })
      fixed = fixGroup(fixed, gi, c)
    })
  }
  return out
}

/** A rule: the package differs from `choice` in at least `d` proposals (Hamming distance over proposals). */
const differFrom = (base: Base, choice: readonly number[], d: number, i: number): CompiledConstraint => {
  const inside = choice.filter((c) => c >= 0).length
  return {
    rule: `differ:${i}`,
    coefs: base.universe.groups.map((g, gi) =>
      g.options.map((_, oi) => ((choice[gi] ?? -1) < 0 ? 1 : choice[gi] === oi ? -1 : 0)),
    ),
    min: d - inside,
    scale: 1,
    given: { min: d },
  }
}

/** The k best, diverse alternatives and the core index of the scenario. */
export const alternatives = (
  proposals: readonly Proposal[],
  rules: Rules,
  request: AlternativesRequest = {},
  prices: Prices = builtInPrices(),
): Alternatives => {
  const t0 = performance.now()
  const req = AlternativesRequest.parse(request)
  const base = baseOf(proposals, rules, prices)
  const counter: Counter = { solves: 0 }
  const top = optimum(base, counter)
  const topChoices = choicesOf(base, top.choice)
  const ranked = (list: readonly Found[], tiedRanks: boolean): RankedPackage[] => {
    let rank = 0
    return list.map((o, i) => {
      rank = tiedRanks && i > 0 && o.value === list[i - 1]?.value ? rank : i + 1
      const pkg = describe(base, o.choice)
      return { rank, package: pkg, ...change(topChoices, pkg.choices), behind: top.value - o.value }
    })
  }

  const best = kBest(base, req.k, counter)

  const floor = Math.ceil(top.value * (1 - req.share) - 1e-9)
  const diverse: Found[] = [top]
  while (diverse.length < req.diverse) {
    const extra = diverse.map((o, i) => differFrom(base, o.choice, req.distance, i))
    const o = resolve(base, { ...base.scenario, extra }, counter)
    if (o.status !== "optimal" || o.value < floor) break
    diverse.push(o)
  }

  const core = coreIndex(base, top.value, req.coreShare, counter)
  return {
    ...unitsOf(base),
    best: ranked(best, true),
    diverse: ranked(diverse, false),
    core: core.index,
    stats: { solves: counter.solves, nodes: core.nodes, millis: performance.now() - t0 },
  }
}

/** The core index: enumerate every package within `share` of the optimum, or classify by re-solves. */
export const coreIndex = (
  base: Base,
  value: number,
  share: number,
  counter: Counter,
  budget: { maxNodes?: number; maxPackages?: number } = {},
) => {
  const threshold = Math.ceil(value * (1 - share) - 1e-9)
  const problem = materialise(base.universe, base.scenario)
  const e = enumerateAtLeast(problem, threshold, budget)
  const groups = base.universe.groups
  const entries: CoreEntry[] = groups.map((g, gi) => {
    if (e.complete) {
      const count = e.containing[gi] ?? 0
      const s = e.count ? count / e.count : 0
      return {
        proposal: g.proposal,
        class: s === 1 ? "core" : s === 0 ? "exterior" : "border",
        share: s,
        count,
      }
    }
    // Without the full list: in every package iff the best without it falls short; in none iff the best with it does.
    const out = resolve(base, fixGroup(base.scenario, gi, -1), counter)
    const inn = resolve(
      base,
      { ...base.scenario, must: base.scenario.must.map((m, i) => (i === gi ? true : m)) },
      counter,
    )
    const cls =
      out.status !== "optimal" || out.value < threshold
        ? "core"
        : inn.status !== "optimal" || inn.value < threshold
          ? "exterior"
          : "border"
    return { proposal: g.proposal, class: cls, share: null, count: null }
  })
  return {
    index: { share, threshold, complete: e.complete, packages: e.count, entries },
    nodes: e.nodes,
  }
}
