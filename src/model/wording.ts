import { formatDanish } from "./format.ts"

/**
 * Every word a negotiator reads about rules, findings and conflicts, in Danish and in the
 * document's terms, in one place. Code, API field names and API error messages stay English.
 * The functions take plain values, so that the model, the solver and every face can use them.
 */

/** A limit's area. */
export type LimitAreaName = "service" | "anlaeg" | "combined"

/** An amount in 1.000 kr., as the document prints it ("100.000"; fractions kept to one decimal). */
export const amountDa = (x: number): string => formatDanish(x, Number.isInteger(x) ? 0 : 1)

/** Years ("6", "0,5", "aldrig" when it never pays back). */
export const yearsDa = (x: number | null): string =>
  x === null ? "aldrig" : formatDanish(x, Number.isInteger(x) ? 0 : Math.round(x * 10) === x * 10 ? 1 : 2)

/** "1.000 kr., 2026 p/l" */
export const unitDa = (priceLevel: number): string => `1.000 kr., ${priceLevel} p/l`

export const AREA_DA: Readonly<Record<LimitAreaName, string>> = {
  service: "service",
  anlaeg: "anlæg",
  combined: "service og anlæg samlet",
}

/** Payback basis in the document's words. */
export const basisDa = (basis: "total" | "service"): string =>
  basis === "total" ? "totaløkonomi" : "serviceeffektivisering"

/** "BC10" for the base variant, "BC10:scenario-2" otherwise: how every face names a variant. */
export const entryName = (proposal: string, variant: string): string =>
  variant === "base" ? proposal : `${proposal}:${variant}`

// ------------------------------------------------------------------ rules

export const ruleDa = {
  /** `money`: the amount with its unit and price level, when not "100.000 (1.000 kr., 2026 p/l)". */
  limit: (area: LimitAreaName, max: number, poolPriceLevel: number, year?: number, money?: MoneyDa) =>
    `puljen til ${AREA_DA[area]}${year === undefined ? "" : ` i ${year}`} er ${money ? money(max, poolPriceLevel) : `${amountDa(max)} (${unitDa(poolPriceLevel)})`}`,
  /** A lock: any variant, or the named one (BC10:base is the base variant, not "any"). */
  lock: (proposal: string, variant?: string) =>
    variant === undefined
      ? `${proposal} skal finansieres (en vilkårlig variant)`
      : `${entryName(proposal, variant)} skal finansieres (variant ${variant})`,
  exclude: (proposal: string) => `${proposal} må ikke finansieres`,
  variants: (proposal: string, variants: readonly string[]) =>
    `${proposal} kun i variant ${variants.join(" eller ")}`,
  payback: (maxYears: number, basis: "total" | "service", exempt: readonly string[]) =>
    `tilbagebetalingstid højst ${yearsDa(maxYears)} år (${basisDa(basis)})${exempt.length ? `, undtaget ${exempt.join(", ")}` : ""}`,
  quota: (
    committee: string,
    measure: "count" | "poolCost" | "saving",
    bound: "min" | "max",
    value: number,
    poolPriceLevel: number,
    tablePriceLevel: number,
    money?: MoneyDa,
  ) => {
    const what =
      measure === "count" ? "antal forslag" : measure === "poolCost" ? "puljemidler" : "effektivisering"
    const side = `${committee}: ${what} ${bound === "min" ? "mindst" : "højst"}`
    if (money && measure !== "count")
      return `${side} ${money(value, measure === "poolCost" ? poolPriceLevel : tablePriceLevel)}${measure === "saving" ? ", varig effekt" : ""}`
    const unit =
      measure === "count"
        ? "forslag"
        : measure === "poolCost"
          ? `(${unitDa(poolPriceLevel)})`
          : `(${unitDa(tablePriceLevel)}, varig effekt)`
    return `${side} ${amountDa(value)} ${unit}`
  },
  maxProposals: (n: number) => `højst ${n} forslag`,
  dependency: (kind: "requires" | "excludes", proposal: string, other: string) =>
    kind === "requires" ? `${proposal} kræver ${other}` : `${proposal} og ${other} udelukker hinanden`,
} as const

// ------------------------------------------------------------------ violations of a hand-picked package

export const brokenDa = {
  lock: (proposal: string, variant?: string) =>
    `${variant === undefined ? proposal : entryName(proposal, variant)} skal finansieres${variant === undefined ? "" : ` (variant ${variant})`}, men er ikke med`,
  exclude: (proposal: string) => `${proposal} må ikke finansieres, men er med`,
  variants: (proposal: string, allowed: readonly string[], chosen: string) =>
    `${proposal} må kun være med i variant ${allowed.join(" eller ")}, ikke ${chosen}`,
  payback: (proposal: string, variant: string, years: number | null, maxYears: number) =>
    `${entryName(proposal, variant)} har tilbagebetalingstid ${years === null ? "uendelig" : `${yearsDa(years)} år`}; reglen er højst ${yearsDa(maxYears)} år`,
  unknownVariant: (proposal: string) => `${proposal}: ukendt variant`,
  mustChoose: (proposal: string) => `${proposal} skal finansieres`,
} as const

// ------------------------------------------------------------------ audit findings

/** What an audit finding compares, in the document's words. */
export const findingDa = {
  overviewService: (poolPriceLevel: number) => `oversigten: service (${poolPriceLevel} p/l)`,
  overviewAnlaeg: (poolPriceLevel: number) => `oversigten: anlæg (${poolPriceLevel} p/l)`,
  overviewEffect: (tablePriceLevel: number) =>
    `oversigten: effektivisering v. fuld indfasning (${tablePriceLevel} p/l)`,
  overviewPayback: "oversigten: tilbagebetalingstid (år)",
  overviewRowMissing: "oversigten: rækken mangler",
  overviewTotal: (column: "service" | "anlaeg" | "effectFullPhaseIn") =>
    `oversigtens i alt-række: ${column === "effectFullPhaseIn" ? "effektivisering v. fuld indfasning" : AREA_DA[column]}`,
  proposalFileMissing: "forslagsfilen mangler",
  inOverview: "i oversigten",
  missing: "mangler",
} as const

// ------------------------------------------------------------------ analyses (src/solver/analysis)

/**
 * How an analysis sentence shows an amount given in 1.000 kr. (a yearly saving, a cost), with its
 * unit and price level. The API's sentences use savingDa; a face may pass mioDa.
 */
export type MoneyDa = (x: number, priceLevel: number) => string

/** "2.398 (1.000 kr., 2027 p/l)" */
export const savingDa: MoneyDa = (x, priceLevel) => `${formatDanish(x)} (${unitDa(priceLevel)})`

/**
 * "2,4 mio. kr. (2027 p/l)": mio. kr. with one decimal; an amount that is not zero but would read
 * "0,0" gets the decimals that show it ("0,02 mio. kr."), so that no sentence says a change of nothing.
 */
export const mioDa: MoneyDa = (x, priceLevel) => {
  const one = formatDanish(x / 1000, 1)
  const shown = x !== 0 && !/[1-9]/.test(one) ? formatDanish(x / 1000, Math.abs(x) >= 9.5 ? 2 : 3) : one
  return `${shown} mio. kr. (${priceLevel} p/l)`
}

const listDa = (names: readonly string[]) => names.join(", ")

type Named = { readonly proposal: string; readonly variant: string }
const namesDa = (cs: readonly Named[] | undefined) => (cs ?? []).map((c) => entryName(c.proposal, c.variant))

/** What the sentence on one proposal's variant is made of (the solver's OptionExplanation, less its text). */
export type OptionFacts = {
  readonly proposal: string
  readonly variant: string
  readonly status: "chosen" | "notChosen" | "ruledOut"
  readonly priceOut?: number | null | undefined
  readonly withoutIt?: { readonly entered: readonly Named[] } | undefined
  readonly priceIn?: number | null | undefined
  readonly withIt?: { readonly entered: readonly Named[]; readonly left: readonly Named[] } | undefined
  readonly savingThreshold?: number | null | undefined
  readonly costThresholds?:
    | readonly { readonly area: "service" | "anlaeg"; readonly reduction: number | null }[]
    | undefined
  readonly rules?: readonly { readonly text: string }[] | undefined
  readonly exempted?:
    | {
        readonly chosen: boolean
        readonly gain: number | null
        readonly left: readonly Named[]
        readonly priceIn: number | null
      }
    | undefined
}

/** What the sentence on one rule's price is made of (the solver's RulePrice, less its explanation). */
export type RulePriceFacts = {
  readonly text: string
  readonly price: number | null
  readonly without: { readonly entered: readonly Named[] } | null
}

/** Why a proposal is in or out, the price of a rule, and the robustness summary, in Danish. */
export const analysisDa = {
  /** The sentence on one variant from its facts, amounts shown by `money`. */
  option: (o: OptionFacts, pl: number, money: MoneyDa = savingDa): string => {
    const label = entryName(o.proposal, o.variant)
    if (o.status === "chosen")
      return analysisDa.chosen(label, o.priceOut ?? null, namesDa(o.withoutIt?.entered), pl, money)
    if (o.status === "notChosen")
      return analysisDa.notChosen(
        label,
        o.priceIn ?? null,
        namesDa(o.withIt?.left),
        namesDa(o.withIt?.entered.filter((c) => c.proposal !== o.proposal)),
        o.savingThreshold ?? null,
        (o.costThresholds ?? []).flatMap((t) =>
          t.reduction === null ? [] : [{ area: t.area, reduction: t.reduction }],
        ),
        pl,
        money,
      )
    const e = o.exempted
    return analysisDa.ruledOut(
      label,
      (o.rules ?? []).map((r) => r.text),
      {
        chosen: e?.chosen ?? false,
        gain: e?.gain ?? null,
        leave: namesDa(e?.left),
        priceIn: e?.priceIn ?? null,
      },
      pl,
      money,
    )
  },
  /** The sentence on one rule's price from its facts, amounts shown by `money`. */
  rulePriceOf: (p: RulePriceFacts, pl: number, money: MoneyDa = savingDa): string =>
    analysisDa.rulePrice(p.text, p.price, namesDa(p.without?.entered), pl, money),
  chosen: (
    label: string,
    priceOut: number | null,
    replacedBy: readonly string[],
    pl: number,
    money: MoneyDa = savingDa,
  ) =>
    priceOut === null
      ? `${label} er med og kan ikke undværes: uden den kan reglerne ikke overholdes.`
      : `${label} er med. Uden den ${priceOut > 0 ? `falder den årlige effektivisering med ${money(priceOut, pl)}` : priceOut < 0 ? `stiger den årlige effektivisering med ${money(-priceOut, pl)} (den er med, fordi en regel kræver det)` : "er den årlige effektivisering den samme"}${replacedBy.length ? `; i stedet kommer ${listDa(replacedBy)} med` : ""}.`,
  notChosen: (
    label: string,
    priceIn: number | null,
    leave: readonly string[],
    join: readonly string[],
    saving: number | null,
    cuts: readonly { readonly area: "service" | "anlaeg"; readonly reduction: number }[],
    pl: number,
    money: MoneyDa = savingDa,
  ) => {
    if (priceIn === null) return `${label} er ikke med: ingen pakke med den overholder reglerne.`
    const cost = cuts.map(
      (c) =>
        `${c.area === "service" ? "servicedel" : "anlægsdel"} er mindst ${money(c.reduction, pl)} billigere`,
    )
    return (
      `${label} er ikke med. Skal den med, koster det ${money(priceIn, pl)} om året` +
      `${leave.length ? `: ${listDa(leave)} må ud` : ""}${join.length ? `, og ${listDa(join)} kommer med` : ""}. ` +
      `Den kommer med, hvis dens årlige effektivisering er mindst ${money(saving ?? 0, pl)} større` +
      `${cost.length ? ` eller dens ${cost.join(" eller dens ")}` : ""}.`
    )
  },
  ruledOut: (
    label: string,
    rules: readonly string[],
    exempted: {
      readonly chosen: boolean
      readonly gain: number | null
      readonly leave: readonly string[]
      readonly priceIn: number | null
    },
    pl: number,
    money: MoneyDa = savingDa,
  ) =>
    `${label} er udelukket af reglen: ${rules.length ? rules.join("; ") : "ingen enkelt regel (flere regler tilsammen)"}. ` +
    (exempted.chosen
      ? `Undtages den, kommer den med, og den årlige effektivisering stiger med ${money(exempted.gain ?? 0, pl)}${exempted.leave.length ? `; ${listDa(exempted.leave)} må ud` : ""}.`
      : exempted.priceIn !== null
        ? `Undtages den, kommer den stadig ikke med; at tage den med ville koste ${money(exempted.priceIn, pl)} om året.`
        : "Heller ikke undtaget kan den komme med."),
  /** A payback exemption as a rule of its own. */
  exemption: (proposal: string) => `${proposal} undtaget fra kravet om tilbagebetalingstid`,
  rulePrice: (
    rule: string,
    price: number | null,
    without: readonly string[],
    pl: number,
    money: MoneyDa = savingDa,
  ) =>
    price === null
      ? `Uden reglen "${rule}" kan de øvrige regler ikke overholdes.`
      : price === 0
        ? `Reglen "${rule}" koster intet.`
        : price > 0
          ? `Reglen "${rule}" koster ${money(price, pl)} om året${without.length ? `; uden den kom ${listDa(without)} med` : ""}.`
          : `Reglen "${rule}" giver ${money(-price, pl)} mere om året.`,
  /** The robustness summary; `mio`: its amounts in mio. kr. with one decimal (else 1.000 kr.). */
  robustness: (
    r: {
      readonly objective: number
      readonly draws: number
      readonly p10: number
      readonly p50: number
      readonly p90: number
      readonly shortfall: number
      readonly stillBest: number
      readonly regret: number
    },
    pl: number,
    mio = false,
  ) => {
    const a = (x: number, decimals = 0) => (mio ? formatDanish(x / 1000, 1) : formatDanish(x, decimals))
    return (
      `Den valgte pakke giver ${a(r.objective)} om året på overslagene (${mio ? `mio. kr., ${pl} p/l` : unitDa(pl)}). ` +
      `Over ${formatDanish(r.draws)} træk giver den ${a(r.p10)} (P10), ${a(r.p50)} (P50) og ${a(r.p90)} (P90); ` +
      `i gennemsnit ${a(r.shortfall)} mindre end overslaget (optimeringens forbandelse). ` +
      `Den er stadig den bedste pakke i ${formatDanish(100 * r.stillBest, 1)} % af trækkene; bedre viden ville i gennemsnit være ${a(r.regret, 1)} om året værd.`
    )
  },
}

// ------------------------------------------------------------------ schema issues (a file's cell, a command line's flag)

const SCHEMA_ISSUE_DA: Readonly<Record<string, string>> = {
  too_small: "mangler eller er for kort/lille",
  too_big: "er for stor",
  invalid_type: "har forkert type (tal eller tekst forventet)",
  invalid_format: "har forkert form",
  invalid_value: "er ikke en af de tilladte værdier",
  not_multiple_of: "er ikke et helt tal",
  unrecognized_keys: "har ukendte felter",
}

const FIELD_DA: Readonly<Record<string, string>> = {
  id: "id",
  title: "titel",
  committee: "udvalg",
  administration: "forvaltning",
  summary: "resumé",
  risk: "risikovurdering",
  firstLine: "kilde, første linje",
  lastLine: "kilde, sidste linje",
  source: "kilde",
  label: "tekst",
  unitPrinted: "enhed",
  priceLevel: "prisniveau",
  years: "år",
  lines: "linjer",
  values: "beløb",
  area: "styringsområde",
  printedArea: "trykt styringsområde",
  totals: "totaler",
  payback: "tilbagebetalingstid",
  basis: "grundlag",
  kind: "slags",
  description: "beskrivelse",
  caption: "tabeltekst",
  tablePriceLevel: "tabellernes prisniveau",
  poolPriceLevel: "puljens prisniveau",
  version: "prisindeks, version",
  base: "prisindeks, basisår",
  levels: "prisindeks",
  service: "service",
  anlaeg: "anlæg",
  effectFullPhaseIn: "effektivisering v. fuld indfasning",
  paybackYears: "tilbagebetalingstid",
  paybackPrinted: "tilbagebetalingstid",
  note: "note",
  basedOn: "scenariet, det bygger på",
  baseVersion: "versionen, det bygger på",
}

/**
 * A schema (zod) issue in Danish: the Danish name of the deepest field that has one and what is
 * wrong ("Titel mangler eller er for kort/lille"; a text too long "er for lang", a number too big
 * "er for stor"), with `detail` (the precise reason) in brackets.
 */
export const schemaIssueDa = (
  issue: { readonly code: string; readonly path: readonly PropertyKey[]; readonly origin?: unknown },
  detail?: string,
): string => {
  const { code, path } = issue
  const key = [...path].reverse().find((k) => typeof k === "string" && k in FIELD_DA) as string | undefined
  const field = (key && FIELD_DA[key]) || "værdien"
  const wrong =
    code === "too_big" && issue.origin === "string" ? "er for lang" : (SCHEMA_ISSUE_DA[code] ?? "er ugyldig")
  const what = `${field[0]?.toUpperCase()}${field.slice(1)} ${wrong}`
  return detail ? `${what} (${detail})` : what
}

/** The bound a too-small or too-big issue broke, in Danish ("højst 200 tegn"); undefined for other issues. */
export const schemaBoundDa = (issue: {
  readonly code: string
  readonly origin?: unknown
  readonly minimum?: unknown
  readonly maximum?: unknown
}): string | undefined => {
  const bound =
    issue.code === "too_small" ? issue.minimum : issue.code === "too_big" ? issue.maximum : undefined
  if (typeof bound !== "number" && typeof bound !== "bigint") return undefined
  const n = formatDanish(Number(bound), Number.isInteger(Number(bound)) ? 0 : 1)
  const unit = issue.origin === "string" ? " tegn" : issue.origin === "array" ? " stk." : ""
  return `${issue.code === "too_small" ? "mindst" : "højst"} ${n}${unit}`
}

/**
 * A user scenario saved in round `savedIn` but opened in round `here`, in Danish ("Scenariet er gemt
 * i runden anden; her løses det på data fra runden ofs-2025-26."); null when they are the same or
 * the version kept no round.
 */
export const savedInOtherRoundDa = (savedIn: string | undefined, here: string): string | null =>
  savedIn === undefined || savedIn === here
    ? null
    : `Scenariet er gemt i runden ${savedIn}; her løses det på data fra runden ${here}.`

/**
 * What a user scenario's rules name that a round lacks, in Danish: "nævner BC05, BC10:scenario-2,
 * som runden ofs-2025-26 ikke har".
 */
export const lackedInRoundDa = (named: readonly string[], round: string): string =>
  `nævner ${named.join(", ")}, som runden ${round} ikke har`

/** A user scenario that cannot be solved in this round, and why (see lackedInRoundDa): "Scenariet nævner …: det kan ikke løses her." */
export const unsolvableHereDa = (lacked: string): string => `Scenariet ${lacked}: det kan ikke løses her.`
