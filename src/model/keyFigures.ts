import { permanentEffect, poolCost, total, type YearSeries } from "./cashflow.ts"
import { type PaybackBasis, paybackYears } from "./payback.ts"
import type { PoolArea, Variant } from "./schema.ts"

/** A variant's figures that solvers ask for again and again (1.000 kr., the table's price level). */
export interface KeyFigures {
  readonly poolCost: Readonly<Record<PoolArea, YearSeries>>
  readonly poolCostTotal: Readonly<Record<PoolArea, number>>
  readonly permanentEffect: number
  readonly payback: Readonly<Record<PaybackBasis, number | null>>
}

const memo = new WeakMap<Variant, KeyFigures>()

/**
 * The figures of a variant, computed once per variant object. Variants are treated as immutable
 * values once loaded or parsed; a changed variant is a new object.
 */
export const keyFigures = (v: Variant): KeyFigures => {
  let f = memo.get(v)
  if (!f) {
    const service = poolCost(v, "service")
    const anlaeg = poolCost(v, "anlaeg")
    f = {
      poolCost: { service, anlaeg },
      poolCostTotal: { service: total(service), anlaeg: total(anlaeg) },
      permanentEffect: permanentEffect(v),
      payback: { total: paybackYears(v, "total"), service: paybackYears(v, "service") },
    }
    memo.set(v, f)
  }
  return f
}
