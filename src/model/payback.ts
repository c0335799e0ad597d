import { cumulate, implementationCost, permanentChange, permanentEffect } from "./cashflow.ts"
import type { Variant } from "./schema.ts"

/**
 * Payback basis. `total`: all permanent changes against all implementation costs (totaløkonomi).
 * `service`: only the permanent changes in the service area against all implementation costs
 * (serviceeffektivisering).
 */
export type PaybackBasis = "service" | "total"

/**
 * Payback time in whole years, or null when the proposal never pays back.
 *
 * Convention (the one that reproduces the document's printed figures):
 * - year 1 is the first table year with an implementation cost (for almost every proposal the
 *   table's first year; BC41's table opens with an empty 2026 and counts from 2027); any flow
 *   before it counts in year 1, so a saving never lengthens the payback;
 * - the net impact (permanent change + implementation cost) is cumulated year by year; after the
 *   table the permanent change goes on at its last level;
 * - the payback is the year from which the cumulated net impact is at or below zero for good
 *   (an early dip below zero that turns positive again does not count).
 */
export const paybackYears = (v: Variant, basis: PaybackBasis = "total"): number | null => {
  const area = basis === "service" ? "service" : undefined
  const perm = permanentChange(v, area)
  const cost = implementationCost(v)
  const flows = v.years.map((_, i) => (perm[i] ?? 0) + (cost[i] ?? 0))
  if (flows.every((x) => x === 0)) return null
  // Year 1 is the first year with an implementation cost; flows before it count in year 1, so
  // that a saving can never lengthen the payback by moving year 1 earlier.
  const first = cost.findIndex((x) => x !== 0)
  const start = Math.max(first, 0)
  const head = flows.slice(0, start + 1).reduce((a, b) => a + b, 0)
  const cum = cumulate([head, ...flows.slice(start + 1)])
  const tail = permanentEffect(v, area)
  const end = cum[cum.length - 1] ?? 0
  if (tail > 0 || (tail === 0 && end > 0)) return null
  if (end > 0) return cum.length + Math.ceil(end / -tail)
  let lastPositive = -1
  cum.forEach((c, i) => {
    if (c > 0) lastPositive = i
  })
  return lastPositive + 2
}
