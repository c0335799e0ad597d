import { readFileSync } from "node:fs"
import { z } from "zod"
import { parseDataFile } from "../../model/load.ts"
import { ProposalId } from "../../model/schema.ts"

/** A triangular distribution of the factor on an estimate: realised = estimate × factor. */
export const Triangular = z
  .object({ min: z.number().min(0).max(10), mode: z.number().min(0).max(10), max: z.number().min(0).max(10) })
  .strict()
  .refine((t) => t.min <= t.mode && t.mode <= t.max, { message: "needs min ≤ mode ≤ max" })
export type Triangular = z.infer<typeof Triangular>

/** A risk class: the factor's distribution and why these numbers. */
export const RiskClass = z
  .object({ min: z.number(), mode: z.number(), max: z.number(), why: z.string().min(1) })
  .strict()
  .refine((t) => 0 <= t.min && t.min <= t.mode && t.mode <= t.max, { message: "needs 0 ≤ min ≤ mode ≤ max" })
export type RiskClass = z.infer<typeof RiskClass>

/** One proposal's uncertainty: its risk class, the sentence of its risk section it rests on, and any own parameters. */
export const ProposalUncertainty = z
  .object({
    class: z.string().min(1),
    /** Quoted verbatim from the proposal's risk section. */
    source: z.string().min(1),
    reason: z.string().min(1),
    /** The proposal's own factor distribution; absent: its class's. */
    saving: Triangular.optional(),
  })
  .strict()
export type ProposalUncertainty = z.infer<typeof ProposalUncertainty>

/** A round's uncertainty model (`scenarios/<round>/uncertainty.json`). */
export const UncertaintyModel = z
  .object({
    version: z.string().min(1),
    title: z.string().min(1),
    model: z.string().min(1),
    sources: z.array(z.string()).default([]),
    assumptions: z.array(z.string()).default([]),
    classes: z.record(z.string(), RiskClass),
    proposals: z.record(ProposalId, ProposalUncertainty),
  })
  .strict()
  .superRefine((m, ctx) => {
    for (const [id, p] of Object.entries(m.proposals))
      if (!m.classes[p.class])
        ctx.addIssue({ code: "custom", path: ["proposals", id, "class"], message: `no class "${p.class}"` })
  })
export type UncertaintyModel = z.infer<typeof UncertaintyModel>

/** Read and validate an uncertainty file; DataFileError names file and field. */
export const loadUncertainty = (file: string): UncertaintyModel =>
  parseDataFile(UncertaintyModel, file, readFileSync(file, "utf8"))

/** The factor distribution of a proposal: its own, its class's, or the `fallback` class for a proposal the model lacks. */
export const factorOf = (
  model: UncertaintyModel,
  proposal: string,
  overrides: Readonly<Record<string, Triangular>> = {},
  fallback = "lav",
): { dist: Triangular; source: "override" | "proposal" | "class" | "default" } => {
  const o = overrides[proposal]
  if (o) return { dist: o, source: "override" }
  const p = model.proposals[proposal]
  if (p?.saving) return { dist: p.saving, source: "proposal" }
  const c = model.classes[p?.class ?? fallback]
  if (!c) throw new RangeError(`uncertainty model ${model.version} has no class "${p?.class ?? fallback}"`)
  return { dist: { min: c.min, mode: c.mode, max: c.max }, source: p ? "class" : "default" }
}

/** Inverse distribution function of a triangular distribution at u ∈ [0, 1). */
export const triangular = (t: Triangular, u: number): number => {
  const w = t.max - t.min
  if (w <= 0) return t.mode
  const c = (t.mode - t.min) / w
  return u < c
    ? t.min + Math.sqrt(u * w * (t.mode - t.min))
    : t.max - Math.sqrt((1 - u) * w * (t.max - t.mode))
}

/** A small seeded generator (mulberry32): the same seed gives the same draws on every machine. */
export const seeded = (seed: number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
