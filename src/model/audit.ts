import { netImpact, permanentEffect, poolCost, sectionTotal, total } from "./cashflow.ts"
import { paybackYears } from "./payback.ts"
import { convertPrice, OFS_2025_26_INDEX, type PriceIndex } from "./priceLevel.ts"
import type { Overview, OverviewRow, Proposal, Variant } from "./schema.ts"

/** One place where a printed figure differs from what the lines give. */
export interface Finding {
  readonly proposal: string
  readonly variant?: string
  /** What was compared, e.g. "Samlet varig ændring 2028" or "overview: service (2026 p/l)". */
  readonly what: string
  readonly printed: number | string | null
  readonly computed: number | string | null
  /** True when the proposal's own `anomalies` list records a document error of this kind here. */
  readonly recorded: boolean
}

/** The audit of one variant's printed totals, impact row and payback against its lines. */
export const auditVariant = (p: Proposal, v: Variant): Finding[] => {
  const out: Omit<Finding, "recorded">[] = []
  for (const t of v.totals) {
    const computed =
      t.kind === "impact"
        ? netImpact(v)
        : sectionTotal(v, t.kind === "permanent" ? "permanent" : "implementation", t.area)
    v.years.forEach((y, i) => {
      const printed = t.values[i] ?? 0
      const c = computed[i] ?? 0
      if (printed !== c)
        out.push({ proposal: p.id, variant: v.id, what: `${t.label} ${y}`, printed, computed: c })
    })
  }
  for (const pb of v.payback) {
    if (pb.basis === "other") continue
    const c = paybackYears(v, pb.basis)
    if (pb.years !== c)
      out.push({ proposal: p.id, variant: v.id, what: pb.label, printed: pb.years, computed: c })
  }
  return out.map((f) => ({ ...f, recorded: isRecorded(p, f) }))
}

const KIND_FOR = (what: string): string[] =>
  what.startsWith("overview")
    ? ["overview-mismatch"]
    : /tilbagebetaling/i.test(what)
      ? ["payback-mismatch", "prose-mismatch"]
      : /påvirkning/i.test(what)
        ? ["impact-mismatch", "total-mismatch"]
        : ["total-mismatch", "impact-mismatch", "placement-ambiguous"]

const isRecorded = (p: Proposal, f: Omit<Finding, "recorded">): boolean =>
  p.anomalies.some(
    (a) =>
      (a.variant === undefined || f.variant === undefined || a.variant === f.variant) &&
      KIND_FOR(f.what).includes(a.kind),
  )

/** The figures of one overview row as the model computes them from a variant. */
export interface OverviewFigures {
  /** Pool cost, service, 1.000 kr. 2026 p/l (unrounded). */
  readonly service: number
  /** Pool cost, anlæg, 1.000 kr. 2026 p/l (unrounded). */
  readonly anlaeg: number
  /** Permanent effect at full phase-in, 1.000 kr. at the variant's price level. */
  readonly effectFullPhaseIn: number
  readonly paybackYears: number | null
}

/** What the overview table shows for a variant, computed: pool costs moved to the pool's price level. */
export const overviewFigures = (
  v: Variant,
  poolPriceLevel = 2026,
  index: PriceIndex = OFS_2025_26_INDEX,
) => ({
  service: convertPrice(total(poolCost(v, "service")), "service", v.priceLevel, poolPriceLevel, index),
  anlaeg: convertPrice(total(poolCost(v, "anlaeg")), "anlaeg", v.priceLevel, poolPriceLevel, index),
  effectFullPhaseIn: permanentEffect(v),
  paybackYears: paybackYears(v, "total"),
})

/** Compare one overview row with the proposal's base variant (service and anlæg within 1, the rest exact). */
export const auditOverviewRow = (
  p: Proposal,
  row: OverviewRow,
  index: PriceIndex = OFS_2025_26_INDEX,
): Finding[] => {
  const v = p.variants.find((x) => x.id === "base") ?? p.variants[0]
  if (!v) return []
  const c = overviewFigures(v, 2026, index)
  const out: Omit<Finding, "recorded">[] = []
  if (Math.abs(c.service - row.service) >= 1)
    out.push({
      proposal: p.id,
      variant: v.id,
      what: "overview: service (2026 p/l)",
      printed: row.service,
      computed: round1(c.service),
    })
  if (Math.abs(c.anlaeg - row.anlaeg) >= 1)
    out.push({
      proposal: p.id,
      variant: v.id,
      what: "overview: anlæg (2026 p/l)",
      printed: row.anlaeg,
      computed: round1(c.anlaeg),
    })
  if (c.effectFullPhaseIn !== row.effectFullPhaseIn)
    out.push({
      proposal: p.id,
      variant: v.id,
      what: "overview: effect at full phase-in (2027 p/l)",
      printed: row.effectFullPhaseIn,
      computed: c.effectFullPhaseIn,
    })
  if (c.paybackYears !== row.paybackYears)
    out.push({
      proposal: p.id,
      variant: v.id,
      what: "overview: payback (years)",
      printed: row.paybackYears,
      computed: c.paybackYears,
    })
  return out.map((f) => ({ ...f, recorded: isRecorded(p, f) }))
}

const round1 = (x: number) => Math.round(x * 10) / 10

/** Overview rows in document order. */
export const overviewRows = (o: Overview): OverviewRow[] => o.committees.flatMap((c) => c.rows)

/** The total row of the overview against the sum of its rows. */
export const auditOverviewTotal = (o: Overview): Finding[] => {
  const rows = overviewRows(o)
  const sum = (k: "service" | "anlaeg" | "effectFullPhaseIn") => rows.reduce((a, r) => a + r[k], 0)
  const out: Finding[] = []
  for (const k of ["service", "anlaeg", "effectFullPhaseIn"] as const) {
    if (sum(k) !== o.total[k])
      out.push({
        proposal: "I alt",
        what: `overview total: ${k}`,
        printed: o.total[k],
        computed: sum(k),
        recorded: o.anomalies.some((a) => a.kind === "total-mismatch"),
      })
  }
  return out
}

/** The whole consistency audit: every variant of every proposal, and the overview. */
export const auditAll = (proposals: readonly Proposal[], overview?: Overview): Finding[] => {
  const findings: Finding[] = []
  const rows = overview
    ? new Map(overviewRows(overview).map((r) => [r.id, r]))
    : new Map<string, OverviewRow>()
  for (const p of proposals) {
    for (const v of p.variants) findings.push(...auditVariant(p, v))
    const row = rows.get(p.id)
    if (row) findings.push(...auditOverviewRow(p, row))
    else if (overview)
      findings.push({
        proposal: p.id,
        what: "overview: row",
        printed: null,
        computed: "missing",
        recorded: false,
      })
  }
  if (overview) {
    const ids = new Set(proposals.map((p) => p.id))
    for (const r of rows.values())
      if (!ids.has(r.id))
        findings.push({
          proposal: r.id,
          what: "proposal file",
          printed: "in overview",
          computed: "missing",
          recorded: false,
        })
    findings.push(...auditOverviewTotal(overview))
  }
  return findings
}
