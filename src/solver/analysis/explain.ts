import { z } from "zod"
import { builtInPrices, type Prices } from "../../model/round.ts"
import type { PoolArea, Proposal } from "../../model/schema.ts"
import { analysisDa } from "../../model/wording.ts"
import { cachedFactor } from "../compile.ts"
import { add, ceil, fromNumber, mul, rat, toNumber } from "../engine/rational.ts"
import { Entry } from "../result.ts"
import { poolPriceLevelOf, type Rules } from "../rules.ts"
import { AnalysedPackage, change, choicesOf, describe, Units, unitsOf } from "./package.ts"
import {
  type Base,
  baseOf,
  type Counter,
  constraintIndex,
  fixGroup,
  type Outcome,
  optimum,
  type Restriction,
  reshaped,
  resolve,
  resolveFrom,
  shrinkToFit,
  usage,
  warm,
  withBounds,
} from "./resolve.ts"
import { exactScale, maxBound } from "./units.ts"

/** The optimum after a forced change, and what entered and left against the scenario's optimum. */
export const Alternative = z.object({
  objective: z.number(),
  entered: z.array(Entry),
  left: z.array(Entry),
})
export type Alternative = z.infer<typeof Alternative>

/**
 * How much smaller one area's pool cost of a variant must be for it to enter the optimum: its
 * cost against that area's whole-period pool falls; every other rule (a combined pool, a per-year
 * limit, a quota on pool cost) keeps its printed cost.
 */
export const CostThreshold = z.object({
  area: z.enum(["service", "anlaeg"]),
  /** The variant's pool cost in this area (1.000 kr., the table's price level, as printed). */
  cost: z.number(),
  /** Smallest reduction (whole 1.000 kr., the table's price level) at which it enters; null: not even at zero cost. */
  reduction: z.number().nullable(),
  /** The same reduction in the pool's price level (fractions kept). */
  reductionPool: z.number().nullable(),
})
export type CostThreshold = z.infer<typeof CostThreshold>

/** Why one variant of a proposal is in or out of the optimum, and what it would take to change that. */
export const OptionExplanation = z.object({
  proposal: z.string(),
  variant: z.string(),
  status: z.enum(["chosen", "notChosen", "ruledOut"]),
  /** chosen: the optimum minus the best package without the proposal (null: no package keeps the rules without it). */
  priceOut: z.number().nullable().optional(),
  withoutIt: Alternative.optional(),
  /** notChosen: the optimum minus the best package with this variant (null: no package with it keeps the rules). */
  priceIn: z.number().nullable().optional(),
  withIt: Alternative.optional(),
  /** notChosen: the smallest increase of its yearly saving (1.000 kr. 2027 p/l) at which it enters the optimum. */
  savingThreshold: z.number().nullable().optional(),
  costThresholds: z.array(CostThreshold).optional(),
  /** ruledOut: the rules that remove this variant, each of which alone would. */
  rules: z.array(z.object({ rule: z.string(), text: z.string() })).optional(),
  /** ruledOut: the optimum with those rules lifted for this proposal only, and the price to force it in then. */
  exempted: z
    .object({
      objective: z.number().nullable(),
      gain: z.number().nullable(),
      chosen: z.boolean(),
      entered: z.array(Entry),
      left: z.array(Entry),
      priceIn: z.number().nullable(),
    })
    .optional(),
  /** The explanation in Danish, for a person. */
  text: z.string(),
})
export type OptionExplanation = z.infer<typeof OptionExplanation>

/** The price of one rule of the scenario: the optimum without it minus the optimum with it. */
export const RulePrice = z.object({
  rule: z.string(),
  kind: z.string(),
  text: z.string(),
  /** Yearly saving the rule costs (1.000 kr. 2027 p/l); negative when the rule gains; null when the rules cannot hold without it. */
  price: z.number().nullable(),
  without: Alternative.nullable(),
  /** For a lock: the optimum with the proposal excluded instead, minus the optimum with the lock. */
  priceAgainstNone: z.number().nullable().optional(),
  explanation: z.string(),
})
export type RulePrice = z.infer<typeof RulePrice>

/** A limit's state at the optimum and what more of it would buy. */
export const LimitState = z.object({
  rule: z.string(),
  text: z.string(),
  /** Used and left, in the rule's own measure (1.000 kr., pool p/l). */
  used: z.number(),
  max: z.number(),
  slack: z.number(),
  /** True when it keeps out a proposal that would add to the objective. */
  binding: z.boolean(),
  blocks: z.array(z.string()),
  /** The exact gain of the optimum from 1 and 10 mio. kr. more (1.000 kr. 2027 p/l a year). */
  gains: z.array(
    z.object({ extra: z.number(), gain: z.number(), entered: z.array(Entry), left: z.array(Entry) }),
  ),
})
export type LimitState = z.infer<typeof LimitState>

export const ExplainRequest = z
  .object({
    /** Explain only these proposals (default: all). */
    proposals: z.array(z.string()).optional(),
  })
  .strict()
export type ExplainRequest = z.input<typeof ExplainRequest>

export const Explanation = z.object({
  ...Units.shape,
  optimum: AnalysedPackage,
  options: z.array(OptionExplanation),
  rulePrices: z.array(RulePrice),
  limits: z.array(LimitState),
  stats: z.object({ solves: z.number().int(), millis: z.number() }),
})
export type Explanation = z.infer<typeof Explanation>

/** Explain the scenario's optimum: every proposal and variant, every rule's price, every limit. */
export const explain = (
  proposals: readonly Proposal[],
  rules: Rules,
  request: ExplainRequest = {},
  prices: Prices = builtInPrices(),
): Explanation => {
  const t0 = performance.now()
  const req = ExplainRequest.parse(request)
  const base = baseOf(proposals, rules, prices)
  const counter: Counter = { solves: 0 }
  const best = optimum(base, counter)
  const bestChoices = choicesOf(base, best.choice)
  const alt = (o: Outcome): Alternative | null =>
    o.status === "optimal" ? { objective: o.value, ...change(bestChoices, choicesOf(base, o.choice)) } : null
  const wanted = req.proposals ? new Set(req.proposals) : null
  const pl = base.prices.tablePriceLevel

  const options: OptionExplanation[] = []
  base.universe.groups.forEach((g, gi) => {
    if (wanted && !wanted.has(g.proposal)) return
    g.options.forEach((o, oi) => {
      const id = { proposal: g.proposal, variant: o.variant }
      if (best.choice[gi] === oi) {
        const out = [...best.choice]
        out[gi] = -1
        const w = alt(resolveFrom(base, fixGroup(base.scenario, gi, -1), out, counter))
        const price = w ? best.value - w.objective : null
        const facts = { ...id, status: "chosen" as const, priceOut: price, ...(w ? { withoutIt: w } : {}) }
        options.push({ ...facts, text: analysisDa.option(facts, pl) })
        return
      }
      if (!(base.scenario.allowed[gi] ?? []).includes(oi)) {
        options.push(ruledOut(base, gi, oi, best, counter))
        return
      }
      const withIt = [...best.choice]
      withIt[gi] = oi
      const forced = resolveFrom(base, fixGroup(base.scenario, gi, oi), withIt, counter)
      const w = alt(forced)
      const price = w ? best.value - w.objective : null
      const thresholds =
        forced.status === "optimal" ? costThresholds(base, gi, oi, best.value, forced.choice, counter) : []
      const saving = price === null ? null : price + 1
      const facts = {
        ...id,
        status: "notChosen" as const,
        priceIn: price,
        ...(w ? { withIt: w } : {}),
        savingThreshold: saving,
        costThresholds: thresholds,
      }
      options.push({ ...facts, text: analysisDa.option(facts, pl) })
    })
  })

  return {
    ...unitsOf(base),
    optimum: describe(base, best.choice),
    options,
    rulePrices: rulePrices(base, best.value, bestChoices, counter),
    limits: limitStates(base, best, bestChoices, counter),
    stats: { solves: counter.solves, millis: performance.now() - t0 },
  }
}

export const RulePrices = z.object({
  ...Units.shape,
  objective: z.number(),
  rulePrices: z.array(RulePrice),
  stats: z.object({ solves: z.number().int(), millis: z.number() }),
})
export type RulePrices = z.infer<typeof RulePrices>

/** Only the price of each rule of the scenario (what `pulje solve` lists). */
export const priceOfRules = (
  proposals: readonly Proposal[],
  rules: Rules,
  prices: Prices = builtInPrices(),
): RulePrices => {
  const t0 = performance.now()
  const base = baseOf(proposals, rules, prices)
  const counter: Counter = { solves: 0 }
  const best = optimum(base, counter)
  return {
    ...unitsOf(base),
    objective: best.value,
    rulePrices: rulePrices(base, best.value, choicesOf(base, best.choice), counter),
    stats: { solves: counter.solves, millis: performance.now() - t0 },
  }
}

/** Reductions of one variant's pool cost, per area with a whole-period limit, at which it enters. */
const costThresholds = (
  base: Base,
  gi: number,
  oi: number,
  target: number,
  forcedChoice: readonly number[],
  counter: Counter,
): CostThreshold[] => {
  const g = base.universe.groups[gi]
  const o = g?.options[oi]
  const p = base.proposals.find((x) => x.id === g?.proposal)
  const v = p?.variants.find((x) => x.id === o?.variant)
  if (!v) return []
  const out: CostThreshold[] = []
  for (const area of ["service", "anlaeg"] as const) {
    const ci = constraintIndex(base, `limit:${area}`)
    const c = base.universe.constraints[ci]
    const bound = base.scenario.bounds[ci]?.max
    const own = c?.coefs[gi]?.[oi] ?? 0
    if (!c || bound === undefined || own <= 0) continue
    // Compiled units per 1.000 kr. of the variant's cost at the table's price level.
    const f = cachedFactor(
      area,
      v.priceLevel,
      poolPriceLevelOf(base.rules, base.prices),
      base.prices.priceIndex,
    )
    const perTable = mul(exactScale(c), f)
    const forced = fixGroup(base.scenario, gi, oi)
    const again = warm(base, forced, counter)
    // Each re-solve starts from the optimum above it, shrunk to fit (the forced variant stays).
    const at = (b: number, hint: readonly number[]) => {
      const maxima = new Map([[ci, b]])
      const start = shrinkToFit(base, forced, hint, maxima)
      return again({ maxima, ...(start ? { start } : {}) })
    }
    // Raising the bound by δ with the variant forced in is lowering its cost by δ. Walk down from
    // δ = its whole cost: each optimum above the target holds down to its own use of the rule.
    let cur = at(bound + own, forcedChoice)
    let delta: number | null = null
    while (cur.status === "optimal" && cur.value > target) {
      delta = Math.max(0, usage(base, ci, cur.choice) - bound)
      if (delta === 0) break
      cur = at(bound + delta - 1, cur.choice)
    }
    const reduction = delta === null ? null : Number(ceil(rat(BigInt(delta) * perTable.d, perTable.n)))
    out.push({
      area,
      cost: costOf(v, area),
      reduction,
      reductionPool: reduction === null ? null : reduction * toNumber(f),
    })
  }
  return out
}

const costOf = (v: Proposal["variants"][number], area: PoolArea) =>
  v.lines
    .filter((l) => l.section === "implementation" && l.area === area)
    .reduce((s, l) => s + l.values.reduce((a, x) => a + x, 0), 0)

/** A variant removed by the scenario's shaping rules: which, and what lifting them for it would do. */
const ruledOut = (
  base: Base,
  gi: number,
  oi: number,
  best: { value: number; choice: readonly number[] },
  counter: Counter,
): OptionExplanation => {
  const g = base.universe.groups[gi]
  const proposal = g?.proposal ?? ""
  const variant = g?.options[oi]?.variant ?? ""
  const shaping = base.items.filter((r) => ["exclude", "variants", "lock", "payback"].includes(r.kind))
  const reasons = shaping.filter((r) =>
    (reshaped(base, base.rules, new Set([r.id])).allowed[gi] ?? []).includes(oi),
  )
  // Lift the reasons for this proposal only: exempt it from payback, drop its own exclusion, variant or lock rule.
  const lifted: Rules = reasons.some((x) => x.kind === "payback")
    ? { ...base.rules, payback: { ...base.rules.payback, exempt: [...base.rules.payback.exempt, proposal] } }
    : base.rules
  const drop = new Set(reasons.filter((r) => r.kind !== "payback").map((r) => r.id))
  const r = reshaped(base, lifted, drop)
  const bestChoices = choicesOf(base, best.choice)
  const o = resolve(base, r, counter)
  const forced = (r.allowed[gi] ?? []).includes(oi) ? resolve(base, fixGroup(r, gi, oi), counter) : null
  const chosen = o.status === "optimal" && o.choice[gi] === oi
  const d =
    o.status === "optimal" ? change(bestChoices, choicesOf(base, o.choice)) : { entered: [], left: [] }
  const priceIn = forced?.status === "optimal" && o.status === "optimal" ? o.value - forced.value : null
  const gain = o.status === "optimal" ? o.value - best.value : null
  const facts = {
    proposal,
    variant,
    status: "ruledOut" as const,
    rules: reasons.map((x) => ({ rule: x.id, text: x.text })),
    exempted: {
      objective: o.status === "optimal" ? o.value : null,
      gain,
      chosen,
      ...d,
      priceIn,
    },
  }
  return { ...facts, text: analysisDa.option(facts, base.prices.tablePriceLevel) }
}

/** The price of every rule of the scenario: drop it (or, for an exemption, take it back) and re-solve. */
const rulePrices = (
  base: Base,
  value: number,
  bestChoices: readonly Entry[],
  counter: Counter,
): RulePrice[] => {
  const alt = (o: Outcome): Alternative | null =>
    o.status === "optimal" ? { objective: o.value, ...change(bestChoices, choicesOf(base, o.choice)) } : null
  const entry = (
    rule: string,
    kind: string,
    text: string,
    r: Restriction,
    extra: Partial<RulePrice> = {},
  ) => {
    const w = alt(resolve(base, r, counter))
    const price = w ? w.objective - value : null
    const facts = { rule, kind, text, price, without: w, ...extra }
    return { ...facts, explanation: analysisDa.rulePriceOf(facts, base.prices.tablePriceLevel) }
  }
  const out: RulePrice[] = []
  for (const item of base.items) {
    let r: Restriction
    if (["exclude", "variants", "lock", "payback"].includes(item.kind))
      r = reshaped(base, base.rules, new Set([item.id]))
    else if (item.kind === "dependency")
      r = {
        ...base.scenario,
        dependencies: base.universe.dependencies.map(
          (d, i) => d.rule !== item.id && (base.scenario.dependencies[i] ?? true),
        ),
      }
    else {
      const ci = constraintIndex(base, item.id)
      r = withBounds(base.scenario, new Map([[ci, null]]))
    }
    const extra: Partial<RulePrice> = {}
    if (item.kind === "lock") {
      const proposal = item.id.slice("lock:".length)
      const none: Rules = {
        ...base.rules,
        locks: base.rules.locks.filter((l) => l.proposal !== proposal),
        exclude: [...base.rules.exclude, proposal],
      }
      const o = resolve(base, reshaped(base, none), counter)
      extra.priceAgainstNone = o.status === "optimal" ? o.value - value : null
    }
    out.push(entry(item.id, item.kind, item.text, r, extra))
  }
  for (const id of base.rules.payback.exempt) {
    const without: Rules = {
      ...base.rules,
      payback: { ...base.rules.payback, exempt: base.rules.payback.exempt.filter((x) => x !== id) },
    }
    out.push(entry(`exempt:${id}`, "exemption", analysisDa.exemption(id), reshaped(base, without)))
  }
  return out
}

/** Every whole-period or per-year limit: use, slack, whether it binds, and the exact gain of 1 and 10 mio. kr. more. */
const limitStates = (
  base: Base,
  best: { value: number; choice: readonly number[] },
  bestChoices: readonly Entry[],
  counter: Counter,
): LimitState[] =>
  base.universe.constraints.flatMap((c, ci) => {
    const item = base.items.find((i) => i.id === c.rule)
    if (item?.kind !== "limit" || c.max === undefined || c.given.max === undefined) return []
    const scale = exactScale(c)
    const units = usage(base, ci, best.choice)
    const used = toNumber(rat(BigInt(units) * scale.d, scale.n))
    const blocks = base.universe.groups.flatMap((g, gi) =>
      (best.choice[gi] ?? -1) < 0 &&
      g.options.some(
        (o, oi) =>
          (base.scenario.allowed[gi] ?? []).includes(oi) &&
          o.value > 0 &&
          units + (c.coefs[gi]?.[oi] ?? 0) > (c.max ?? 0),
      )
        ? [g.proposal]
        : [],
    )
    const given = fromNumber(c.given.max)
    const gains = [1000, 10000].map((extra) => {
      const o = resolve(
        base,
        withBounds(base.scenario, new Map([[ci, { max: maxBound(scale, add(given, rat(BigInt(extra)))) }]])),
        counter,
      )
      const v = o.status === "optimal" ? o.value : best.value
      return {
        extra,
        gain: v - best.value,
        ...change(bestChoices, o.status === "optimal" ? choicesOf(base, o.choice) : bestChoices),
      }
    })
    return [
      {
        rule: c.rule,
        text: item.text,
        used,
        max: c.given.max,
        slack: c.given.max - used,
        binding: blocks.length > 0,
        blocks,
        gains,
      },
    ]
  })
