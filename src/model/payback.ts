import { cumulate, implementationCost, permanentChange, permanentEffect } from "./cashflow.ts"
import type { Variant } from "./schema.ts"

/**
 * Payback basis. `total`: all permanent changes against all implementation costs (totaløkonomi).
 * `service`: only the permanent changes in the service area against all implementation costs
 * (serviceeffektivisering).
 */
export type PaybackBasis = "service" | "total"

/** How far past the table payback is searched before it is called never (years). */
const HORIZON = 100

/**
 * Payback time in whole years. Convention: the table's first year is year 1; the net impact
 * (permanent change + implementation cost) is cumulated year by year, and after the table ends the
 * permanent change goes on at its last level. The payback is the first year in which the cumulated
 * net impact is at or below zero. Null when it never is (the permanent change never saves).
 */
export const paybackYears = (v: Variant, basis: PaybackBasis = "total"): number | null => {
  const area = basis === "service" ? "service" : undefined
  const perm = permanentChange(v, area)
  const cost = implementationCost(v)
  const cum = cumulate(v.years.map((_, i) => (perm[i] ?? 0) + (cost[i] ?? 0)))
  const hit = cum.findIndex((c) => c <= 0)
  if (hit >= 0) return hit + 1
  const tail = permanentEffect(v, area)
  const last = cum[cum.length - 1] ?? 0
  if (tail >= 0) return null
  const more = Math.ceil(last / -tail)
  return v.years.length + more <= HORIZON ? v.years.length + more : null
}
