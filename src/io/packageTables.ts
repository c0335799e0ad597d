import { permanentChange } from "../model/cashflow.ts"
import { keyFigures } from "../model/keyFigures.ts"
import type { PriceIndex } from "../model/priceLevel.ts"
import { builtInPrices, type Prices } from "../model/round.ts"
import type { PoolArea, Proposal } from "../model/schema.ts"
import { cachedFactor, compile } from "../solver/compile.ts"
import { toNumber } from "../solver/rational.ts"
import type { PackageFigures, Violation } from "../solver/result.ts"
import type { LimitArea, Rules } from "../solver/rules.ts"

/**
 * A package's figures as tables: the one source of the xlsx export (which adds live formulas)
 * and the CSV export. Amounts in 1.000 kr.; every header names its price level.
 */

/** What is exported: a solved or hand-picked package under its rules. */
export interface PackageExport {
  /** What the package is, e.g. the scenario's title or "Håndplukket pakke". */
  readonly title: string
  /** The solve's status in words (optimal, …), if it comes from a solve. */
  readonly status?: string
  readonly proposals: readonly Proposal[]
  readonly rules: Rules
  readonly figures: PackageFigures
  /** Rules the package breaks (an evaluated package). */
  readonly broken?: readonly Violation[]
  /** The round's price levels and index (default: the built-in round's). */
  readonly prices?: Prices
}

export type CellValue = string | number | null

/** One chosen proposal with its yearly pool costs and permanent change (table p/l and pool p/l). */
export interface CashFlowRow {
  readonly proposal: string
  readonly variant: string
  readonly title: string
  /** Per year of `years`: pool cost at the table level, per area. */
  readonly table: Readonly<Record<PoolArea, readonly number[]>>
  /** The factor table p/l → pool p/l of this variant, per area (the solver's). */
  readonly factor: Readonly<Record<PoolArea, number>>
  /** Permanent change per year, table p/l. */
  readonly permanent: readonly number[]
}

export const AREA_NAME: Record<LimitArea, string> = {
  service: "Service",
  anlaeg: "Anlæg",
  combined: "Samlet",
}

const numericFactor = (area: PoolArea, from: number, to: number, index: PriceIndex) =>
  from === to ? 1 : toNumber(cachedFactor(area, from, to, index))

/** The years of the package's tables, in order. */
export const packageYears = (x: PackageExport): number[] => {
  const byId = new Map(x.proposals.map((p) => [p.id, p]))
  const years = new Set<number>()
  for (const c of x.figures.chosen)
    for (const y of byId.get(c.proposal)?.variants.find((v) => v.id === c.variant)?.years ?? []) years.add(y)
  return [...years].sort((a, b) => a - b)
}

/** One row per chosen proposal, in the solver's order, over `years`. */
export const cashFlowRows = (x: PackageExport, years: readonly number[]): CashFlowRow[] => {
  const index = (x.prices ?? builtInPrices()).priceIndex
  const byId = new Map(x.proposals.map((p) => [p.id, p]))
  const { tablePriceLevel, poolPriceLevel } = x.figures
  return x.figures.chosen.map((c) => {
    const p = byId.get(c.proposal)
    const v = p?.variants.find((w) => w.id === c.variant)
    if (!p || !v) throw new Error(`${c.proposal} ${c.variant} is not among the proposals`)
    const at = (series: readonly number[]) => years.map((y) => series[v.years.indexOf(y)] ?? 0)
    const f = keyFigures(v)
    const toTable = (a: PoolArea) => numericFactor(a, v.priceLevel, tablePriceLevel, index)
    const table = (a: PoolArea) =>
      at(f.poolCost[a]).map((amount) => (toTable(a) === 1 ? amount : amount * toTable(a)))
    return {
      proposal: c.proposal,
      variant: c.variant,
      title: c.title,
      table: { service: table("service"), anlaeg: table("anlaeg") },
      factor: {
        service: numericFactor("service", v.priceLevel, poolPriceLevel, index),
        anlaeg: numericFactor("anlaeg", v.priceLevel, poolPriceLevel, index),
      },
      permanent: at(permanentChange(v)),
    }
  })
}

/** A rule and how the package stands to it. */
export interface RuleStatus {
  readonly rule: string
  readonly text: string
  readonly used: number | null
  readonly min: number | null
  readonly max: number | null
  readonly slack: number | null
  /** Brudt (broken), Bindende (binding: keeps a better package out), Overholdt (kept). */
  readonly status: "Brudt" | "Bindende" | "Overholdt"
  readonly blocks: readonly string[]
}

/** Every rule of `x.rules` with its status under the package. */
export const ruleStatuses = (x: PackageExport): RuleStatus[] => {
  const items = compile(x.proposals, x.rules, { prices: x.prices ?? builtInPrices() }).rules
  const use = new Map(x.figures.rules.map((r) => [r.rule, r]))
  const broken = new Map<string, Violation>()
  for (const b of x.broken ?? []) if (!broken.has(b.rule)) broken.set(b.rule, b)
  const out: RuleStatus[] = items.map((item) => {
    const u = use.get(item.id)
    const b = broken.get(item.id)
    return {
      rule: item.id,
      text: b?.text ?? item.text,
      used: u?.used ?? null,
      min: u?.min ?? null,
      max: u?.max ?? null,
      slack: u?.slack ?? null,
      status: b || (u && u.slack < 0) ? "Brudt" : u?.binding ? "Bindende" : "Overholdt",
      blocks: u?.blocks ?? [],
    }
  })
  // Broken rules the compiled problem does not list (dropped as options when evaluating).
  for (const [rule, b] of broken)
    if (!items.some((i) => i.id === rule))
      out.push({
        rule,
        text: b.text,
        used: b.value ?? null,
        min: null,
        max: b.limit ?? null,
        slack: null,
        status: "Brudt",
        blocks: [],
      })
  return out
}

/** The limit of `area` over the whole period (pool p/l), if set. */
export const limitOf = (rules: Rules, area: LimitArea): number | undefined => rules.limits[area]

/** The limit of `area` in `year` (pool p/l), if set. */
export const yearLimitOf = (rules: Rules, area: LimitArea, year: number): number | undefined =>
  rules.limits.perYear.find((l) => l.area === area && l.year === year)?.max

/** A named table of values: the CSV files, and what the xlsx sheets show. */
export interface Table {
  readonly name: string
  readonly header: readonly string[]
  readonly rows: readonly (readonly CellValue[])[]
}

/** The header of the chosen-proposals table; `t` the tables' price level, `q` the pool's. */
export const chosenHeader = (t: number, q: number) => [
  "Forslag",
  "Variant",
  "Titel",
  "Udvalg",
  `Effektivisering v. fuld indfasning (1.000 kr. ${t} p/l)`,
  "Tilbagebetalingstid (år)",
  `Puljemidler service (1.000 kr. ${q} p/l)`,
  `Puljemidler anlæg (1.000 kr. ${q} p/l)`,
]

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0)

/** The package's tables: chosen proposals, pools, pool use per year, cash flows, rules. */
export const packageTables = (x: PackageExport): Table[] => {
  const { figures: f, rules } = x
  const t = f.tablePriceLevel
  const q = f.poolPriceLevel
  const years = packageYears(x)
  const flows = cashFlowRows(x, years)
  const pool = f.totals.pool
  const chosen: Table = {
    name: "forslag",
    header: chosenHeader(t, q),
    rows: [
      ...f.chosen.map((c) => [
        c.proposal,
        c.variant,
        c.title,
        c.committee,
        c.permanentEffect,
        c.paybackYears,
        c.poolCostPool.service,
        c.poolCostPool.anlaeg,
      ]),
      ["I alt", null, null, null, f.permanentEffect, null, pool.service, pool.anlaeg],
    ],
  }
  const used: Record<LimitArea, number> = {
    service: pool.service,
    anlaeg: pool.anlaeg,
    combined: pool.service + pool.anlaeg,
  }
  const pools: Table = {
    name: "puljer",
    header: [
      "Område",
      `Brugt (1.000 kr. ${q} p/l)`,
      `Ramme (1.000 kr. ${q} p/l)`,
      `Tilbage (1.000 kr. ${q} p/l)`,
    ],
    rows: (["service", "anlaeg", "combined"] as const).map((a) => [
      AREA_NAME[a],
      used[a],
      limitOf(rules, a) ?? null,
      f.poolLeft[a] ?? null,
    ]),
  }
  const perYear: Table = {
    name: "pr-aar",
    header: [
      "År",
      ...(["service", "anlaeg", "combined"] as const).flatMap((a) => [
        `${AREA_NAME[a]}, brugt (1.000 kr. ${q} p/l)`,
        `${AREA_NAME[a]}, årsramme (1.000 kr. ${q} p/l)`,
      ]),
    ],
    rows: years.map((y) => {
      const u = pool.byYear[String(y)] ?? { service: 0, anlaeg: 0 }
      return [
        y,
        u.service,
        yearLimitOf(rules, "service", y) ?? null,
        u.anlaeg,
        yearLimitOf(rules, "anlaeg", y) ?? null,
        u.service + u.anlaeg,
        yearLimitOf(rules, "combined", y) ?? null,
      ]
    }),
  }
  const flowRows: CellValue[][] = []
  for (const r of flows) {
    flowRows.push([
      r.proposal,
      r.variant,
      `Puljemidler service (${t} p/l)`,
      ...r.table.service,
      sum(r.table.service),
    ])
    flowRows.push([
      r.proposal,
      r.variant,
      `Puljemidler anlæg (${t} p/l)`,
      ...r.table.anlaeg,
      sum(r.table.anlaeg),
    ])
    flowRows.push([r.proposal, r.variant, `Varig ændring (${t} p/l)`, ...r.permanent, null])
  }
  const cashFlows: Table = {
    name: "pengestroemme",
    header: ["Forslag", "Variant", "Række (1.000 kr.)", ...years.map(String), "I alt"],
    rows: flowRows,
  }
  const ruleTable: Table = {
    name: "regler",
    header: ["Regel", "Beskrivelse", "Brugt", "Mindst", "Højst", "Tilbage", "Status", "Holder ude"],
    rows: ruleStatuses(x).map((r) => [
      r.rule,
      r.text,
      r.used,
      r.min,
      r.max,
      r.slack,
      r.status,
      r.blocks.join(" "),
    ]),
  }
  return [chosen, pools, perYear, cashFlows, ruleTable]
}
