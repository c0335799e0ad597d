import { keyFigures } from "../model/keyFigures.ts"
import { builtInPrices, type Prices } from "../model/round.ts"
import type { PoolArea, Proposal } from "../model/schema.ts"
import { choiceValue } from "./check.ts"
import { cachedFactor, type Problem } from "./compile.ts"
import { toNumber } from "./rational.ts"
import type { AreaAmounts, ChosenVariant, PackageFigures, RuleUse } from "./result.ts"
import { poolPriceLevelOf, type Rules } from "./rules.ts"

/** All figures of a package (choice per group of `problem`), in the table's and the pool's price level. */
export const packageFigures = (
  proposals: readonly Proposal[],
  problem: Problem,
  choice: readonly number[],
  rules: Rules,
  prices: Prices = builtInPrices(),
): PackageFigures => {
  const byId = new Map(proposals.map((p) => [p.id, p]))
  const q = poolPriceLevelOf(rules, prices)
  const t = prices.tablePriceLevel
  // Conversion factors as numbers, looked up once per area and pair of price levels.
  const factorMemo: Record<PoolArea, Map<number, number>> = { service: new Map(), anlaeg: new Map() }
  const conv = (amount: number, area: PoolArea, from: number, to: number) => {
    if (from === to) return amount
    const key = from * 10_000 + to
    let f = factorMemo[area].get(key)
    if (f === undefined) {
      f = toNumber(cachedFactor(area, from, to, prices.priceIndex))
      factorMemo[area].set(key, f)
    }
    return amount * f
  }
  const chosen: ChosenVariant[] = []
  const tableYear: Record<string, { service: number; anlaeg: number }> = {}
  const poolYear: Record<string, { service: number; anlaeg: number }> = {}
  problem.groups.forEach((g, gi) => {
    const o = g.options[choice[gi] ?? -1]
    if (!o) return
    const p = byId.get(g.proposal)
    const v = p?.variants.find((x) => x.id === o.variant)
    if (!p || !v) return
    const figures = keyFigures(v)
    const area = (a: PoolArea) => {
      figures.poolCost[a].forEach((x, i) => {
        const y = String(v.years[i])
        tableYear[y] ??= { service: 0, anlaeg: 0 }
        poolYear[y] ??= { service: 0, anlaeg: 0 }
        tableYear[y][a] += conv(x, a, v.priceLevel, t)
        poolYear[y][a] += conv(x, a, v.priceLevel, q)
      })
      return figures.poolCostTotal[a]
    }
    const s = area("service")
    const a = area("anlaeg")
    chosen.push({
      proposal: p.id,
      variant: v.id,
      title: p.title,
      committee: p.committee,
      permanentEffect: figures.permanentEffect,
      value: o.value,
      paybackYears: o.paybackYears,
      poolCostTable: {
        service: conv(s, "service", v.priceLevel, t),
        anlaeg: conv(a, "anlaeg", v.priceLevel, t),
      },
      poolCostPool: {
        service: conv(s, "service", v.priceLevel, q),
        anlaeg: conv(a, "anlaeg", v.priceLevel, q),
      },
    })
  })
  const sum = (f: (c: ChosenVariant) => number) => chosen.reduce((acc, c) => acc + f(c), 0)
  const pool: AreaAmounts = {
    service: sum((c) => c.poolCostPool.service),
    anlaeg: sum((c) => c.poolCostPool.anlaeg),
  }
  const poolLeft: { service?: number; anlaeg?: number; combined?: number } = {}
  if (rules.limits.service !== undefined) poolLeft.service = rules.limits.service - pool.service
  if (rules.limits.anlaeg !== undefined) poolLeft.anlaeg = rules.limits.anlaeg - pool.anlaeg
  if (rules.limits.combined !== undefined)
    poolLeft.combined = rules.limits.combined - pool.service - pool.anlaeg
  return {
    chosen,
    objective: choiceValue(problem, choice),
    permanentEffect: sum((c) => c.permanentEffect),
    tablePriceLevel: t,
    poolPriceLevel: q,
    totals: {
      table: {
        service: sum((c) => c.poolCostTable.service),
        anlaeg: sum((c) => c.poolCostTable.anlaeg),
        byYear: sortKeys(tableYear),
      },
      pool: { ...pool, byYear: sortKeys(poolYear) },
    },
    poolLeft,
    rules: ruleUse(problem, choice),
  }
}

const sortKeys = <T>(r: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)))

/** Used amount, slack and binding state of every rule with a bound. */
export const ruleUse = (problem: Problem, choice: readonly number[]): RuleUse[] =>
  problem.constraints.map((c) => {
    let sum = 0
    problem.groups.forEach((_, gi) => {
      const o = choice[gi] ?? -1
      if (o >= 0) sum += c.coefs[gi]?.[o] ?? 0
    })
    const blocks: string[] = []
    if (c.max !== undefined)
      problem.groups.forEach((g, gi) => {
        if ((choice[gi] ?? -1) >= 0) return
        if (g.options.some((o, oi) => o.value > 0 && sum + (c.coefs[gi]?.[oi] ?? 0) > (c.max ?? 0)))
          blocks.push(g.proposal)
      })
    const item = problem.rules.find((r) => r.id === c.rule)
    const used = sum / c.scale
    const slack = c.given.max !== undefined ? c.given.max - used : used - (c.given.min ?? 0)
    return {
      rule: c.rule,
      text: item?.text ?? c.rule,
      kind: item?.kind ?? "limit",
      used,
      ...(c.given.max !== undefined ? { max: c.given.max } : {}),
      ...(c.given.min !== undefined ? { min: c.given.min } : {}),
      slack,
      binding: blocks.length > 0 || (c.min !== undefined && sum === c.min),
      blocks,
    }
  })
