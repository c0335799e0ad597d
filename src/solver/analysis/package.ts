import { z } from "zod"
import { keyFigures } from "../../model/keyFigures.ts"
import { cachedFactor } from "../compile.ts"
import { toNumber } from "../rational.ts"
import { Entry } from "../result.ts"
import { poolPriceLevelOf } from "../rules.ts"
import type { Base } from "./resolve.ts"

/** A package as the analyses report it. */
export const AnalysedPackage = z.object({
  choices: z.array(Entry),
  /** The objective: yearly saving at full phase-in, 1.000 kr. 2027 p/l (or the cumulated net saving). */
  objective: z.number(),
  /** Pool cost over the period, 1.000 kr. in the pool's price level (2026 p/l), fractions kept. */
  poolCost: z.object({ service: z.number(), anlaeg: z.number() }),
})
export type AnalysedPackage = z.infer<typeof AnalysedPackage>

/** What changes from one package to the next: proposals (variants) that enter and leave. */
export const PackageChange = z.object({ entered: z.array(Entry), left: z.array(Entry) })
export type PackageChange = z.infer<typeof PackageChange>

/** The chosen variants of a choice over the universe. */
export const choicesOf = (base: Base, choice: readonly number[]): Entry[] =>
  base.universe.groups.flatMap((g, gi) => {
    const o = g.options[choice[gi] ?? -1]
    return o ? [{ proposal: g.proposal, variant: o.variant }] : []
  })

/** The package's objective (universe values) and pool cost per area (pool price level). */
export const describe = (base: Base, choice: readonly number[]): AnalysedPackage => {
  const q = poolPriceLevelOf(base.rules, base.prices)
  const byId = new Map(base.proposals.map((p) => [p.id, p]))
  let service = 0
  let anlaeg = 0
  let objective = 0
  base.universe.groups.forEach((g, gi) => {
    const o = g.options[choice[gi] ?? -1]
    if (!o) return
    objective += o.value
    const v = byId.get(g.proposal)?.variants.find((x) => x.id === o.variant)
    if (!v) return
    const f = keyFigures(v)
    service +=
      f.poolCostTotal.service * toNumber(cachedFactor("service", v.priceLevel, q, base.prices.priceIndex))
    anlaeg +=
      f.poolCostTotal.anlaeg * toNumber(cachedFactor("anlaeg", v.priceLevel, q, base.prices.priceIndex))
  })
  return { choices: choicesOf(base, choice), objective, poolCost: { service, anlaeg } }
}

const key = (c: Entry) => `${c.proposal}:${c.variant}`

/** What enters and leaves going from package `from` to package `to`. */
export const change = (from: readonly Entry[], to: readonly Entry[]): PackageChange => {
  const a = new Set(from.map(key))
  const b = new Set(to.map(key))
  return { entered: to.filter((c) => !a.has(key(c))), left: from.filter((c) => !b.has(key(c))) }
}

/** The price level and unit every analysis names beside its figures. */
export const Units = z.object({
  /** Unit of every amount: "1.000 kr.". */
  unit: z.literal("1.000 kr."),
  /** Price level of the objective and of the tables (2027). */
  tablePriceLevel: z.number().int(),
  /** Price level of pool amounts and limits (2026). */
  poolPriceLevel: z.number().int(),
})
export type Units = z.infer<typeof Units>

export const unitsOf = (base: Base): Units => ({
  unit: "1.000 kr.",
  tablePriceLevel: base.prices.tablePriceLevel,
  poolPriceLevel: poolPriceLevelOf(base.rules, base.prices),
})
