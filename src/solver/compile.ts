import { cumulatedNetImpact } from "../model/cashflow.ts"
import { keyFigures } from "../model/keyFigures.ts"
import { type PriceIndex, priceLevelOf } from "../model/priceLevel.ts"
import { builtInPrices, type Prices } from "../model/round.ts"
import type { PoolArea, Proposal, Variant } from "../model/schema.ts"
import { ruleDa } from "../model/wording.ts"
import { ceil, div, floor, fromNumber, lcm, mul, type Rational, rat } from "./engine/rational.ts"
import type { RuleItem } from "./result.ts"
import { poolPriceLevelOf, type Rules, stableRules } from "./rules.ts"

/** A fundable variant of a proposal, with its objective value (an integer, 1.000 kr. 2027 p/l). */
export interface CompiledOption {
  readonly proposal: string
  readonly variant: string
  readonly value: number
  readonly paybackYears: number | null
}

/** One proposal: choose at most one option (exactly one when locked). */
export interface CompiledGroup {
  readonly proposal: string
  readonly committee: string
  readonly options: readonly CompiledOption[]
  readonly mustChoose: boolean
}

/**
 * A linear rule over the options in exact integers: min ≤ Σ coefs[g][o] · x[g][o] ≤ max.
 * Limits are converted to the options' price level and rounded towards feasibility only where
 * the integer left side makes that exact (floor of a max, ceil of a min).
 */
export interface CompiledConstraint {
  readonly rule: string
  readonly coefs: readonly (readonly number[])[]
  readonly max?: number | undefined
  readonly min?: number | undefined
  /** Integer units per unit of the rule as written: the rule's own measure is Σ coefs / scale. */
  readonly scale: number
  /** `scale` exactly, for converting a new bound the same way (warm re-solves); absent on hand-made rules. */
  readonly exactScale?: Rational
  /** The bound as the negotiator wrote it (pool p/l, count or saving). */
  readonly given: { readonly max?: number | undefined; readonly min?: number | undefined }
}

export interface CompiledDependency {
  readonly rule: string
  readonly kind: "requires" | "excludes"
  readonly a: number
  readonly b: number
}

/**
 * A variant the payback rule leaves out (and only that rule), with its objective value and the
 * coefficients it would have in each constraint (`coefs[c]`, in that constraint's integer scale).
 */
export interface PaybackBlocked {
  readonly proposal: string
  readonly variant: string
  readonly value: number
  readonly coefs: readonly number[]
}

/** The integer problem both engines solve. */
export interface Problem {
  readonly groups: readonly CompiledGroup[]
  readonly constraints: readonly CompiledConstraint[]
  readonly dependencies: readonly CompiledDependency[]
  readonly rules: readonly RuleItem[]
  /**
   * What the payback rule left out (when the rule was compiled), so that what it keeps out of a
   * package can be told without compiling again.
   */
  readonly paybackBlocked?: readonly PaybackBlocked[]
}

/** A rule that refers to something that does not exist (a proposal, variant or committee). */
export interface RuleIssue {
  readonly path: (string | number)[]
  readonly message: string
}

/** The value kept under `key` in `cache` (a Map or a WeakMap), made by `make` the first time. */
const kept = <K, V>(
  cache: { get(k: K): V | undefined; set(k: K, v: V): unknown },
  key: K,
  make: () => NoInfer<V>,
): V => {
  let v = cache.get(key)
  if (v === undefined) {
    v = make()
    cache.set(key, v)
  }
  return v
}

/** An empty Map: one function for every cache level, not a closure made on each call of a hot path. */
const newMap = <K, V>() => new Map<K, V>()
const newWeakMap = <K extends WeakKey, V>() => new WeakMap<K, V>()

const lookupMemo = new WeakMap<
  readonly Proposal[],
  { byId: Map<string, Proposal>; committees: Set<string>; levels: Set<number> }
>()
/** The proposals by id, their committees and price levels, once per proposals array. */
export const lookups = (proposals: readonly Proposal[]) =>
  kept(lookupMemo, proposals, () => ({
    byId: new Map(proposals.map((p) => [p.id, p])),
    committees: new Set(proposals.map((p) => p.committee)),
    levels: new Set(proposals.flatMap((p) => p.variants.map((v) => v.priceLevel))),
  }))

/** Check the references in `rules` against the proposals; an empty list means the rules are usable. */
export const checkRules = (
  proposals: readonly Proposal[],
  rules: Rules,
  prices: Prices = builtInPrices(),
): RuleIssue[] => {
  const { byId, committees, levels } = lookups(proposals)
  const issues: RuleIssue[] = []
  // Plain loops and module functions, not forEach with closures made on every call: this runs
  // on every solve, and usually finds nothing to check but the price levels (issue 8).
  // Two locks of one proposal in different named variants cannot both hold; say so instead of
  // letting one win. Locks that agree (the same variant, or "any" beside a named one) are merged.
  if (rules.locks.length) {
    const namedLock = new Map<string, number>()
    for (let i = 0; i < rules.locks.length; i++) {
      const l = rules.locks[i]
      if (!l) continue
      const first = namedLock.get(l.proposal)
      const other = first === undefined ? undefined : rules.locks[first]
      if (l.variant !== undefined && other?.variant !== undefined && other.variant !== l.variant)
        issues.push({
          path: ["locks", i, "variant"],
          message: `${l.proposal} is locked in two variants: locks[${first}] says ${other.variant}, locks[${i}] says ${l.variant}; a proposal is funded in one variant`,
        })
      else if (l.variant !== undefined && first === undefined) namedLock.set(l.proposal, i)
      const p = known(byId, issues, l.proposal, ["locks", i, "proposal"])
      if (l.variant !== undefined) variantOk(issues, p, l.variant, ["locks", i, "variant"])
    }
  }
  for (let i = 0; i < rules.exclude.length; i++) known(byId, issues, rules.exclude[i] ?? "", ["exclude", i])
  for (let i = 0; i < rules.payback.exempt.length; i++)
    known(byId, issues, rules.payback.exempt[i] ?? "", ["payback", "exempt", i])
  for (const id in rules.variants) {
    const vs = rules.variants[id] ?? []
    const p = known(byId, issues, id, ["variants", id])
    for (let i = 0; i < vs.length; i++) variantOk(issues, p, vs[i] ?? "", ["variants", id, i])
  }
  for (let i = 0; i < rules.committees.length; i++) {
    const q = rules.committees[i]
    if (q && !committees.has(q.committee))
      issues.push({
        path: ["committees", i, "committee"],
        message: `unknown committee "${q.committee}" (known: ${[...committees].join(", ")})`,
      })
  }
  for (let i = 0; i < rules.dependencies.length; i++) {
    const d = rules.dependencies[i]
    if (!d) continue
    known(byId, issues, d.proposal, ["dependencies", i, "proposal"])
    known(byId, issues, d.other, ["dependencies", i, "other"])
  }
  // Every price level in the data must be convertible to the pool's, for every area.
  for (const message of levelIssues(levels, poolPriceLevelOf(rules, prices), prices))
    issues.push({ path: ["poolPriceLevel"], message })
  return issues
}

/** The proposal with this id; an issue at `path` when there is none. */
const known = (
  byId: ReadonlyMap<string, Proposal>,
  issues: RuleIssue[],
  id: string,
  path: (string | number)[],
): Proposal | undefined => {
  const p = byId.get(id)
  if (!p) issues.push({ path, message: `unknown proposal ${id}` })
  return p
}

/** An issue at `path` when proposal `p` (if known) has no variant `v`. */
const variantOk = (issues: RuleIssue[], p: Proposal | undefined, v: string, path: (string | number)[]) => {
  if (p && !p.variants.some((x) => x.id === v))
    issues.push({
      path,
      message: `${p.id} has no variant "${v}" (it has ${p.variants.map((x) => x.id).join(", ")})`,
    })
}

/** Per price index and set of the data's price levels, per pool and table price level: what cannot be converted. */
const levelIssuesKept = new WeakMap<
  Prices["priceIndex"],
  WeakMap<ReadonlySet<number>, Map<number, Map<number, string[]>>>
>()
/**
 * The messages of the price levels (the data's, the pool's `q` and the table's) that the index
 * cannot convert, in either area; kept, as they depend on neither the rules' references nor
 * their bounds.
 */
const levelIssues = (levels: ReadonlySet<number>, q: number, prices: Prices): readonly string[] => {
  const byQ = kept(kept(levelIssuesKept, prices.priceIndex, newWeakMap), levels, newMap)
  const byTable = kept(byQ, q, newMap)
  let messages = byTable.get(prices.tablePriceLevel)
  if (messages === undefined) {
    messages = []
    for (const area of ["service", "anlaeg"] as const)
      for (const level of [...levels, q, prices.tablePriceLevel]) {
        try {
          priceLevelOf(area, level, prices.priceIndex)
        } catch (e) {
          messages.push((e as Error).message)
        }
      }
    byTable.set(prices.tablePriceLevel, messages)
  }
  return messages
}

/** The exact factor that moves an amount in `area` from price level `from` to `to`. */
export const exactPriceFactor = (area: PoolArea, from: number, to: number, index: PriceIndex): Rational =>
  div(fromNumber(priceLevelOf(area, to, index)), fromNumber(priceLevelOf(area, from, index)))

/** The objective value of one variant (an integer in 1.000 kr. 2027 p/l; larger is better). */
export const objectiveValue = (v: Variant, rules: Rules): number =>
  rules.objective.kind === "permanentEffect"
    ? -keyFigures(v).permanentEffect
    : -cumulatedNetImpact(v, rules.objective.untilYear)

/**
 * Turn proposals and rules into the integer problem. `drop` leaves rules out (by RuleItem id),
 * which is how a conflict is narrowed down.
 */
export const compile = (
  proposals: readonly Proposal[],
  given: Rules,
  opts: { drop?: ReadonlySet<string>; prices?: Prices } = {},
): Problem => {
  // Read through literal-made objects whoever calls (see stableRules): zod's output met here
  // between two solves threw compile's optimised code away, and it was compiled again.
  const rules = stableRules(given)
  const prices = opts.prices ?? builtInPrices()
  const index = prices.priceIndex
  const q = poolPriceLevelOf(rules, prices)
  const cx: Compiling = {
    drop: opts.drop ?? NOTHING,
    items: [],
    q,
    index,
    factors: null,
    shaped: null,
    rows: null,
    blockedRows: [],
    constraints: [],
  }

  // Rules that shape the groups.
  const excluded = new Set<string>()
  for (const id of rules.exclude)
    if (use(cx, { id: `exclude:${id}`, kind: "exclude", text: ruleDa.exclude(id) })) excluded.add(id)
  const restrict = new Map<string, Set<string>>()
  for (const [id, vs] of Object.entries(rules.variants))
    if (use(cx, { id: `variants:${id}`, kind: "variants", text: ruleDa.variants(id, vs) }))
      restrict.set(id, new Set(vs))
  const lockOf = new Map<string, string | undefined>()
  for (const l of rules.locks) lockOf.set(l.proposal, l.variant ?? lockOf.get(l.proposal))
  const locks = new Map<string, string | undefined>()
  for (const [proposal, variant] of lockOf)
    if (use(cx, { id: `lock:${proposal}`, kind: "lock", text: ruleDa.lock(proposal, variant) }))
      locks.set(proposal, variant)
  const maxPayback = rules.payback.maxYears
  const paybackOn =
    maxPayback !== null &&
    use(cx, {
      id: "payback",
      kind: "payback",
      text: ruleDa.payback(maxPayback, rules.payback.basis, rules.payback.exempt),
    })

  // The groups depend on the data and on the rules that shape them (not on the limits): kept
  // per proposals array under a key that says which rules those are.
  const shapeKey = JSON.stringify([
    [...excluded],
    [...restrict].map(([id, vs]) => [id, [...vs]]),
    [...locks],
    paybackOn,
    maxPayback,
    rules.payback.basis,
    rules.payback.exempt,
    rules.objective,
  ])
  const memo = kept(shapeCaches, proposals, newMap)
  let shaped = memo.get(shapeKey)
  if (!shaped) {
    shaped = shape(proposals, rules, { excluded, restrict, locks, paybackOn })
    if (memo.size >= ROW_CACHE_SIZE) memo.clear()
    memo.set(shapeKey, shaped)
  }
  cx.shaped = shaped
  const { groups, blocked, groupIndex: gi } = shaped
  // A row's coefficients depend on the data, the price levels and which variants are in (not on
  // its bound): rows are kept per proposals array under a key that says all of that.
  cx.rows = rowCache(proposals, rowKey(shaped, index.version, q))

  // Linear rules, in exact integers (see `linear`).
  limit(cx, "service", rules.limits.service)
  limit(cx, "anlaeg", rules.limits.anlaeg)
  limit(cx, "combined", rules.limits.combined)
  for (const y of rules.limits.perYear) limit(cx, y.area, y.max, y.year)

  for (let i = 0; i < rules.committees.length; i++) {
    const quota = rules.committees[i]
    if (!quota) continue
    const what = `quota|${quota.committee}|${quota.measure}`
    for (const bound of BOUNDS) {
      const value = quota[bound]
      if (value === undefined) continue
      const id = `quota:${i}:${bound}`
      const text = ruleDa.quota(quota.committee, quota.measure, bound, value, q, prices.tablePriceLevel)
      if (use(cx, { id, kind: "quota", text }))
        bound === "max"
          ? linear(cx, id, what, quotaCoef, quota, value)
          : linear(cx, id, what, quotaCoef, quota, undefined, value)
    }
  }
  if (rules.maxProposals !== undefined) {
    const id = "maxProposals"
    if (use(cx, { id, kind: "maxProposals", text: ruleDa.maxProposals(rules.maxProposals) }))
      linear(cx, id, "count", countCoef, null, rules.maxProposals)
  }

  const dependencies: CompiledDependency[] = []
  for (let i = 0; i < rules.dependencies.length; i++) {
    const d = rules.dependencies[i]
    if (!d) continue
    const id = `dep:${i}`
    const text = ruleDa.dependency(d.kind, d.proposal, d.other)
    if (!use(cx, { id, kind: "dependency", text })) continue
    const a = gi.get(d.proposal)
    const b = gi.get(d.other)
    if (a === undefined) continue // a proposal that cannot be funded satisfies both kinds
    if (b === undefined) {
      if (d.kind === "requires") dependencies.push({ rule: id, kind: "requires", a, b: -1 })
      continue
    }
    dependencies.push({ rule: id, kind: d.kind, a, b })
  }
  const { constraints, items, blockedRows } = cx
  if (!paybackOn) return { groups, constraints, dependencies, rules: items }
  // Plain loops, not Array.prototype.map, here and for every array a solve passes on: map makes
  // a packed array in the interpreter and a holey one in optimised code, so whenever this
  // function changed tier (a full GC threw its code away, say), every optimised reader of the
  // array met a hidden class it had not seen and was thrown away in turn (issue 8).
  const paybackBlocked: PaybackBlocked[] = []
  let i = 0
  for (const b of blocked) {
    const coefs: number[] = []
    for (const r of blockedRows) if (i < r.length) coefs.push(r[i] ?? 0)
    paybackBlocked.push({
      proposal: b.proposal.id,
      variant: b.variant.id,
      value: objectiveValue(b.variant, rules),
      coefs,
    })
    i++
  }
  return { groups, constraints, dependencies, rules: items, paybackBlocked }
}

/**
 * What one compile call works on. Its steps are functions of the module over this object, not
 * closures made anew on every call: each call's closures were new functions to V8, optimised
 * again after every case of the bench (issue 8); module functions keep their optimised code.
 */
interface Compiling {
  readonly drop: ReadonlySet<string>
  readonly items: RuleItem[]
  /** The pool's price level and the price index. */
  readonly q: number
  readonly index: PriceIndex
  /** Price factors to `q` per area and price level, made when a row is first computed. */
  factors: Record<PoolArea, Map<number, Rational>> | null
  shaped: Shaped | null
  rows: Map<string, IntegerRow> | null
  /** The blocked variants' part of each constraint's row, in the constraints' order. */
  readonly blockedRows: (readonly number[])[]
  readonly constraints: CompiledConstraint[]
}

const NOTHING: ReadonlySet<string> = new Set()
const BOUNDS = ["min", "max"] as const

/** List a rule; whether it is in effect (not dropped). */
const use = (cx: Compiling, item: RuleItem): boolean => {
  cx.items.push(item)
  return !cx.drop.has(item.id)
}

/** The exact factor from price level `from` to the pool's in `area`. */
const factor = (cx: Compiling, area: PoolArea, from: number): Rational => {
  cx.factors ??= { service: new Map(), anlaeg: new Map() }
  const byLevel = cx.factors[area]
  let f = byLevel.get(from)
  if (!f) {
    f = cachedFactor(area, from, cx.q, cx.index)
    byLevel.set(from, f)
  }
  return f
}

const cost = (v: Variant, area: PoolArea, year?: number): number => {
  const f = keyFigures(v)
  return year === undefined ? f.poolCostTotal[area] : (f.poolCost[area][v.years.indexOf(year)] ?? 0)
}

const areaCost = (
  cx: Compiling,
  v: Variant,
  area: "service" | "anlaeg" | "combined",
  year?: number,
): Term[] =>
  area === "combined"
    ? [
        { amount: cost(v, "service", year), f: factor(cx, "service", v.priceLevel) },
        { amount: cost(v, "anlaeg", year), f: factor(cx, "anlaeg", v.priceLevel) },
      ]
    : [{ amount: cost(v, area, year), f: factor(cx, area, v.priceLevel) }]

/** The terms of one variant's coefficient in a rule, given what the rule is about (`arg`). */
type Coef<A> = (cx: Compiling, g: { readonly committee: string }, v: Variant, arg: A) => Term[]

const limitCoef: Coef<LimitNames> = (cx, _g, v, names) => areaCost(cx, v, names.area, names.year)

const quotaCoef: Coef<Rules["committees"][number]> = (cx, g, v, quota) =>
  g.committee !== quota.committee
    ? []
    : quota.measure === "count"
      ? [{ amount: 1, f: ONE }]
      : quota.measure === "poolCost"
        ? areaCost(cx, v, "combined")
        : [{ amount: -keyFigures(v).permanentEffect, f: ONE }]

const countCoef: Coef<null> = () => [{ amount: 1, f: ONE }]

/**
 * A linear rule; `what` names its coefficients (the same `what`, the same coefficients). A
 * coefficient is a sum of terms amount × factor, where the amount is an integer as printed and
 * the factor an exact rational (a price conversion or 1).
 */
const linear = <A>(
  cx: Compiling,
  rule: string,
  what: string,
  coef: Coef<A>,
  arg: A,
  max?: number,
  min?: number,
) => {
  const shaped = cx.shaped as Shaped
  const rows = cx.rows as Map<string, IntegerRow>
  const { groups, variantsOf, blocked } = shaped
  let row = rows.get(what)
  if (!row) {
    const raw: Term[][][] = []
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] as CompiledGroup
      const terms: Term[][] = []
      for (const v of variantsOf[i] ?? []) terms.push(coef(cx, g, v, arg))
      raw.push(terms)
    }
    // The blocked variants share the constraint's scale, so they are part of its raw terms.
    const terms: Term[][] = []
    for (const b of blocked) terms.push(coef(cx, b.proposal, b.variant, arg))
    raw.push(terms)
    row = integerRow(rule, raw, groups.length)
    rows.set(what, row)
  }
  cx.blockedRows.push(row.coefs[groups.length] ?? [])
  // The constraint made last of this row for this rule, when its bounds are the same: rounding
  // them exactly takes a few BigInts, and a round is solved again and again with the same limits.
  let c = row.last.get(rule)
  if (!c || c.given.max !== max || c.given.min !== min) {
    c = bounded(rule, row.groupCoefs, row.scale, max, min)
    row.last.set(rule, c)
  }
  cx.constraints.push(c)
}

/** A pool's limit, over the whole period or one year. */
const limit = (
  cx: Compiling,
  area: "service" | "anlaeg" | "combined",
  max: number | undefined,
  year?: number,
) => {
  if (max === undefined) return
  const names = limitNames(area, year)
  const text = limitText(area, max, cx.q, year)
  if (use(cx, { id: names.id, kind: "limit", text })) linear(cx, names.id, names.what, limitCoef, names, max)
}

/** Groups, their variants and what the payback rule alone leaves out, for one shape of the rules. */
interface Shaped {
  readonly groups: readonly CompiledGroup[]
  readonly variantsOf: readonly (readonly Variant[])[]
  readonly blocked: readonly { readonly proposal: Proposal; readonly variant: Variant }[]
  /** Each group's index by proposal id. */
  readonly groupIndex: ReadonlyMap<string, number>
  /** The variants in the groups and the blocked ones, as the row cache's key names them. */
  readonly variantsIn: string
  /** The last row key made of `variantsIn` (see `rowKey`). */
  last?: { readonly version: string; readonly q: number; readonly key: string }
}

/**
 * The row cache's key of a shape at a price index version and pool price level: the same string
 * object while they stay (a key of a few hundred characters built anew is hashed anew).
 */
const rowKey = (shaped: Shaped, version: string, q: number): string => {
  const last = shaped.last
  if (last && last.version === version && last.q === q) return last.key
  const key = `${version}|${q}|${shaped.variantsIn}`
  shaped.last = { version, q, key }
  return key
}

const shapeCaches = new WeakMap<readonly Proposal[], Map<string, Shaped>>()

/** The groups of a problem: per proposal the variants the rules that are in effect leave in. */
const shape = (
  proposals: readonly Proposal[],
  rules: Rules,
  on: {
    readonly excluded: ReadonlySet<string>
    readonly restrict: ReadonlyMap<string, ReadonlySet<string>>
    readonly locks: ReadonlyMap<string, string | undefined>
    readonly paybackOn: boolean
  },
): Shaped => {
  const { excluded, restrict, locks, paybackOn } = on
  const maxPayback = rules.payback.maxYears
  const exempt = new Set(rules.payback.exempt)
  const groups: CompiledGroup[] = []
  const variantsOf: Variant[][] = []
  // Variants the payback rule alone leaves out.
  const blocked: { proposal: Proposal; variant: Variant }[] = []
  for (const p of proposals) {
    const locked = locks.has(p.id)
    if (excluded.has(p.id) && !locked) continue
    const lockedVariant = locks.get(p.id)
    const vs = p.variants.filter((v) => {
      if (excluded.has(p.id)) return false
      if (restrict.has(p.id) && !restrict.get(p.id)?.has(v.id)) return false
      if (lockedVariant !== undefined && v.id !== lockedVariant) return false
      const pb = keyFigures(v).payback[rules.payback.basis]
      if (paybackOn && !exempt.has(p.id) && (pb === null || pb > (maxPayback ?? Infinity))) {
        blocked.push({ proposal: p, variant: v })
        return false
      }
      return true
    })
    if (!vs.length && !locked) continue
    groups.push({
      proposal: p.id,
      committee: p.committee,
      mustChoose: locked,
      options: vs.map((v) => ({
        proposal: p.id,
        variant: v.id,
        value: objectiveValue(v, rules),
        paybackYears: keyFigures(v).payback[rules.payback.basis],
      })),
    })
    variantsOf.push(vs)
  }
  let variantsIn = ""
  for (const g of groups) {
    variantsIn += `${g.proposal}=`
    for (const o of g.options) variantsIn += `${o.variant},`
    variantsIn += ";"
  }
  variantsIn += "|"
  for (const b of blocked) variantsIn += `${b.proposal.id}=${b.variant.id};`
  const groupIndex = new Map(groups.map((g, i) => [g.proposal, i]))
  return { groups, variantsOf, blocked, groupIndex, variantsIn }
}

/** A limit's rule id and the name of its coefficients, per area and year (−1: the whole period). */
interface LimitNames {
  readonly id: string
  readonly what: string
  readonly area: "service" | "anlaeg" | "combined"
  readonly year: number | undefined
}
const limitNamesKept = new Map<string, Map<number, LimitNames>>()
/** The id and coefficients' name of a limit, made once (not two strings per limit per solve). */
const limitNames = (area: "service" | "anlaeg" | "combined", year?: number): LimitNames => {
  const byYear = kept(limitNamesKept, area, newMap)
  let names = byYear.get(year ?? -1)
  if (!names) {
    names = {
      id: year === undefined ? `limit:${area}` : `limit:${area}:${year}`,
      what: `limit|${area}|${year}`,
      area,
      year,
    }
    byYear.set(year ?? -1, names)
  }
  return names
}

/** Texts per area, pool price level and year (−1: the whole period), then per amount. */
const limitTexts = new Map<string, Map<number, Map<number, Map<number, string>>>>()
let limitTextCount = 0
/**
 * ruleDa.limit, kept (formatting the amount is a good part of compiling a per-year limit); in
 * maps by number, not under a string key built and hashed for every limit of every solve.
 */
const limitText = (
  area: "service" | "anlaeg" | "combined",
  max: number,
  q: number,
  year?: number,
): string => {
  if (limitTextCount >= 10_000) {
    limitTexts.clear()
    limitTextCount = 0
  }
  const byQ = kept(limitTexts, area, newMap)
  const byYear = kept(byQ, q, newMap)
  const byMax = kept(byYear, year ?? -1, newMap)
  let text = byMax.get(max)
  if (text === undefined) {
    text = ruleDa.limit(area, max, q, year)
    byMax.set(max, text)
    limitTextCount++
  }
  return text
}

/** One part of a coefficient: an integer amount times an exact factor. */
interface Term {
  readonly amount: number
  readonly f: Rational
}
const ONE = rat(1n)

const factorCache = new Map<string, Rational>()
/** exactPriceFactor, computed once per index, area and pair of price levels. */
export const cachedFactor = (area: PoolArea, from: number, to: number, index: PriceIndex): Rational => {
  const key = `${index.version}|${area}|${from}|${to}`
  let f = factorCache.get(key)
  if (!f) {
    f = exactPriceFactor(area, from, to, index)
    factorCache.set(key, f)
  }
  return f
}

/** A row's coefficients as integers, and the integer units per unit of the rule as written. */
interface IntegerRow {
  readonly coefs: readonly (readonly number[])[]
  /** The groups' part of `coefs` (the rest: the blocked variants'), shared by every constraint made of this row. */
  readonly groupCoefs: readonly (readonly number[])[]
  readonly scale: Rational
  /** Per rule, the last constraint made of this row (constraints are never written to). */
  readonly last: Map<string, CompiledConstraint>
}

/** Sets of variants whose rows are kept, per proposals array; cleared at this many (a bound on memory). */
const ROW_CACHE_SIZE = 500
const rowCaches = new WeakMap<readonly Proposal[], Map<string, Map<string, IntegerRow>>>()
/** The rows kept for these proposals with this set of variants in (`key` says which, and the price levels). */
const rowCache = (proposals: readonly Proposal[], key: string): Map<string, IntegerRow> => {
  const bySet = kept(rowCaches, proposals, newMap)
  let rows = bySet.get(key)
  if (!rows) {
    if (bySet.size >= ROW_CACHE_SIZE) bySet.clear()
    rows = new Map()
    bySet.set(key, rows)
  }
  return rows
}

const toNum = (rule: string, x: bigint | number) => {
  const n = Number(x)
  if (!Number.isSafeInteger(n))
    throw new RangeError(`rule ${rule}: coefficient ${x} is too large for exact arithmetic`)
  return n
}

/**
 * Scale the coefficients to integers over their common denominator D (one per distinct factor,
 * so it stays small) and divide them by their gcd.
 */
const integerRow = (
  rule: string,
  raw: readonly (readonly (readonly Term[])[])[],
  groups: number,
): IntegerRow => {
  // Factors are shared objects (cached per area and price level), so identity finds the distinct ones.
  const factors = new Set<Rational>()
  for (const row of raw) for (const c of row) for (const t of c) factors.add(t.f)
  let den = 1n
  for (const f of factors) den = lcm(den, f.d)
  const mult = new Map<Rational, number>()
  for (const f of factors) mult.set(f, Number(f.n * (den / f.d)))
  let g = 0
  const ints = raw.map((row) =>
    row.map((c) => {
      let x = 0
      for (const t of c) x += t.amount * (mult.get(t.f) ?? 0)
      x = toNum(rule, x)
      g = gcdNum(g, Math.abs(x))
      return x
    }),
  )
  if (g === 0) g = 1
  const coefs = ints.map((row) => row.map((x) => x / g))
  return { coefs, groupCoefs: coefs.slice(0, groups), scale: rat(den, BigInt(g)), last: new Map() }
}

/**
 * The constraint with its bounds rounded exactly into integer units: max → floor, min → ceil.
 * One object literal each, an absent side undefined (not a property added later): a literal's
 * hidden class is held by the function that makes it, while one reached by adding a property is
 * held only by live objects, and a full GC between two solves freed it and threw away every
 * optimised function that had seen a constraint (issue 8). JSON leaves undefined out, as before.
 */
const bounded = (
  rule: string,
  coefs: readonly (readonly number[])[],
  scale: Rational,
  max?: number,
  min?: number,
): CompiledConstraint => ({
  rule,
  coefs,
  scale: Number(scale.n) / Number(scale.d),
  exactScale: scale,
  given: { max, min },
  max: max === undefined ? undefined : toNum(rule, floor(times(max, scale))),
  min: min === undefined ? undefined : toNum(rule, ceil(times(min, scale))),
})

/** x · r exactly, without parsing x when it is an integer (as limits usually are). */
const times = (x: number, r: Rational): Rational =>
  Number.isSafeInteger(x) ? { n: BigInt(x) * r.n, d: r.d } : mul(fromNumber(x), r)

const gcdNum = (a: number, b: number): number => {
  let x = a
  let y = b
  while (y) {
    const r = x % y
    x = y
    y = r
  }
  return x
}
