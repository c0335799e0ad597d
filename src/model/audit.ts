import { z } from "zod"
import { netImpact, permanentEffect, poolCost, sectionTotal, total } from "./cashflow.ts"
import { paybackYears } from "./payback.ts"
import { convertPrice } from "./priceLevel.ts"
import type { Prices } from "./round.ts"
import type { Anomaly, Overview, OverviewRow, Proposal, Variant } from "./schema.ts"
import { findingDa } from "./wording.ts"

/** Which printed figure a finding is about: decides which anomaly kinds can record it. */
export const FindingCheck = z.enum([
  "total",
  "impact",
  "payback",
  "overview",
  "overview-row",
  "overview-total",
  "proposal-file",
])
export type FindingCheck = z.infer<typeof FindingCheck>

/** One place where a printed figure differs from what the lines give. */
export const Finding = z.object({
  proposal: z.string().describe('The proposal, or "I alt" for the overview\'s total row'),
  variant: z.string().optional(),
  check: FindingCheck,
  what: z
    .string()
    .describe(
      'What was compared, in Danish, e.g. "Samlet varig ændring 2028" or "oversigten: anlæg (2026 p/l)"',
    ),
  printed: z.union([z.number(), z.string()]).nullable(),
  computed: z.union([z.number(), z.string()]).nullable(),
  recorded: z.boolean().describe("Whether the proposal's anomalies list records this document error"),
})
export type Finding = z.infer<typeof Finding>

/** The anomaly kinds that can record a finding of each check. */
export const ANOMALY_KINDS_FOR_CHECK: Readonly<Record<FindingCheck, readonly Anomaly["kind"][]>> = {
  total: ["total-mismatch", "impact-mismatch", "placement-ambiguous"],
  impact: ["impact-mismatch", "total-mismatch"],
  payback: ["payback-mismatch", "prose-mismatch"],
  overview: ["overview-mismatch"],
  "overview-row": [],
  "overview-total": ["total-mismatch"],
  "proposal-file": [],
}

type Unrecorded = Omit<Finding, "recorded">

const isRecorded = (p: Proposal, f: Unrecorded): boolean =>
  p.anomalies.some(
    (a) =>
      (a.variant === undefined || f.variant === undefined || a.variant === f.variant) &&
      ANOMALY_KINDS_FOR_CHECK[f.check].includes(a.kind),
  )

/** The audit of one variant's printed totals, impact row and payback against its lines. */
export const auditVariant = (p: Proposal, v: Variant): Finding[] => {
  const out: Unrecorded[] = []
  for (const t of v.totals) {
    const computed =
      t.kind === "impact"
        ? netImpact(v)
        : sectionTotal(v, t.kind === "permanent" ? "permanent" : "implementation", t.area)
    v.years.forEach((y, i) => {
      const printed = t.values[i] ?? 0
      const c = computed[i] ?? 0
      if (printed !== c)
        out.push({
          proposal: p.id,
          variant: v.id,
          check: t.kind === "impact" ? "impact" : "total",
          what: `${t.label} ${y}`,
          printed,
          computed: c,
        })
    })
  }
  for (const pb of v.payback) {
    if (pb.basis === "other") continue
    const c = paybackYears(v, pb.basis)
    if (pb.years !== c)
      out.push({
        proposal: p.id,
        variant: v.id,
        check: "payback",
        what: pb.label,
        printed: pb.years,
        computed: c,
      })
  }
  return out.map((f) => ({ ...f, recorded: isRecorded(p, f) }))
}

/** The figures of one overview row as the model computes them from a variant. */
export interface OverviewFigures {
  /** Pool cost, service, 1.000 kr. pool p/l (unrounded). */
  readonly service: number
  /** Pool cost, anlæg, 1.000 kr. pool p/l (unrounded). */
  readonly anlaeg: number
  /** Permanent effect at full phase-in, 1.000 kr. at the variant's price level. */
  readonly effectFullPhaseIn: number
  readonly paybackYears: number | null
}

/** What the overview table shows for a variant, computed: pool costs moved to the pool's price level. */
export const overviewFigures = (v: Variant, prices: Prices): OverviewFigures => {
  const { poolPriceLevel: to, priceIndex: index } = prices
  return {
    service: convertPrice(total(poolCost(v, "service")), "service", v.priceLevel, to, index),
    anlaeg: convertPrice(total(poolCost(v, "anlaeg")), "anlaeg", v.priceLevel, to, index),
    effectFullPhaseIn: permanentEffect(v),
    paybackYears: paybackYears(v, "total"),
  }
}

/**
 * Compare one overview row with the proposal's base variant. The converted pool costs are rounded
 * to whole 1.000 kr. as the overview prints them, so a row that rounds the other way is a finding;
 * the rest is exact.
 */
export const auditOverviewRow = (p: Proposal, row: OverviewRow, prices: Prices): Finding[] => {
  const v = p.variants.find((x) => x.id === "base") ?? p.variants[0]
  if (!v) return []
  const c = overviewFigures(v, prices)
  const out: Unrecorded[] = []
  const at = { proposal: p.id, variant: v.id, check: "overview" as const }
  if (Math.round(c.service) !== row.service)
    out.push({
      ...at,
      what: findingDa.overviewService(prices.poolPriceLevel),
      printed: row.service,
      computed: round2(c.service),
    })
  if (Math.round(c.anlaeg) !== row.anlaeg)
    out.push({
      ...at,
      what: findingDa.overviewAnlaeg(prices.poolPriceLevel),
      printed: row.anlaeg,
      computed: round2(c.anlaeg),
    })
  if (c.effectFullPhaseIn !== row.effectFullPhaseIn)
    out.push({
      ...at,
      what: findingDa.overviewEffect(v.priceLevel),
      printed: row.effectFullPhaseIn,
      computed: c.effectFullPhaseIn,
    })
  if (c.paybackYears !== row.paybackYears)
    out.push({
      ...at,
      what: findingDa.overviewPayback,
      printed: row.paybackYears,
      computed: c.paybackYears,
    })
  return out.map((f) => ({ ...f, recorded: isRecorded(p, f) }))
}

const round2 = (x: number) => Math.round(x * 100) / 100

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
        check: "overview-total",
        what: findingDa.overviewTotal(k),
        printed: o.total[k],
        computed: sum(k),
        recorded: o.anomalies.some((a) => ANOMALY_KINDS_FOR_CHECK["overview-total"].includes(a.kind)),
      })
  }
  return out
}

/** The whole consistency audit: every variant of every proposal, and the overview (at `prices`). */
export const auditAll = (
  proposals: readonly Proposal[],
  overview: Overview | undefined,
  prices: Prices,
): Finding[] => {
  const findings: Finding[] = []
  const rows = overview
    ? new Map(overviewRows(overview).map((r) => [r.id, r]))
    : new Map<string, OverviewRow>()
  for (const p of proposals) {
    for (const v of p.variants) findings.push(...auditVariant(p, v))
    const row = rows.get(p.id)
    if (row) findings.push(...auditOverviewRow(p, row, prices))
    else if (overview)
      findings.push({
        proposal: p.id,
        check: "overview-row",
        what: findingDa.overviewRowMissing,
        printed: null,
        computed: findingDa.missing,
        recorded: false,
      })
  }
  if (overview) {
    const ids = new Set(proposals.map((p) => p.id))
    for (const r of rows.values())
      if (!ids.has(r.id))
        findings.push({
          proposal: r.id,
          check: "proposal-file",
          what: findingDa.proposalFileMissing,
          printed: findingDa.inOverview,
          computed: findingDa.missing,
          recorded: false,
        })
    findings.push(...auditOverviewTotal(overview))
  }
  return findings
}
