import { formatDanish } from "../model/format.ts"
import { ruleDa, yearsDa } from "../model/wording.ts"
import type { LimitArea, Rules } from "../solver/rules.ts"

/**
 * What a user scenario changes against its base scenario, in Danish words: shared by the page
 * and the command line, which show amounts each in their own unit (`Amounts`).
 */

type Lock = Rules["locks"][number]
type Quota = Rules["committees"][number]
type Dependency = Rules["dependencies"][number]

/** How amounts given in 1.000 kr. are shown: "2.062" or "2,1", and the unit's name ("1.000 kr."). */
export interface Amounts {
  readonly amount: (x: number) => string
  readonly unitName: string
}

const POOL: Record<LimitArea, string> = {
  service: "puljen til service",
  anlaeg: "puljen til anlæg",
  combined: "puljerne tilsammen",
}

export const lockText = (l: Lock) => (l.variant ? `${l.proposal} (${l.variant})` : l.proposal)

/** The items of `to` that `from` does not have (by `key`). */
const added = <T>(from: readonly T[], to: readonly T[], key: (t: T) => string): T[] => {
  const had = new Set(from.map(key))
  return to.filter((t) => !had.has(key(t)))
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** A pool amount with its unit and price level in brackets: "80.000 (1.000 kr., 2026 p/l)". */
const poolAmount = (x: number, unit: Amounts, priceLevel: number): string =>
  `${unit.amount(x)} (${unit.unitName}, ${priceLevel} p/l)`

/**
 * What a user scenario's rules change against its base scenario's, in Danish words, one item per
 * change: "uden BC05", "puljen til anlæg 80.000 (1.000 kr., 2026 p/l)", "BC07 kræver BC08". Amounts
 * in `unit`: pool amounts at `poolLevel` (the user scenario's pool price level), savings at
 * `tableLevel`. Empty when the rules are the same.
 */
export const ruleChanges = (
  base: Rules,
  rules: Rules,
  unit: Amounts,
  poolLevel: number,
  tableLevel: number,
): string[] => {
  const out: string[] = []
  const ids = (list: readonly string[]) => list.join(", ")
  const id = (x: string) => x

  const excluded = added(base.exclude, rules.exclude, id)
  if (excluded.length) out.push(`uden ${ids(excluded)}`)
  const allowed = added(rules.exclude, base.exclude, id)
  if (allowed.length) out.push(`${ids(allowed)} ikke længere udelukket`)
  const locked = added(base.locks, rules.locks, lockText)
  if (locked.length) out.push(`låst: ${ids(locked.map(lockText))}`)
  const unlocked = added(rules.locks, base.locks, lockText)
  if (unlocked.length) out.push(`ikke længere låst: ${ids(unlocked.map(lockText))}`)

  if (rules.poolPriceLevel !== base.poolPriceLevel) out.push(`puljerne i ${poolLevel} p/l`)
  for (const area of ["service", "anlaeg", "combined"] as const) {
    const now = rules.limits[area]
    if (now === base.limits[area]) continue
    out.push(
      now === undefined
        ? `ingen grænse for ${POOL[area]}`
        : `${POOL[area]} ${poolAmount(now, unit, poolLevel)}`,
    )
  }
  const yearKey = (y: { area: LimitArea; year: number }) => `${y.area}:${y.year}`
  const before = new Map(base.limits.perYear.map((y) => [yearKey(y), y.max]))
  for (const y of rules.limits.perYear)
    if (before.get(yearKey(y)) !== y.max)
      out.push(`${POOL[y.area]} i ${y.year} ${poolAmount(y.max, unit, poolLevel)}`)
  for (const y of added(rules.limits.perYear, base.limits.perYear, yearKey))
    out.push(`ingen grænse for ${POOL[y.area]} i ${y.year}`)

  const payback = rules.payback
  if (payback.maxYears !== base.payback.maxYears)
    out.push(
      payback.maxYears === null
        ? "intet krav om tilbagebetalingstid"
        : `tilbagebetalingstid højst ${yearsDa(payback.maxYears)} år`,
    )
  if (payback.basis !== base.payback.basis)
    out.push(
      `tilbagebetalingstid regnet på ${payback.basis === "service" ? "serviceeffektivisering" : "totaløkonomi"}`,
    )
  const exempt = added(base.payback.exempt, payback.exempt, id)
  if (exempt.length) out.push(`${ids(exempt)} undtaget kravet om tilbagebetalingstid`)
  const unexempt = added(payback.exempt, base.payback.exempt, id)
  if (unexempt.length) out.push(`${ids(unexempt)} ikke længere undtaget kravet om tilbagebetalingstid`)

  if (rules.maxProposals !== base.maxProposals)
    out.push(
      rules.maxProposals === undefined
        ? "intet loft over antal forslag"
        : `højst ${rules.maxProposals} forslag`,
    )
  const variants = [...new Set([...Object.keys(base.variants), ...Object.keys(rules.variants)])].sort()
  for (const p of variants) {
    const now = rules.variants[p]
    if (same(now, base.variants[p])) continue
    out.push(now === undefined ? `alle varianter af ${p} tilladt` : `${p} kun i ${ids(now)}`)
  }
  out.push(...quotaChanges(base.committees, rules.committees, unit, poolLevel, tableLevel))
  out.push(...dependencyChanges(base.dependencies, rules.dependencies))
  if (!same(rules.objective, base.objective)) out.push(objectiveText(rules.objective))
  return out
}

/**
 * A scenario's rules in short, every rule named, for a scenario's line: "service 100.000 og anlæg
 * 87.500 (1.000 kr., 2026 p/l); tilbagebetalingstid højst 6 år; låst: BC07; Socialudvalget højst
 * 3 forslag; BC07 kræver BC08". Pools first, then the payback rule, locks and exclusions, then the
 * rest worded as ruleChanges words them against a scenario without them.
 */
export const rulesSummary = (rules: Rules, unit: Amounts, poolLevel: number, tableLevel: number): string => {
  const limit = (x: number | undefined) => (x === undefined ? "uden grænse" : unit.amount(x))
  const { service, anlaeg, combined } = rules.limits
  const payback = rules.payback
  const parts = [
    `service ${limit(service)} og anlæg ${limit(anlaeg)}${combined === undefined ? "" : `, tilsammen ${unit.amount(combined)}`} (${unit.unitName}, ${poolLevel} p/l)`,
    payback.maxYears === null
      ? "intet krav om tilbagebetalingstid"
      : `tilbagebetalingstid højst ${yearsDa(payback.maxYears)} år${
          payback.exempt.length ? ` (undtaget ${payback.exempt.join(", ")})` : ""
        }`,
  ]
  if (rules.locks.length) parts.push(`låst: ${rules.locks.map(lockText).join(", ")}`)
  if (rules.exclude.length) parts.push(`udelukket: ${rules.exclude.join(", ")}`)
  const without: Rules = {
    ...rules,
    limits: { ...rules.limits, perYear: [] },
    payback: { ...payback, basis: "total" },
    maxProposals: undefined,
    variants: {},
    committees: [],
    dependencies: [],
    objective: { kind: "permanentEffect" },
  }
  parts.push(...ruleChanges(without, rules, unit, poolLevel, tableLevel))
  return parts.join("; ")
}

const MEASURE: Record<Quota["measure"], string> = {
  count: "antal forslag",
  poolCost: "puljemidler",
  saving: "besparelse",
}

/**
 * A committee quota in words: "Børne- og Ungdomsudvalget højst 3 forslag", "Socialudvalget mindst
 * 1,0 og højst 5,0 fra puljerne (mio. kr., 2026 p/l)", "… mindst 2,0 i besparelse pr. år (…, 2027 p/l)".
 */
export const quotaText = (q: Quota, unit: Amounts, poolLevel: number, tableLevel: number): string => {
  const n = (x: number) => (q.measure === "count" ? formatDanish(x) : unit.amount(x))
  const bounds = [
    ...(q.min === undefined ? [] : [`mindst ${n(q.min)}`]),
    ...(q.max === undefined ? [] : [`højst ${n(q.max)}`]),
  ].join(" og ")
  if (q.measure === "count") return `${q.committee} ${bounds} forslag`
  const level = q.measure === "poolCost" ? poolLevel : tableLevel
  const what = q.measure === "poolCost" ? "fra puljerne" : "i besparelse pr. år"
  return `${q.committee} ${bounds} ${what} (${unit.unitName}, ${level} p/l)`
}

/** The quotas that differ, per committee and measure: the new ones, or that there is none any more. */
const quotaChanges = (
  base: readonly Quota[],
  rules: readonly Quota[],
  unit: Amounts,
  poolLevel: number,
  tableLevel: number,
): string[] => {
  const key = (q: Quota) => `${q.committee}\u0000${q.measure}`
  const group = (list: readonly Quota[], k: string) => list.filter((q) => key(q) === k)
  const out: string[] = []
  for (const k of new Set([...base, ...rules].map(key))) {
    const was = group(base, k)
    const now = group(rules, k)
    if (same(was, now)) continue
    const [first] = was
    if (now.length === 0 && first) out.push(`ingen kvote på ${MEASURE[first.measure]} for ${first.committee}`)
    for (const q of now) out.push(quotaText(q, unit, poolLevel, tableLevel))
  }
  return out
}

/** A dependency's identity: "excludes" is symmetric, so BC05/BC06 and BC06/BC05 are one. */
const dependencyKey = (d: Dependency) =>
  d.kind === "excludes"
    ? `excludes:${[d.proposal, d.other].sort().join(":")}`
    : `requires:${d.proposal}:${d.other}`

/** Dependencies added ("BC07 kræver BC08") and those gone ("BC07 kræver ikke længere BC08"). */
const dependencyChanges = (base: readonly Dependency[], rules: readonly Dependency[]): string[] => [
  ...added(base, rules, dependencyKey).map((d) => ruleDa.dependency(d.kind, d.proposal, d.other)),
  ...added(rules, base, dependencyKey).map((d) =>
    d.kind === "requires"
      ? `${d.proposal} kræver ikke længere ${d.other}`
      : `${d.proposal} og ${d.other} udelukker ikke længere hinanden`,
  ),
]

/** What the optimum maximises, in words. */
const objectiveText = (o: Rules["objective"]): string =>
  o.kind === "permanentEffect"
    ? "målet er størst besparelse pr. år ved fuld indfasning"
    : `målet er størst samlet nettobesparelse til og med ${o.untilYear}`

/** The changes as one sentence for the scenario line: "Uden BC05; puljen til anlæg 80.000 (…)". */
export const changesSentence = (changes: readonly string[]): string => {
  const text = changes.length ? changes.join("; ") : "ingen ændringer"
  return text.charAt(0).toUpperCase() + text.slice(1)
}
