import type { ShownFigures } from "../app/storage.ts"
import type { Prices } from "../model/round.ts"
import { entryName, type MoneyDa, ruleDa } from "../model/wording.ts"
import type { PackageFigures, RuleUse, SolveResult } from "../solver/result.ts"
import { poolPriceLevelOf, type Rules } from "../solver/rules.ts"
import { type Row, renderTable } from "./table.ts"
import {
  basisText,
  inMio,
  kr,
  number,
  objectiveText,
  percent,
  pl,
  statusText,
  typed,
  unitText,
  years,
} from "./text.ts"

/** Human-readable pieces shared by solve, evaluate and compare: Danish terms, Danish numbers. */

/** "Label               value": the key-value lines above a table. */
export const field = (label: string, value: string): string => `${label.padEnd(21)}${value}`

/** A lock as typed: "BC10:base" is the base variant, "BC10 (vilkårlig variant)" any of them. */
const lockName = (proposal: string, variant: string | undefined) =>
  variant === undefined ? `${proposal} (vilkårlig variant)` : `${proposal}:${variant}`

/**
 * A rule's text as the solver wrote it (its amount in 1.000 kr.), or under --unit mio a limit's
 * or quota's text written again from the rules with the amount in mio. kr.
 */
export const ruleTextShown = (
  item: { readonly rule: string; readonly text: string },
  rules: Rules,
  levels: { readonly poolPriceLevel: number; readonly tablePriceLevel: number },
): string => {
  if (!inMio()) return item.text
  const money: MoneyDa = (x, level) => `${typed(x)} mio. kr. (${level} p/l)`
  const [kind, a, b] = item.rule.split(":")
  if (kind === "limit" && (a === "service" || a === "anlaeg" || a === "combined")) {
    const year = b === undefined ? undefined : Number(b)
    const max =
      year === undefined
        ? rules.limits[a]
        : rules.limits.perYear.find((y) => y.area === a && y.year === year)?.max
    return max === undefined ? item.text : ruleDa.limit(a, max, levels.poolPriceLevel, year, money)
  }
  const quota = kind === "quota" ? rules.committees[Number(a)] : undefined
  const value = quota && (b === "min" || b === "max") ? quota[b] : undefined
  if (!quota || value === undefined || (b !== "min" && b !== "max")) return item.text
  return ruleDa.quota(
    quota.committee,
    quota.measure,
    b,
    value,
    levels.poolPriceLevel,
    levels.tablePriceLevel,
    money,
  )
}

/** The rules in one paragraph per kind, as a negotiator states them. */
export const rulesText = (rules: Rules, prices: Prices): string[] => {
  const lim = rules.limits
  const q = `${unitText()} ${rules.poolPriceLevel ?? prices.poolPriceLevel} p/l`
  const pools = [
    lim.service === undefined ? "service: ingen grænse" : `service ${typed(lim.service)}`,
    lim.anlaeg === undefined ? "anlæg: ingen grænse" : `anlæg ${typed(lim.anlaeg)}`,
    ...(lim.combined === undefined ? [] : [`samlet ${typed(lim.combined)}`]),
  ]
  const out = [field("Puljer", `${pools.join(", ")} (${q})`)]
  for (const y of lim.perYear)
    out.push(
      field(
        "",
        `${y.area === "combined" ? "samlet" : y.area === "anlaeg" ? "anlæg" : "service"} i ${y.year}: højst ${typed(y.max)} (${q})`,
      ),
    )
  const pb = rules.payback
  out.push(
    field(
      "Tilbagebetalingstid",
      pb.maxYears === null
        ? "intet krav"
        : `højst ${years(pb.maxYears)} år (${basisText(pb.basis)})${pb.exempt.length ? `, undtaget ${pb.exempt.join(", ")}` : ""}`,
    ),
  )
  if (rules.locks.length)
    out.push(field("Skal med", rules.locks.map((l) => lockName(l.proposal, l.variant)).join(", ")))
  if (rules.exclude.length) out.push(field("Må ikke med", rules.exclude.join(", ")))
  for (const [id, vs] of Object.entries(rules.variants))
    out.push(field("Kun variant", `${id}: ${vs.join(" eller ")}`))
  if (rules.maxProposals !== undefined) out.push(field("Antal forslag", `højst ${rules.maxProposals}`))
  for (const c of rules.committees)
    out.push(
      `${"Udvalg".padEnd(21)}${c.committee}: ${c.measure === "count" ? "antal forslag" : c.measure === "poolCost" ? `puljemidler (${q})` : `effektivisering (${unitText()} ${prices.tablePriceLevel} p/l)`}${c.min === undefined ? "" : ` mindst ${kr(c.min)}`}${c.max === undefined ? "" : ` højst ${kr(c.max)}`}`,
    )
  for (const d of rules.dependencies)
    out.push(
      `${"Afhængighed".padEnd(21)}${d.kind === "requires" ? `${d.proposal} kræver ${d.other}` : `${d.proposal} og ${d.other} udelukker hinanden`}`,
    )
  return out
}

/** The chosen proposals grouped by committee (udvalg), with totals. */
export const chosenTable = (f: PackageFigures): string => {
  const committees = [...new Set(f.chosen.map((c) => c.committee))]
  const rows: Row[] = []
  for (const committee of committees) {
    rows.push({ section: committee })
    for (const c of f.chosen.filter((x) => x.committee === committee))
      rows.push([
        `  ${entryName(c.proposal, c.variant)}`,
        c.title,
        kr(c.permanentEffect),
        kr(c.poolCostPool.service),
        kr(c.poolCostPool.anlaeg),
        years(c.paybackYears),
      ])
  }
  rows.push("rule")
  rows.push([
    "I alt",
    `${f.chosen.length} forslag`,
    kr(f.permanentEffect),
    kr(f.totals.pool.service),
    kr(f.totals.pool.anlaeg),
    "",
  ])
  return renderTable(
    [
      { header: ["Forslag"] },
      { header: ["Titel"], maxWidth: 50 },
      { header: ["Effektivisering v.", "fuld indfasning", pl(f.tablePriceLevel)], align: "right" },
      { header: ["Service", pl(f.poolPriceLevel)], align: "right" },
      { header: ["Anlæg", pl(f.poolPriceLevel)], align: "right" },
      { header: ["Tilbage-", "betalingstid", "(år)"], align: "right" },
    ],
    rows,
  )
}

/** The pools: limit, used and left, per area. */
export const poolTable = (f: PackageFigures, rules: Rules): string => {
  const lim = rules.limits
  const rows: Row[] = [
    ["Service", kr(lim.service), kr(f.totals.pool.service), kr(f.poolLeft.service)],
    ["Anlæg", kr(lim.anlaeg), kr(f.totals.pool.anlaeg), kr(f.poolLeft.anlaeg)],
  ]
  if (lim.combined !== undefined)
    rows.push([
      "Service og anlæg samlet",
      kr(lim.combined),
      kr(f.totals.pool.service + f.totals.pool.anlaeg),
      kr(f.poolLeft.combined),
    ])
  const h = pl(f.poolPriceLevel)
  return renderTable(
    [
      { header: [`Pulje (${unitText()})`] },
      { header: ["Ramme", h], align: "right" },
      { header: ["Brugt", h], align: "right" },
      { header: ["Tilbage", h], align: "right" },
    ],
    rows,
  )
}

/** Pool use per year and area. */
export const yearTable = (f: PackageFigures): string => {
  const h = pl(f.poolPriceLevel)
  const rows: Row[] = Object.entries(f.totals.pool.byYear)
    .filter(([, a]) => a.service !== 0 || a.anlaeg !== 0)
    .map(([y, a]) => [y, kr(a.service), kr(a.anlaeg), kr(a.service + a.anlaeg)])
  rows.push("rule")
  rows.push([
    "I alt",
    kr(f.totals.pool.service),
    kr(f.totals.pool.anlaeg),
    kr(f.totals.pool.service + f.totals.pool.anlaeg),
  ])
  return renderTable(
    [
      { header: ["År"] },
      { header: ["Service", h], align: "right" },
      { header: ["Anlæg", h], align: "right" },
      { header: ["I alt", h], align: "right" },
    ],
    rows,
  )
}

/** The rules that keep a proposal out that would add to the objective. */
export const bindingText = (
  rules: readonly RuleUse[],
  given: Rules,
  levels: { readonly poolPriceLevel: number; readonly tablePriceLevel: number },
): string[] => {
  const binding = rules.filter((r) => r.binding)
  const tooLittle = rules.filter((r) => r.nothingFits)
  const text = (r: RuleUse) => ruleTextShown(r, given, levels)
  // A rule on the number of proposals counts them; the others are amounts (shown in --unit).
  const counts = (r: RuleUse) =>
    r.kind === "maxProposals" ||
    (r.kind === "quota" && given.committees[Number(r.rule.split(":")[1])]?.measure === "count")
  const amount = (r: RuleUse, x: number) => (counts(r) ? number(x) : kr(x))
  const measure = (r: RuleUse) =>
    r.kind === "payback"
      ? `længste i pakken ${years(r.used)} år`
      : `brugt ${amount(r, r.used)}, tilbage ${amount(r, r.slack)}`
  return [
    ...(binding.length
      ? binding.map(
          (r) => `- ${text(r)}: ${measure(r)}${r.blocks.length ? `; holder ude ${r.blocks.join(", ")}` : ""}`,
        )
      : ["Ingen regel holder alene et forslag ude, der ville øge målet."]),
    ...tooLittle.map(
      (r) =>
        `- ${text(r)}: tilbage ${amount(r, r.slack)}, men intet resterende forslag passer ind (${r.blocks.join(", ")} holdes også ude af en anden regel); grænsen binder ikke`,
    ),
  ]
}

/** "4.594 mindre pr. år" / "1.200 mere pr. år" / "det samme" (without "pr. år" in a table cell). */
export const differenceText = (d: number, perYear = true): string =>
  Math.round(d) === 0
    ? "det samme"
    : `${kr(Math.abs(d))} ${d < 0 ? "mindre" : "mere"}${perYear ? " pr. år" : ""}`

/** The whole report of a solve: status, package, pools, per year, binding rules (or the conflict). */
export const solveReport = (result: SolveResult, rules: Rules, prices: Prices): string[] => {
  const out = [field("Status", statusText(result))]
  const levels = { poolPriceLevel: poolPriceLevelOf(rules, prices), tablePriceLevel: prices.tablePriceLevel }
  if (result.status === "infeasible") {
    out.push("", "Disse regler kan ikke overholdes samtidig (fjern én, så kan resten):")
    for (const c of result.conflict)
      out.push(`- ${ruleTextShown({ rule: c.id, text: c.text }, rules, levels)}`)
    return out
  }
  if (result.status === "timeout") {
    out.push(
      "",
      "Prøv en længere tidsgrænse (--time-limit) eller færre regler.",
      ...(result.bound === null ? [] : [`Ingen pakke kan give mere end ${kr(result.bound)}.`]),
    )
    return out
  }
  const f = result.package
  out.push(field("Mål", `${objectiveText(rules.objective, prices.tablePriceLevel)}: ${kr(result.objective)}`))
  if (result.status === "feasible")
    out.push(field("", `bedste mulige er højst ${kr(result.bound)} (gap ${percent(result.gap)})`))
  out.push(
    "",
    `Valgte forslag (${unitText()})`,
    chosenTable(f),
    "",
    poolTable(f, rules),
    "",
    `Puljeforbrug pr. år (${unitText()})`,
    yearTable(f),
    "",
    "Bindende regler",
    ...bindingText(f.rules, rules, levels),
  )
  return out
}

/**
 * Saved figures as shown (a package's, a user scenario's optimum); the objective is in the
 * tables' price level, the pool use in the pool's. `judged`: say whether they keep the rules.
 */
export const figuresText = (f: ShownFigures | null, tableLevel: number, judged = true): string[] =>
  f === null
    ? ["Ingen tal gemt."]
    : [
        field("Målværdi", `${kr(f.objective)} (${unitText()}, ${tableLevel} p/l)`),
        field(
          "Puljeforbrug",
          `service ${kr(f.poolUse.service)}, anlæg ${kr(f.poolUse.anlaeg)} (${unitText()}, ${f.poolUse.priceLevel} p/l)`,
        ),
        ...(judged || f.violations.length
          ? [f.violations.length ? "Brudte regler:" : "Overholder alle regler."]
          : []),
        ...f.violations.map((v) => `- ${v.text}`),
      ]
