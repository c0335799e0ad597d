import { z } from "zod"

/**
 * The solver's results, defined once: the TypeScript types are derived from these schemas and
 * the REST API documents its answers with them. Money is 1.000 kr.; the price level is named in
 * the field (`…Table` = the proposals' tables, `…Pool` = the pool's) or given beside it.
 */

const list = <T extends z.ZodType>(item: T) => z.array(item).readonly()

/** Pool use in one price level: service and anlæg, 1.000 kr. (fractions kept; round for display only). */
export const AreaAmounts = z.object({ service: z.number(), anlaeg: z.number() })
export type AreaAmounts = z.infer<typeof AreaAmounts>

/** Totals per area over the whole period and per year ("2026": amounts). */
export const AreaTotals = AreaAmounts.extend({ byYear: z.record(z.string(), AreaAmounts) })
export type AreaTotals = z.infer<typeof AreaTotals>

/** What kind of rule a rule item is. */
export const RuleKind = z.enum([
  "limit",
  "lock",
  "exclude",
  "payback",
  "variants",
  "quota",
  "dependency",
  "maxProposals",
])
export type RuleKind = z.infer<typeof RuleKind>

/** One rule of a negotiation, as a negotiator would name it (Danish, the document's terms). */
export const RuleItem = z.object({
  id: z.string().describe('e.g. "limit:service", "lock:BC10", "payback"'),
  kind: RuleKind,
  text: z.string().describe("The rule in the negotiators' words (Danish)"),
})
export type RuleItem = z.infer<typeof RuleItem>

/** A proposal in one of its variants ("base" for Tabel 1). */
export const Entry = z.object({ proposal: z.string(), variant: z.string() })
export type Entry = z.infer<typeof Entry>

/** A chosen variant with its figures. */
export const ChosenVariant = Entry.extend({
  title: z.string(),
  committee: z.string(),
  permanentEffect: z
    .number()
    .describe("Yearly change at full phase-in, table p/l (negative = saving, as the document prints it)"),
  value: z.number().describe("Objective contribution (larger is better)"),
  paybackYears: z.number().nullable(),
  poolCostTable: AreaAmounts.describe("Pool cost over the whole period, table p/l (integers as printed)"),
  poolCostPool: AreaAmounts.describe("Pool cost over the whole period, pool p/l"),
})
export type ChosenVariant = z.infer<typeof ChosenVariant>

/** The state of one rule with a bound under a package. */
export const RuleUse = z.object({
  rule: z.string(),
  text: z.string().describe("The rule in the negotiators' words"),
  kind: RuleKind,
  used: z
    .number()
    .describe("Used amount in the rule's own measure (pool p/l for limits; count or saving for quotas)"),
  max: z.number().optional(),
  min: z.number().optional(),
  slack: z.number().describe("max − used (or used − min for a minimum rule): what is left"),
  binding: z
    .boolean()
    .describe(
      "True when the rule alone keeps out a proposal that would add to the objective (every other rule would let it in), or a minimum is met exactly",
    ),
  blocks: list(z.string()).describe("Proposals that would add to the objective but this rule keeps out"),
  nothingFits: z
    .boolean()
    .describe(
      "True when what this rule keeps out is kept out by another rule too: what is left under it is too little for any remaining proposal, which is not the same as binding",
    ),
})
export type RuleUse = z.infer<typeof RuleUse>

/** All figures of a package. */
export const PackageFigures = z.object({
  chosen: list(ChosenVariant),
  objective: z.number(),
  permanentEffect: z.number().describe("Sum of the chosen permanent effects, table p/l (negative = saving)"),
  tablePriceLevel: z.number().int(),
  poolPriceLevel: z.number().int(),
  totals: z.object({ table: AreaTotals, pool: AreaTotals }),
  poolLeft: z
    .object({
      service: z.number().optional(),
      anlaeg: z.number().optional(),
      combined: z.number().optional(),
    })
    .describe("What is left of each whole-period pool, pool p/l (only pools with a limit)"),
  rules: list(RuleUse),
})
export type PackageFigures = z.infer<typeof PackageFigures>

export const Engine = z.enum(["bb", "lp"])
/** "bb": the exact branch-and-bound; "lp": javascript-lp-solver, checked. */
export type Engine = z.infer<typeof Engine>

const solveBase = {
  engine: Engine,
  inputHash: z
    .string()
    .describe("sha256 of the proposals, rules and engine: the same hash means the same question"),
  rootBound: z
    .number()
    .nullable()
    .describe("The relaxation bound at the root (LP for lp, surrogate LP for bb), table p/l"),
  stats: z.object({
    nodes: z.number(),
    millis: z.number(),
    proposals: z.number(),
    options: z.number(),
    rules: z.number(),
    stoppedBy: z
      .enum(["timeLimit", "nodeLimit"])
      .nullable()
      .describe(
        "Which limit ended the search early (timeLimitMs: wall-clock, depends on load; nodeLimit: deterministic); null when it ran to the end",
      ),
  }),
}

export const SolveResult = z
  .discriminatedUnion("status", [
    z.object({
      ...solveBase,
      status: z.enum(["optimal", "feasible"]),
      objective: z
        .number()
        .describe("Yearly saving at full phase-in, table p/l (with the default objective)"),
      bound: z.number().describe("Proven upper bound on the objective; equal to it when optimal"),
      gap: z.number().describe("(bound − objective) / max(1, |bound|); 0 when optimal"),
      package: PackageFigures,
    }),
    z.object({
      ...solveBase,
      status: z.literal("infeasible"),
      conflict: list(RuleItem).describe(
        "A set of rules that cannot all hold together; when minimal, dropping any one lets the rest hold",
      ),
      conflictMinimal: z
        .boolean()
        .describe(
          "False when the time limit ran out while narrowing the conflict down (it is still a conflict)",
        ),
    }),
    z.object({ ...solveBase, status: z.literal("timeout"), bound: z.number().nullable() }),
  ])
  .describe("optimal: proven best; feasible: best found when time ran out, with its gap")
export type SolveResult = z.infer<typeof SolveResult>

/** A rule that a package breaks, with the exact integer figures it was checked in. */
export const Violation = z.object({
  rule: z.string(),
  text: z.string().describe("The broken rule in the negotiators' words"),
  value: z.number().optional(),
  limit: z.number().optional(),
  excess: z
    .number()
    .optional()
    .describe("How far past its bound the package is, in the rule's own measure (pool p/l for a pool limit)"),
})
export type Violation = z.infer<typeof Violation>

/** The cheapest way to make a package that breaks the rules legal by taking proposals out. */
export const Repair = z.object({
  possible: z
    .boolean()
    .describe(
      "False when no set of proposals to take out makes the package legal (e.g. a lock on one not in it)",
    ),
  drop: list(Entry).describe(
    "The proposals to take out: of all sets that make the rest keep every rule, the one that loses the least objective (exact)",
  ),
  lostObjective: z.number().nullable().describe("The objective the package loses by it (table p/l)"),
})
export type Repair = z.infer<typeof Repair>

/** A hand-picked package under a set of rules. */
export const Evaluation = z.object({
  feasible: z.boolean().describe("True when the package keeps every rule"),
  broken: list(Violation).describe("Each rule the package breaks, in words"),
  package: PackageFigures,
  optimum: SolveResult.describe("The best package under the same rules"),
  againstOptimum: z
    .number()
    .nullable()
    .describe("This package's objective minus the optimum's (≤ 0; null when no optimum is known)"),
  completion: SolveResult.describe("The best package that keeps the chosen ones and fills the pools"),
  repair: Repair.nullable().describe(
    "For a package that breaks the rules: what to take out (null when it keeps them)",
  ),
})
export type Evaluation = z.infer<typeof Evaluation>

/** Packages side by side, against the first. */
export const Comparison = z.object({
  labels: list(z.string()),
  differences: list(z.object({ proposal: z.string(), variants: list(z.string().nullable()) })).describe(
    "Proposals not in every package the same way: the variant each package funds (null = not funded)",
  ),
  objective: list(z.number()),
  objectiveDelta: list(z.number()).describe("Against the first item"),
  permanentEffect: list(z.number()),
  pool: list(AreaAmounts).describe("Pool use, pool p/l"),
  poolDelta: list(AreaAmounts),
  poolByYear: list(z.record(z.string(), AreaAmounts)),
  poolByYearDelta: list(z.record(z.string(), AreaAmounts)),
})
export type Comparison = z.infer<typeof Comparison>
