import { formatDanish } from "../model/format.ts"
import { ruleDa } from "../model/wording.ts"
import { amount, money, poolAmount, unitName, years } from "./format.ts"
import type { Unit } from "./state.ts"
import type { LimitArea, Scenario, SolveOutcome } from "./types.ts"

/** A scenario's rules as the page has them (the service's, defaults filled in). */
type Rules = Scenario["rules"]
type Lock = Rules["locks"][number]
type Quota = Rules["committees"][number]
type Dependency = Rules["dependencies"][number]

const POOL: Record<LimitArea, string> = {
  service: "puljen til service",
  anlaeg: "puljen til anlæg",
  combined: "puljerne tilsammen",
}

const lockText = (l: Lock) => (l.variant ? `${l.proposal} (${l.variant})` : l.proposal)

/** The items of `to` that `from` does not have (by `key`). */
const added = <T>(from: readonly T[], to: readonly T[], key: (t: T) => string): T[] => {
  const had = new Set(from.map(key))
  return to.filter((t) => !had.has(key(t)))
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * What a user scenario's rules change against its base scenario's, in Danish words, one item per
 * change: "uden BC05", "puljen til anlæg 80.000 (1.000 kr., 2026 p/l)", "BC07 kræver BC08". Amounts
 * in `unit`: pool amounts at `poolLevel` (the user scenario's pool price level), savings at
 * `tableLevel`. Empty when the rules are the same.
 */
export const ruleChanges = (
  base: Rules,
  rules: Rules,
  unit: Unit,
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
        : `tilbagebetalingstid højst ${years(payback.maxYears)} år`,
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

const MEASURE: Record<Quota["measure"], string> = {
  count: "antal forslag",
  poolCost: "puljemidler",
  saving: "besparelse",
}

/**
 * A committee quota in words: "Børne- og Ungdomsudvalget højst 3 forslag", "Socialudvalget mindst
 * 1,0 og højst 5,0 fra puljerne (mio. kr., 2026 p/l)", "… mindst 2,0 i besparelse pr. år (…, 2027 p/l)".
 */
export const quotaText = (q: Quota, unit: Unit, poolLevel: number, tableLevel: number): string => {
  const n = (x: number) => (q.measure === "count" ? formatDanish(x) : amount(x, unit))
  const bounds = [
    ...(q.min === undefined ? [] : [`mindst ${n(q.min)}`]),
    ...(q.max === undefined ? [] : [`højst ${n(q.max)}`]),
  ].join(" og ")
  if (q.measure === "count") return `${q.committee} ${bounds} forslag`
  const level = q.measure === "poolCost" ? poolLevel : tableLevel
  const what = q.measure === "poolCost" ? "fra puljerne" : "i besparelse pr. år"
  return `${q.committee} ${bounds} ${what} (${unitName(unit)}, ${level} p/l)`
}

/** The quotas that differ, per committee and measure: the new ones, or that there is none any more. */
const quotaChanges = (
  base: readonly Quota[],
  rules: readonly Quota[],
  unit: Unit,
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

/**
 * A scenario's rules in short, for the scenario line: "service 100.000 og anlæg 87.500 (1.000 kr.,
 * 2026 p/l); tilbagebetalingstid højst 6 år; låst: BC07".
 */
export const rulesSummary = (rules: Rules, unit: Unit, poolLevel: number): string => {
  const limit = (x: number | undefined) => (x === undefined ? "uden grænse" : amount(x, unit))
  const parts = [
    `service ${limit(rules.limits.service)} og anlæg ${limit(rules.limits.anlaeg)} (${unitName(unit)}, ${poolLevel} p/l)`,
    rules.payback.maxYears === null
      ? "intet krav om tilbagebetalingstid"
      : `tilbagebetalingstid højst ${years(rules.payback.maxYears)} år${
          rules.payback.exempt.length ? ` (undtaget ${rules.payback.exempt.join(", ")})` : ""
        }`,
  ]
  if (rules.locks.length) parts.push(`låst: ${rules.locks.map(lockText).join(", ")}`)
  if (rules.exclude.length) parts.push(`udelukket: ${rules.exclude.join(", ")}`)
  return parts.join("; ")
}

const COPENHAGEN = new Intl.DateTimeFormat("da-DK", {
  timeZone: "Europe/Copenhagen",
  day: "numeric",
  month: "numeric",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
})

/** When something was saved, in Copenhagen's time: "3.12.2026 kl. 08.25". */
export const savedAtText = (iso: string): string => {
  const part = (type: string) => COPENHAGEN.formatToParts(new Date(iso)).find((p) => p.type === type)?.value
  return `${part("day")}.${part("month")}.${part("year")} kl. ${part("hour")}.${part("minute")}`
}

/**
 * An optimum in one line: "24,4 mio. kr. (2027 p/l) om året med 3 forslag: BC05, BC07, BC34", or
 * why there is none.
 */
export const optimumText = (result: SolveOutcome, unit: Unit, tableLevel: number): string => {
  if (result.status === "infeasible")
    return `ingen pakke opfylder reglerne: ${result.conflict.map((c) => c.text).join("; ")}`
  if (result.status === "timeout") return "tidsgrænsen blev nået, før der var en pakke"
  const ids = result.package.chosen.map((c) =>
    c.variant === "base" ? c.proposal : `${c.proposal} (${c.variant})`,
  )
  return `${money(result.objective, unit, tableLevel)} om året med ${ids.length} forslag: ${ids.join(", ") || "ingen"}`
}
