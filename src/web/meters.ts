import type { PriceIndex } from "../model/priceLevel.ts"
import type { PoolArea } from "../model/schema.ts"
import { add, div, fromNumber, mul, type Rational, rat, toNumber } from "../solver/rational.ts"
import type { Entry, LimitArea, Limits, PageProposal, PaybackRule, VariantFigures } from "./types.ts"

/**
 * The pool meters, computed in the page from the proposals' figures, so that a click moves them
 * at once (the rule check itself comes from the service). Costs are summed as the tables print
 * them (integers, table p/l) times the exact price factor, so "over the limit" is decided exactly,
 * as the solver decides it; amounts shown are in the pool's price level, in 1.000 kr.
 */

/** One meter: a pool (or both pools, "combined") over the whole period or in one year. */
export interface Meter {
  readonly area: LimitArea
  /** null: the whole period. */
  readonly year: number | null
  /** Pool cost of the package, 1.000 kr. pool p/l (fractions kept). */
  readonly used: number
  /** The limit, 1.000 kr. pool p/l; null when the rules set none. */
  readonly limit: number | null
  /** limit − used; null without a limit. */
  readonly left: number | null
  /** Whether the package costs more than the limit (decided in exact arithmetic). */
  readonly over: boolean
}

export interface Meters {
  /** Service and anlæg over the whole period, and both together when a combined limit exists. */
  readonly pools: readonly Meter[]
  /** Per table year: service and anlæg, and combined where a per-year combined limit exists. */
  readonly years: readonly Meter[]
  /** The package's yearly saving at full phase-in, 1.000 kr. table p/l (2027 for OFS 2025-26). */
  readonly saving: number
  readonly tablePriceLevel: number
}

const AREAS: readonly PoolArea[] = ["service", "anlaeg"]
const ZERO = rat(0n)

/** The figures of the chosen variant of a proposal, if both exist. */
export const variantOf = (p: PageProposal | undefined, variant: string): VariantFigures | undefined =>
  p?.figures.find((f) => f.variant === variant)

const greater = (a: Rational, b: Rational) => a.n * b.d > b.n * a.d

/**
 * The meters of `pkg` under `limits` (pool p/l `poolPriceLevel`), with the round's price `index`
 * (read here rather than through the model's priceLevelOf, which would bring zod into the page).
 */
export const meters = (
  proposals: ReadonlyMap<string, PageProposal>,
  pkg: readonly Entry[],
  limits: Limits,
  poolPriceLevel: number,
  index: PriceIndex,
): Meters => {
  const levelOf = (area: PoolArea, year: number) => {
    const l = index.levels[area][String(year)]
    if (l === undefined) throw new RangeError(`price index ${index.version} has no ${area} level for ${year}`)
    return l
  }
  const factors = new Map<string, Rational>()
  const factor = (area: PoolArea, from: number) => {
    const key = `${area}:${from}`
    let f = factors.get(key)
    if (f === undefined) {
      f = div(fromNumber(levelOf(area, poolPriceLevel)), fromNumber(levelOf(area, from)))
      factors.set(key, f)
    }
    return f
  }
  const years = new Set<number>()
  // Only years in which some proposal costs the pool something, or a yearly limit exists.
  for (const p of proposals.values())
    for (const f of p.figures)
      for (const area of AREAS)
        for (const [y, x] of Object.entries(f.poolCostTable[area].byYear)) if (x) years.add(Number(y))
  for (const l of limits.perYear) years.add(l.year)
  const used = new Map<string, Rational>()
  const addTo = (key: string, x: Rational) => used.set(key, add(used.get(key) ?? ZERO, x))
  let saving = 0
  let tablePriceLevel = 0
  for (const e of pkg) {
    const f = variantOf(proposals.get(e.proposal), e.variant)
    if (f === undefined) continue
    saving -= f.permanentEffect
    tablePriceLevel = f.tablePriceLevel
    for (const area of AREAS) {
      const r = factor(area, f.tablePriceLevel)
      const cost = f.poolCostTable[area]
      addTo(area, mul(rat(BigInt(cost.total)), r))
      for (const [y, x] of Object.entries(cost.byYear)) if (x) addTo(`${area}:${y}`, mul(rat(BigInt(x)), r))
    }
  }
  const sum = (area: LimitArea, year: number | null): Rational => {
    const at = (a: PoolArea) => used.get(year === null ? a : `${a}:${year}`) ?? ZERO
    return area === "combined" ? add(at("service"), at("anlaeg")) : at(area)
  }
  const meter = (area: LimitArea, year: number | null, limit: number | undefined): Meter => {
    const u = sum(area, year)
    const value = toNumber(u)
    return limit === undefined
      ? { area, year, used: value, limit: null, left: null, over: false }
      : { area, year, used: value, limit, left: limit - value, over: greater(u, fromNumber(limit)) }
  }
  const perYear = (area: LimitArea, year: number) => {
    const caps = limits.perYear.filter((l) => l.area === area && l.year === year).map((l) => l.max)
    return caps.length ? Math.min(...caps) : undefined
  }
  const pools = AREAS.map((a) => meter(a, null, limits[a]))
  if (limits.combined !== undefined) pools.push(meter("combined", null, limits.combined))
  const yearMeters: Meter[] = []
  for (const y of [...years].sort()) {
    for (const a of AREAS) yearMeters.push(meter(a, y, perYear(a, y)))
    const both = perYear("combined", y)
    if (both !== undefined) yearMeters.push(meter("combined", y, both))
  }
  return { pools, years: yearMeters, saving, tablePriceLevel }
}

/**
 * Whether a variant breaks the payback rule (as the solver reads it): its payback on the rule's
 * basis is longer than allowed, or it never pays back, and the proposal is not exempt.
 */
export const breaksPayback = (id: string, f: VariantFigures, rule: PaybackRule): boolean => {
  if (rule.maxYears === null || rule.exempt.includes(id)) return false
  const years = f.paybackYears[rule.basis]
  return years === null || years > rule.maxYears
}
