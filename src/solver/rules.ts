import { z } from "zod"
import type { Prices } from "../model/round.ts"
import { ProposalId } from "../model/schema.ts"

/**
 * The rules a negotiator sets for a package. Amounts are 1.000 kr. in the pool's price level
 * (`poolPriceLevel`, 2026 p/l for OFS 2025-26) unless said otherwise.
 */

/**
 * Caps on the size of one set of rules, so that what a request may ask stays bounded (compiling
 * the rules counts against the time limit, and per-year limits multiply its work).
 */
export const MAX_PER_YEAR_LIMITS = 100
/** Entries of any other rule list (locks, exclusions, quotas, dependencies, exemptions, variant lists). */
export const MAX_RULE_ENTRIES = 200
/** Variant ids allowed for one proposal. */
export const MAX_VARIANTS = 20

/** A rule list of at most MAX_RULE_ENTRIES entries. */
export const ruleList = <T extends z.ZodType>(item: T) => z.array(item).max(MAX_RULE_ENTRIES)
/** Allowed variants per proposal: at most MAX_RULE_ENTRIES proposals of at most MAX_VARIANTS ids. */
export const variantLists = <T extends z.ZodType>(list: T) =>
  z.record(ProposalId, list).refine((r) => Object.keys(r).length <= MAX_RULE_ENTRIES, {
    message: `at most ${MAX_RULE_ENTRIES} proposals may have their variants restricted`,
  })
export const VariantIds = z.array(z.string().min(1).max(64)).min(1).max(MAX_VARIANTS)

/** An amount in 1.000 kr.; at most 1.000.000.000 (a trillion kroner), so exact integer arithmetic holds. */
export const MAX_AMOUNT = 1e9
export const Amount = z.number().finite().nonnegative().max(MAX_AMOUNT)

export const Objective = z.discriminatedUnion("kind", [
  /** Maximise the yearly saving at full phase-in (2027 p/l), as the overview counts it. */
  z.object({ kind: z.literal("permanentEffect") }).strict(),
  /** Maximise the saving cumulated up to and including `untilYear` (net of implementation costs, table prices). */
  z
    .object({ kind: z.literal("cumulatedNetEffect"), untilYear: z.number().int().min(2000).max(2100) })
    .strict(),
])
export type Objective = z.infer<typeof Objective>

export const LimitArea = z.enum(["service", "anlaeg", "combined"])
export type LimitArea = z.infer<typeof LimitArea>

export const Limits = z
  .object({
    /** Service pool over the whole period. */
    service: Amount.optional(),
    /** Anlæg pool over the whole period. */
    anlaeg: Amount.optional(),
    /** Service and anlæg together over the whole period. */
    combined: Amount.optional(),
    /** What the pool can pay out in one area (or both) in one year. */
    perYear: z
      .array(z.object({ area: LimitArea, year: z.number().int().min(2000).max(2100), max: Amount }).strict())
      .max(MAX_PER_YEAR_LIMITS)
      .default([]),
  })
  .strict()
export type Limits = z.infer<typeof Limits>

export const PaybackRule = z
  .object({
    /** Only variants whose payback is at most this many years; null switches the rule off. */
    maxYears: z.number().positive().nullable().default(6),
    /** total: totaløkonomi; service: serviceeffektivisering. */
    basis: z.enum(["total", "service"]).default("total"),
    /** Proposals exempt from the rule. */
    exempt: ruleList(ProposalId).default([]),
  })
  .strict()
export type PaybackRule = z.infer<typeof PaybackRule>

export const Lock = z.object({ proposal: ProposalId, variant: z.string().min(1).max(64).optional() }).strict()
export type Lock = z.infer<typeof Lock>

export const CommitteeQuota = z
  .object({
    committee: z.string().min(1).max(200),
    /** count: number of proposals; poolCost: service + anlæg from the pool (pool p/l); saving: yearly saving (2027 p/l). */
    measure: z.enum(["count", "poolCost", "saving"]),
    min: Amount.optional(),
    max: Amount.optional(),
  })
  .strict()
  .refine((q) => q.min !== undefined || q.max !== undefined, { message: "a quota needs min or max" })
export type CommitteeQuota = z.infer<typeof CommitteeQuota>

export const Dependency = z
  .object({
    /** requires: funding `proposal` requires funding `other`; excludes: not both. */
    kind: z.enum(["requires", "excludes"]),
    proposal: ProposalId,
    other: ProposalId,
  })
  .strict()
  .refine((d) => d.proposal !== d.other, {
    message: "a dependency needs two different proposals (proposal and other are the same)",
    path: ["other"],
  })
export type Dependency = z.infer<typeof Dependency>

export const Rules = z
  .object({
    objective: Objective.default({ kind: "permanentEffect" }),
    /** The price level of the pool limits; absent: the round's pool price level (2026 for OFS 2025-26). */
    poolPriceLevel: z.number().int().min(2000).max(2100).optional(),
    limits: Limits.default({ perYear: [] }),
    payback: PaybackRule.default({ maxYears: 6, basis: "total", exempt: [] }),
    /** Fund this proposal (any allowed variant, or the named one). */
    locks: ruleList(Lock).default([]),
    /** Never fund these. */
    exclude: ruleList(ProposalId).default([]),
    /** Only these variants may be chosen for a proposal (e.g. { "BC10": ["scenario-2"] }). */
    variants: variantLists(VariantIds).default({}),
    committees: ruleList(CommitteeQuota).default([]),
    dependencies: ruleList(Dependency).default([]),
    /** At most this many proposals in the package. */
    maxProposals: z.number().int().nonnegative().max(100_000).optional(),
  })
  .strict()
export type Rules = z.infer<typeof Rules>
/** Rules as written in a file or request: every field optional, defaults filled in by `Rules.parse`. */
export type RulesInput = z.input<typeof Rules>

/** The price level the rules' pool amounts are in: their own, else the round's. */
export const poolPriceLevelOf = (rules: Rules, prices: Prices): number =>
  rules.poolPriceLevel ?? prices.poolPriceLevel

/**
 * The same rules with one hidden class per kind of object: each made by an object literal here,
 * an absent optional field undefined (JSON leaves it out). zod builds its output by adding the
 * properties one by one, and V8 holds hidden classes reached that way only through live objects:
 * a full GC between two requests freed those of the rules (of a limit per year, say), threw away
 * compile's optimised code, and the next solves compiled it again (issue 8). A literal's hidden
 * class is held by this function. Plain loops, not map (see compile's paybackBlocked). Rules it
 * made last are returned as they are: compile reads its rules through here too (a caller may
 * hand it zod's output directly, as the bench does between its cases), and solve's call of
 * compile with rules made here then copies nothing.
 */
export const stableRules = (r: Rules): Rules => {
  if (r === lastStable) return r
  const perYear: Rules["limits"]["perYear"][number][] = []
  for (const y of r.limits.perYear) perYear.push({ area: y.area, year: y.year, max: y.max })
  const locks: Rules["locks"][number][] = []
  for (const l of r.locks) locks.push({ proposal: l.proposal, variant: l.variant })
  const committees: Rules["committees"][number][] = []
  for (const q of r.committees)
    committees.push({ committee: q.committee, measure: q.measure, min: q.min, max: q.max })
  const dependencies: Rules["dependencies"][number][] = []
  for (const d of r.dependencies) dependencies.push({ kind: d.kind, proposal: d.proposal, other: d.other })
  lastStable = {
    objective:
      r.objective.kind === "permanentEffect"
        ? { kind: "permanentEffect" }
        : { kind: "cumulatedNetEffect", untilYear: r.objective.untilYear },
    poolPriceLevel: r.poolPriceLevel,
    limits: { service: r.limits.service, anlaeg: r.limits.anlaeg, combined: r.limits.combined, perYear },
    payback: { maxYears: r.payback.maxYears, basis: r.payback.basis, exempt: r.payback.exempt },
    locks,
    exclude: r.exclude,
    variants: r.variants,
    committees,
    dependencies,
    maxProposals: r.maxProposals,
  }
  return lastStable
}

/** The rules stableRules made last (never written to: see stableRules). */
let lastStable: Rules | null = null
