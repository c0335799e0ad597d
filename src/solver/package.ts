import { keyFigures } from "../model/keyFigures.ts"
import { builtInPrices, type Prices } from "../model/round.ts"
import type { PoolArea, Proposal, Variant } from "../model/schema.ts"
import { choiceValue } from "./check.ts"
import { cachedFactor, compile, lookups, type Problem } from "./compile.ts"
import { toNumber } from "./engine/rational.ts"
import type { AreaAmounts, ChosenVariant, PackageFigures, RuleItem, RuleUse } from "./result.ts"
import { poolPriceLevelOf, type Rules } from "./rules.ts"

/** All figures of a package (choice per group of `problem`), in the table's and the pool's price level. */
export const packageFigures = (
  proposals: readonly Proposal[],
  problem: Problem,
  choice: readonly number[],
  rules: Rules,
  prices: Prices = builtInPrices(),
): PackageFigures => {
  const { byId } = lookups(proposals)
  const q = poolPriceLevelOf(rules, prices)
  const t = prices.tablePriceLevel
  const chosen: ChosenVariant[] = []
  // Per year: table service, table anlæg, pool service, pool anlæg (years[i] at sums[i * 4 …]);
  // a package reaches a handful of years, so a list beats a Map of arrays.
  const years: number[] = []
  const sums: number[] = []
  // Σ over the package, in the order chosen: table service, table anlæg, pool service, pool anlæg.
  let ts = 0
  let ta = 0
  let ps = 0
  let pa = 0
  let permanentEffect = 0
  const { groups } = problem
  for (let gi = 0; gi < groups.length; gi++) {
    const g = groups[gi]
    const o = optionOf(g, choice[gi])
    if (!g || !o) continue
    const p = byId.get(g.proposal)
    const v = p && variantOf(p, o.variant)
    if (!p || !v) continue
    const c = converted(v, t, q, prices)
    for (let i = 0; i < c.years.length; i++) {
      const y = c.years[i] ?? 0
      let at = years.indexOf(y)
      if (at < 0) {
        at = years.length
        years.push(y)
        sums.push(0, 0, 0, 0)
      }
      for (let j = 0; j < 4; j++) sums[at * 4 + j] = (sums[at * 4 + j] ?? 0) + (c.byYear[i * 4 + j] ?? 0)
    }
    chosen.push(chosenEntry(p, v, o, c))
    ts += c.poolCostTable.service
    ta += c.poolCostTable.anlaeg
    ps += c.poolCostPool.service
    pa += c.poolCostPool.anlaeg
    permanentEffect += c.permanentEffect
  }
  // Years are four-digit integers (the schema's Year): an object lists such keys in numeric
  // order whatever the order they were added in.
  const tableYear: Record<string, AreaAmounts> = {}
  const poolYear: Record<string, AreaAmounts> = {}
  for (let i = 0; i < years.length; i++) {
    const y = years[i] ?? 0
    tableYear[y] = { service: sums[i * 4] ?? 0, anlaeg: sums[i * 4 + 1] ?? 0 }
    poolYear[y] = { service: sums[i * 4 + 2] ?? 0, anlaeg: sums[i * 4 + 3] ?? 0 }
  }
  // One literal, a pool without a limit undefined (JSON leaves it out; see ruleUse).
  const { service, anlaeg, combined } = rules.limits
  const poolLeft = {
    service: service === undefined ? undefined : service - ps,
    anlaeg: anlaeg === undefined ? undefined : anlaeg - pa,
    combined: combined === undefined ? undefined : combined - ps - pa,
  }
  // Every rule's sum over the package, once: ruleUse and the payback check both start from them.
  const ruleSums = constraintSums(problem, choice)
  const use = ruleUse(problem, choice, ruleSums)
  const payback = paybackUse(proposals, problem, choice, rules, prices, ruleSums)
  if (payback) use.push(payback)
  return {
    chosen,
    objective: choiceValue(problem, choice),
    permanentEffect,
    tablePriceLevel: t,
    poolPriceLevel: q,
    totals: {
      table: { service: ts, anlaeg: ta, byYear: tableYear },
      pool: { service: ps, anlaeg: pa, byYear: poolYear },
    },
    poolLeft,
    rules: use,
  }
}

const entryMemo = new WeakMap<Converted, ChosenVariant>()
/**
 * A chosen variant's line of a package. Its figures depend on the data and the price levels, not
 * on the package, so the line is one frozen object per variant (and value), shared by every
 * package that funds it: a solve does not build it again, and its JSON text is made once (see
 * solveResultJson).
 */
const chosenEntry = (
  p: Proposal,
  v: Variant,
  o: { readonly value: number; readonly paybackYears: number | null },
  c: Converted,
): ChosenVariant => {
  const e = entryMemo.get(c)
  if (
    e !== undefined &&
    e.proposal === p.id &&
    e.variant === v.id &&
    e.title === p.title &&
    e.committee === p.committee &&
    e.value === o.value &&
    e.paybackYears === o.paybackYears
  )
    return e
  const made: ChosenVariant = Object.freeze({
    proposal: p.id,
    variant: v.id,
    title: p.title,
    committee: p.committee,
    permanentEffect: c.permanentEffect,
    value: o.value,
    paybackYears: o.paybackYears,
    poolCostTable: Object.freeze({ service: c.poolCostTable.service, anlaeg: c.poolCostTable.anlaeg }),
    poolCostPool: Object.freeze({ service: c.poolCostPool.service, anlaeg: c.poolCostPool.anlaeg }),
  })
  entryMemo.set(c, made)
  return made
}

/** The variant of a proposal with this id (a plain loop: this runs for every chosen variant). */
const variantOf = (p: Proposal, id: string): Variant | undefined => {
  for (const v of p.variants) if (v.id === id) return v
  return undefined
}

/** A variant's pool cost converted to the table's (t) and the pool's (q) price level. */
interface Converted {
  readonly t: number
  readonly q: number
  readonly index: Prices["priceIndex"]
  readonly years: readonly number[]
  /** Per year i: table service, table anlæg, pool service, pool anlæg at [i * 4 + 0 … 3]. */
  readonly byYear: Float64Array
  readonly poolCostTable: AreaAmounts
  readonly poolCostPool: AreaAmounts
  readonly permanentEffect: number
}

const convertedMemo = new WeakMap<Variant, Converted>()
/**
 * A variant's figures as a package shows them, kept per variant for the last pair of price
 * levels and price index asked (they depend on the data, not on the rules): every solve of the
 * same round reads them again for each chosen variant.
 */
const converted = (v: Variant, t: number, q: number, prices: Prices): Converted => {
  const index = prices.priceIndex
  const memo = convertedMemo.get(v)
  if (memo && memo.t === t && memo.q === q && memo.index === index) return memo
  const figures = keyFigures(v)
  const conv = (amount: number, area: PoolArea, to: number) =>
    v.priceLevel === to ? amount : amount * toNumber(cachedFactor(area, v.priceLevel, to, index))
  // The years either area's series reaches (a year a series does not reach adds nothing).
  const n = Math.max(figures.poolCost.service.length, figures.poolCost.anlaeg.length)
  const years = Array.from({ length: n }, (_, i) => v.years[i] ?? 0)
  const byYear = new Float64Array(4 * n)
  ;(["service", "anlaeg"] as const).forEach((area, at) => {
    const series = figures.poolCost[area]
    for (let i = 0; i < series.length; i++) {
      byYear[i * 4 + at] = conv(series[i] ?? 0, area, t)
      byYear[i * 4 + at + 2] = conv(series[i] ?? 0, area, q)
    }
  })
  const s = figures.poolCostTotal.service
  const a = figures.poolCostTotal.anlaeg
  const c: Converted = {
    t,
    q,
    index,
    years,
    byYear,
    poolCostTable: { service: conv(s, "service", t), anlaeg: conv(a, "anlaeg", t) },
    poolCostPool: { service: conv(s, "service", q), anlaeg: conv(a, "anlaeg", q) },
    permanentEffect: figures.permanentEffect,
  }
  convertedMemo.set(v, c)
  return c
}

/** Σ coefs of every constraint over a choice (option index per group, -1 = none). */
const constraintSums = (problem: Problem, choice: readonly number[]): number[] => {
  const { constraints } = problem
  const sums: number[] = []
  for (let ci = 0; ci < constraints.length; ci++) {
    const coefs = constraints[ci]?.coefs
    let sum = 0
    for (let gi = 0; gi < choice.length; gi++) {
      const o = choice[gi] ?? -1
      if (o >= 0) sum += coefs?.[gi]?.[o] ?? 0
    }
    sums.push(sum)
  }
  return sums
}

/**
 * The payback rule as a rule with a bound: the longest payback in the package against the limit,
 * and the proposals it keeps out: not in the package, with a variant that would add to the
 * objective and fit under every other rule, but pays back too slowly.
 */
const paybackUse = (
  proposals: readonly Proposal[],
  problem: Problem,
  choice: readonly number[],
  rules: Rules,
  prices: Prices,
  problemSums: readonly number[],
): RuleUse | null => {
  const max = rules.payback.maxYears
  const item = ruleItem(problem, "payback")
  if (max === null || !item) return null
  const { exempt } = rules.payback
  const { groups } = problem
  // Plain loops, and the groups' index by proposal kept per groups array, not a Map and a Set
  // of ~30 entries each made on every solve: this runs on every solve with the rule on (the
  // default), and those two were a good part of what a solve left to the scavenger (issue 8).
  let used = 0
  for (let gi = 0; gi < groups.length; gi++) {
    const g = groups[gi]
    const o = optionOf(g, choice[gi])
    if (!g || !o) continue
    const pb = o.paybackYears
    if (pb !== undefined && pb !== null && pb > used && !exempt.includes(g.proposal)) used = pb
  }
  // What the rule left out was compiled with the problem, in the same integer scale. A problem
  // compiled otherwise (without the rule, say) is compiled again: the package's choice is carried
  // over by name, a chosen variant the rule leaves out counted in with its coefficients.
  const own = problem.paybackBlocked ? problem : compile(proposals, rules, { prices })
  let ownChoice = choice
  if (own !== problem) {
    const recarried: number[] = []
    for (const g of own.groups) {
      const v = chosenVariant(problem, choice, g.proposal)
      recarried.push(g.options.findIndex((o) => o.variant === v))
    }
    ownChoice = recarried
  }
  const ownIndex = groupIndex(own.groups)
  const sums = own === problem ? [...problemSums] : constraintSums(own, ownChoice)
  const blockedList = own.paybackBlocked ?? []
  // Proposals in the package in a variant the rule leaves out (only where `own` was compiled
  // again: the problem's own groups have no such option).
  let takenBlocked: string[] | null = null
  for (const b of blockedList)
    if (chosenVariant(problem, choice, b.proposal) === b.variant) {
      takenBlocked ??= []
      takenBlocked.push(b.proposal)
      for (let ci = 0; ci < b.coefs.length; ci++) sums[ci] = (sums[ci] ?? 0) + (b.coefs[ci] ?? 0)
    }
  const taken = (proposal: string): boolean => {
    const gi = ownIndex.get(proposal)
    return (gi !== undefined && (ownChoice[gi] ?? -1) >= 0) || (takenBlocked?.includes(proposal) ?? false)
  }
  const blocks: string[] = []
  for (const b of blockedList) {
    if (b.value <= 0 || blocks.at(-1) === b.proposal || taken(b.proposal)) continue
    let fits = true
    for (let ci = 0; ci < own.constraints.length && fits; ci++) {
      const c = own.constraints[ci]
      if (c && c.max !== undefined && (sums[ci] ?? 0) + (b.coefs[ci] ?? 0) > c.max) fits = false
    }
    if (fits) blocks.push(b.proposal)
  }
  return {
    rule: "payback",
    text: item.text,
    kind: "payback",
    used,
    max,
    slack: max - used,
    binding: blocks.length > 0,
    blocks,
    nothingFits: false,
  }
}

/**
 * The last rule item with this id (as a Map of them by id would give), or undefined: a plain
 * loop, not a Map made on every solve (a solve has a few dozen rules).
 */
const ruleItem = (problem: Problem, id: string): RuleItem | undefined => {
  const { rules } = problem
  for (let i = rules.length - 1; i >= 0; i--) if (rules[i]?.id === id) return rules[i]
  return undefined
}

const groupIndexes = new WeakMap<Problem["groups"], Map<string, number>>()
/** Each group's index by proposal id, kept per groups array (compile shares those between solves). */
const groupIndex = (groups: Problem["groups"]): ReadonlyMap<string, number> => {
  let index = groupIndexes.get(groups)
  if (!index) {
    index = new Map()
    for (let gi = 0; gi < groups.length; gi++) index.set(groups[gi]?.proposal ?? "", gi)
    groupIndexes.set(groups, index)
  }
  return index
}

/** The variant of `proposal` that a choice over `problem`'s groups takes, if any. */
const chosenVariant = (problem: Problem, choice: readonly number[], proposal: string): string | undefined => {
  const gi = groupIndex(problem.groups).get(proposal)
  return gi === undefined ? undefined : optionOf(problem.groups[gi], choice[gi])?.variant
}

/**
 * The option group `g` takes in a choice (its index there), undefined for none (-1). The index is
 * checked before the lookup: `options[-1]` is a lookup of the property "-1" in V8, ~80 ns against
 * a few for an index, and a package leaves out a third of the groups or so.
 */
const optionOf = (g: Problem["groups"][number] | undefined, at: number | undefined) =>
  at === undefined || at < 0 ? undefined : g?.options[at]

/**
 * Used amount, slack and binding state of every rule with a bound. A maximum binds when it alone
 * keeps out a proposal that would add to the objective (every other maximum would let it in);
 * when what it keeps out is kept out by another rule too, what is left under it is simply too
 * little for any remaining proposal (`nothingFits`), which is not the same as binding.
 */
export const ruleUse = (
  problem: Problem,
  choice: readonly number[],
  sums: readonly number[] = constraintSums(problem, choice),
): RuleUse[] => {
  const { constraints, groups } = problem
  // Per constraint: the groups not in the package with a positive option it would break, and
  // whether one such option is kept out by this constraint alone.
  // A plain loop, not map (see compile's paybackBlocked).
  const blocked: string[][] = []
  for (let ci = 0; ci < constraints.length; ci++) blocked.push([])
  const alone = new Uint8Array(constraints.length)
  const listed = new Uint8Array(constraints.length)
  // Plain loops: this runs on every solve, over every proposal left out and every rule.
  for (let gi = 0; gi < groups.length; gi++) {
    if ((choice[gi] ?? -1) >= 0) continue
    const g = groups[gi]
    if (!g) continue
    listed.fill(0)
    for (let oi = 0; oi < g.options.length; oi++) {
      if ((g.options[oi]?.value ?? 0) <= 0) continue
      let breaking = 0
      let last = -1
      for (let ci = 0; ci < constraints.length; ci++) {
        const c = constraints[ci]
        if (!c || c.max === undefined || (sums[ci] ?? 0) + (c.coefs[gi]?.[oi] ?? 0) <= c.max) continue
        breaking++
        last = ci
        if (!listed[ci]) {
          listed[ci] = 1
          blocked[ci]?.push(g.proposal)
        }
      }
      if (breaking === 1) alone[last] = 1
    }
  }
  const out: RuleUse[] = []
  for (let ci = 0; ci < constraints.length; ci++) {
    const c = constraints[ci]
    if (!c) continue
    const sum = sums[ci] ?? 0
    const blocks = blocked[ci] ?? []
    const item = ruleItem(problem, c.rule)
    const used = sum / c.scale
    const { max, min } = c.given
    // One literal in the order the answer lists its fields, an absent bound undefined (JSON
    // leaves it out): not spreads of optional fields, nor fields added one by one, whose hidden
    // classes only live objects hold (see compile's bounded).
    out.push({
      rule: c.rule,
      text: item?.text ?? c.rule,
      kind: item?.kind ?? "limit",
      used,
      max,
      min,
      slack: max !== undefined ? max - used : used - (min ?? 0),
      binding: alone[ci] === 1 || (c.min !== undefined && sum === c.min),
      blocks,
      nothingFits: !alone[ci] && blocks.length > 0,
    })
  }
  return out
}
