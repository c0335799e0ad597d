import { z } from "zod"

/**
 * Zod schemas for the data files: the single source of the model's types.
 * All money is integers of 1.000 kr. as printed in the source document.
 */

/** Budget area (styringsområde). Service = running budget, anlæg = capital budget; overførsler = transfer payments. */
export const Area = z.enum(["service", "anlaeg", "overfoersler"])
export type Area = z.infer<typeof Area>

/** The two areas the investment pool pays out of. */
export const PoolArea = z.enum(["service", "anlaeg"])
export type PoolArea = z.infer<typeof PoolArea>

/** Which block of the cash-flow table a line stands in. */
export const Section = z.enum(["permanent", "implementation", "other"])
export type Section = z.infer<typeof Section>

const Amount = z.number().int()
const Year = z.number().int().min(2000).max(2100)

/** One cash-flow row of a proposal's table (never a subtotal or total row). */
export const Line = z
  .object({
    label: z.string().min(1),
    section: Section,
    area: Area,
    /** The word printed in the Styringsområde column (Service, Anlæg, Drift, IT, Løn, "" ...). */
    printedArea: z.string(),
    /** One integer per table year, in 1.000 kr.; a blank or "-" cell is 0. */
    values: z.array(Amount),
    /** How a row with fewer numbers than years was placed, where that was not obvious. */
    note: z.string().optional(),
  })
  .strict()
export type Line = z.infer<typeof Line>

/** A total row as printed (Samlet varig ændring, Samlede implementeringsomkostninger, Samlet økonomisk påvirkning). */
export const StatedTotal = z
  .object({
    label: z.string().min(1),
    /** permanent: sum of permanent lines; implementation: sum of implementation lines; impact: permanent + implementation. */
    kind: z.enum(["permanent", "implementation", "impact"]),
    /** Set when the printed total covers one area only (e.g. "Samlede implementeringsomkostninger, anlæg"). */
    area: Area.optional(),
    values: z.array(Amount),
  })
  .strict()
export type StatedTotal = z.infer<typeof StatedTotal>

/** A printed payback figure (Tilbagebetalingstid). */
export const StatedPayback = z
  .object({
    label: z.string().min(1),
    /** service: "baseret på serviceeffektivisering"; total: "baseret på totaløkonomi"; other: any other basis. */
    basis: z.enum(["service", "total", "other"]),
    /** Years as printed; null when the cell is blank or not a number. */
    years: z.number().nullable(),
  })
  .strict()
export type StatedPayback = z.infer<typeof StatedPayback>

/** One funding option of a proposal: its own cash-flow table. */
export const Variant = z
  .object({
    /** "base" for Tabel 1; other ids name alternative tables (e.g. BC10's "scenario-2"). */
    id: z.string().regex(/^[a-z0-9-]+$/),
    /** The table's caption as printed. */
    label: z.string().min(1),
    /** The unit and price level as printed above the table, e.g. "1.000 kr. 2027 p/l". */
    unitPrinted: z.string(),
    /** Price level (year) of the table's figures. */
    priceLevel: Year,
    /** The table's own year columns, in order. */
    years: z.array(Year).min(1),
    lines: z.array(Line).min(1),
    totals: z.array(StatedTotal),
    payback: z.array(StatedPayback),
  })
  .strict()
  .superRefine((v, ctx) => {
    const n = v.years.length
    v.lines.forEach((l, i) => {
      if (l.values.length !== n)
        ctx.addIssue({
          code: "custom",
          path: ["lines", i, "values"],
          message: `line "${l.label}" has ${l.values.length} values but the table has ${n} years`,
        })
    })
    v.totals.forEach((t, i) => {
      if (t.values.length !== n)
        ctx.addIssue({
          code: "custom",
          path: ["totals", i, "values"],
          message: `total "${t.label}" has ${t.values.length} values but the table has ${n} years`,
        })
    })
    for (let i = 1; i < n; i++) {
      if ((v.years[i] ?? 0) <= (v.years[i - 1] ?? 0))
        ctx.addIssue({ code: "custom", path: ["years", i], message: "years must increase" })
    }
  })
export type Variant = z.infer<typeof Variant>

/** A place where the source document contradicts itself, kept as printed and recorded here. */
export const Anomaly = z
  .object({
    /** The variant it concerns, if any. */
    variant: z.string().optional(),
    kind: z.enum([
      "total-mismatch",
      "impact-mismatch",
      "payback-mismatch",
      "overview-mismatch",
      "prose-mismatch",
      "unit-label",
      "placement-ambiguous",
      "other",
    ]),
    description: z.string().min(1),
    printed: z.union([z.number(), z.string()]).optional(),
    computed: z.union([z.number(), z.string()]).optional(),
  })
  .strict()
export type Anomaly = z.infer<typeof Anomaly>

/** Tabel 3 "Varige ændringer, administration": the permanent change that falls on administration. */
export const AdminEffect = z
  .object({
    unitPrinted: z.string(),
    priceLevel: Year,
    years: z.array(Year).min(1),
    rows: z.array(z.object({ label: z.string().min(1), values: z.array(Amount) }).strict()),
  })
  .strict()
export type AdminEffect = z.infer<typeof AdminEffect>

export const ProposalId = z
  .string()
  .regex(/^[A-Z]{2}\d{2,4}$/, "a proposal id is two capital letters and 2-4 digits, like BC05")

/** An investment proposal (investeringsforslag). */
export const Proposal = z
  .object({
    id: ProposalId,
    /** The title as printed above the proposal. */
    title: z.string().min(1),
    /** Political committee (udvalg), as in the overview table's heading. */
    committee: z.string().min(1),
    /** The administration (forvaltning) that wrote the proposal. */
    administration: z.string().min(1),
    /** "Kort resumé", as printed (joined into one paragraph). */
    summary: z.string(),
    /** A short summary of section 4, Risikovurdering, in the document's words. */
    risk: z.string(),
    /** Tabel 3 where it holds numbers; null where it is absent or blank. */
    adminEffect: AdminEffect.nullable(),
    variants: z.array(Variant).min(1),
    anomalies: z.array(Anomaly),
    /** Where the proposal stands in the source text (1-based line numbers, inclusive). */
    source: z
      .object({ firstLine: z.number().int().positive(), lastLine: z.number().int().positive() })
      .strict(),
    /**
     * A confidential application (the document's "særskilt bilag 2b"): kept in its own folder and
     * shown to, and used for, callers with the confidential grant only.
     */
    confidential: z.boolean().optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const ids = new Set<string>()
    p.variants.forEach((v, i) => {
      if (ids.has(v.id))
        ctx.addIssue({
          code: "custom",
          path: ["variants", i, "id"],
          message: `duplicate variant id "${v.id}"`,
        })
      ids.add(v.id)
    })
  })
export type Proposal = z.infer<typeof Proposal>

/** One row of the overview table (Tabel 1 at the top of the document), as printed. */
export const OverviewRow = z
  .object({
    id: ProposalId,
    title: z.string().min(1),
    /** Implementation cost from the pool, service, in 1.000 kr. 2026 p/l. */
    service: Amount,
    /** Implementation cost from the pool, anlæg, in 1.000 kr. 2026 p/l. */
    anlaeg: Amount,
    /** Effektivisering v. fuld indfasning, 1.000 kr. 2027 p/l (negative = saving). */
    effectFullPhaseIn: Amount,
    paybackYears: z.number().nullable(),
  })
  .strict()
export type OverviewRow = z.infer<typeof OverviewRow>

export const Overview = z
  .object({
    caption: z.string(),
    committees: z.array(z.object({ name: z.string().min(1), rows: z.array(OverviewRow) }).strict()),
    total: z
      .object({ service: Amount, anlaeg: Amount, effectFullPhaseIn: Amount, paybackPrinted: z.string() })
      .strict(),
    /** Where the overview contradicts itself (e.g. its total row against its rows). */
    anomalies: z.array(Anomaly).default([]),
  })
  .strict()
export type Overview = z.infer<typeof Overview>
