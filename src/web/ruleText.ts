import {
  type Amounts,
  changesSentence,
  quotaText as sharedQuotaText,
  ruleChanges as sharedRuleChanges,
  rulesSummary as sharedRulesSummary,
} from "../app/ruleChanges.ts"

export { changesSentence }

import { amount, money, unitName } from "./format.ts"
import type { Unit } from "./state.ts"
import type { Scenario, ScenarioVersion, SolveOutcome } from "./types.ts"

/** A scenario's rules as the page has them (the service's, defaults filled in). */
type Rules = Scenario["rules"]
type Quota = Rules["committees"][number]

/** The page's unit as the shared wording wants it. */
const amountsIn = (unit: Unit): Amounts => ({ amount: (x) => amount(x, unit), unitName: unitName(unit) })

/**
 * What a user scenario's rules change against its base scenario's, in Danish words (see
 * ruleChanges in the app layer), with amounts in the page's `unit`.
 */
export const ruleChanges = (
  base: Rules,
  rules: Rules,
  unit: Unit,
  poolLevel: number,
  tableLevel: number,
): string[] => sharedRuleChanges(base, rules, amountsIn(unit), poolLevel, tableLevel)

/** A committee quota in words, with amounts in the page's `unit` (see quotaText in the app layer). */
export const quotaText = (q: Quota, unit: Unit, poolLevel: number, tableLevel: number): string =>
  sharedQuotaText(q, amountsIn(unit), poolLevel, tableLevel)

/** A scenario's rules in short, every rule named, with amounts in the page's `unit` (see rulesSummary in the app layer). */
export const rulesSummary = (rules: Rules, unit: Unit, poolLevel: number, tableLevel: number): string =>
  sharedRulesSummary(rules, amountsIn(unit), poolLevel, tableLevel)

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
  const parts = COPENHAGEN.formatToParts(new Date(iso))
  const part = (type: string) => parts.find((p) => p.type === type)?.value
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

/**
 * What "Vis" says of an old version's optimum: the figures stored with it, said to be those as
 * saved at its time ("Tallene som gemt 3.12.2026 kl. 08.25: 79,2 mio. kr. (2027 p/l) om året;
 * puljeforbrug service 99,2 og anlæg 86,8 (mio. kr., 2026 p/l)"); or, when it holds none (no
 * package when it was saved), `today`'s optimum under its rules, said to be computed today.
 */
export const versionOptimumText = (
  saved: Pick<ScenarioVersion, "figures" | "savedAt">,
  today: SolveOutcome,
  unit: Unit,
  tableLevel: number,
): string => {
  const f = saved.figures
  if (f === null)
    return `Ingen tal gemt med versionen (ingen pakke, da den blev gemt); beregnet i dag under versionens regler: ${optimumText(today, unit, tableLevel)}`
  const pool = `service ${amount(f.poolUse.service, unit)} og anlæg ${amount(f.poolUse.anlaeg, unit)} (${unitName(unit)}, ${f.poolUse.priceLevel} p/l)`
  return `Tallene som gemt ${savedAtText(saved.savedAt)}: ${money(f.objective, unit, tableLevel)} om året; puljeforbrug ${pool}`
}
