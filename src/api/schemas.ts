import { z } from "zod"
import { Proposal, ProposalId } from "../model/schema.ts"
import { PackageEntry } from "../solver/evaluate.ts"
import { Rules } from "../solver/rules.ts"
import { Scenario } from "../solver/scenario.ts"
import { RulesPatch } from "./overrides.ts"

/**
 * Request and response schemas of the REST API: they validate requests, type the handlers and
 * generate the OpenAPI document. Money is 1.000 kr.; the price level is named in the field
 * (`…Table` = the proposals' tables, 2027 p/l; `…Pool` = the pool's, 2026 p/l) or given alongside.
 */

const list = <T extends z.ZodType>(item: T) => z.array(item).readonly()
const money = (what: string) => z.number().describe(what)

// ---------------------------------------------------------------- requests

/** Solver settings every solving request accepts. */
export const TIME_LIMIT_DEFAULT_MS = 2000
export const TIME_LIMIT_MAX_MS = 30_000

const settings = {
  engine: z
    .enum(["bb", "lp"])
    .default("bb")
    .describe("bb: exact branch-and-bound (default); lp: javascript-lp-solver, checked"),
  timeLimitMs: z
    .number()
    .int()
    .min(1)
    .max(TIME_LIMIT_MAX_MS)
    .default(TIME_LIMIT_DEFAULT_MS)
    .describe("Stop the search after this long and answer with the best package found and its gap"),
}

export const IdParams = z.object({ id: z.string().min(1).max(64) }).strict()

export const ProposalsQuery = z
  .object({
    committee: z
      .string()
      .min(1)
      .optional()
      .describe("Udvalg: the full name or a part of it, any case (e.g. 'Socialudvalget' or 'social')"),
    area: z
      .enum(["service", "anlaeg"])
      .optional()
      .describe("Only proposals with pool cost in this area (service or anlæg)"),
  })
  .strict()

export const ScenarioSolveBody = z
  .object({ rules: RulesPatch.optional(), ...settings })
  .strict()
  .describe("Optional: a what-if over the scenario's rules, and solver settings")

export const SolveBody = z
  .object({
    rules: Rules.describe(
      "The full rules (fields left out take their defaults: no pool limit, payback ≤ 6 years)",
    ),
    proposals: z
      .union([z.literal("all"), z.array(ProposalId).max(200)])
      .default("all")
      .describe('Built-in proposals by id, or "all" (default); [] for none'),
    inlineProposals: z
      .array(Proposal)
      .max(100)
      .default([])
      .describe("New proposals sent with the request, in the data files' format (validated like them)"),
    ...settings,
  })
  .strict()

export const EvaluateBody = z
  .object({
    scenario: z.string().min(1).optional().describe("Whose rules apply (default: the default scenario)"),
    rules: RulesPatch.optional(),
    package: list(PackageEntry).describe("The hand-picked package: one entry per proposal"),
    ...settings,
  })
  .strict()

export const CompareItem = z
  .object({
    label: z.string().min(1).max(100).optional(),
    scenario: z.string().min(1).optional().describe("A scenario: its optimum, or the rules for `package`"),
    rules: RulesPatch.optional(),
    package: list(PackageEntry).optional().describe("A hand-picked package (else the scenario's optimum)"),
  })
  .strict()
  .refine((i) => i.scenario !== undefined || i.package !== undefined, {
    message: "an item needs a scenario, a package, or both",
  })

export const CompareBody = z.object({ items: z.array(CompareItem).min(2).max(8), ...settings }).strict()

// ---------------------------------------------------------------- responses

export const ErrorResponse = z
  .object({
    statusCode: z.number().int(),
    error: z.string(),
    message: z.string(),
    issues: list(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string(),
  })
  .describe("An error: 400 names each bad field, 404 names what exists")

export const Health = z.object({
  status: z.literal("ok"),
  proposals: z.number().int(),
  scenarios: z.number().int(),
  defaultScenario: z.string(),
  solverThreads: z.number().int(),
})

const PaybackYears = z.object({ total: z.number().nullable(), service: z.number().nullable() })

export const ProposalSummary = z.object({
  id: z.string(),
  title: z.string(),
  committee: z.string(),
  administration: z.string(),
  poolPriceLevel: z.number().int(),
  variants: list(
    z.object({
      id: z.string(),
      label: z.string(),
      tablePriceLevel: z.number().int(),
      poolCostPool: z.object({
        service: money("Service pool cost, whole period, pool p/l"),
        anlaeg: money("Anlæg pool cost, whole period, pool p/l"),
      }),
      permanentEffect: money("Effektivisering v. fuld indfasning, table p/l (negative = saving)"),
      paybackYears: PaybackYears,
    }),
  ),
  findings: z.number().int(),
  unexplainedFindings: z.number().int(),
})

export const ProposalList = z.object({ count: z.number().int(), proposals: list(ProposalSummary) })

const ByYear = z.record(z.string(), z.number())
const AreaCost = z.object({
  service: z.object({ total: z.number(), byYear: ByYear }),
  anlaeg: z.object({ total: z.number(), byYear: ByYear }),
})

export const Finding = z.object({
  proposal: z.string(),
  variant: z.string().optional(),
  what: z.string(),
  printed: z.union([z.number(), z.string()]).nullable(),
  computed: z.union([z.number(), z.string()]).nullable(),
  recorded: z.boolean().describe("Whether the proposal's anomalies list records this document error"),
})

export const ProposalDetail = z.object({
  proposal: Proposal,
  figures: list(
    z.object({
      variant: z.string(),
      tablePriceLevel: z.number().int(),
      poolPriceLevel: z.number().int(),
      poolCostTable: AreaCost,
      poolCostPool: AreaCost,
      permanentEffect: money("Effektivisering v. fuld indfasning, table p/l (negative = saving)"),
      permanentChangeByYear: ByYear,
      netImpactByYear: ByYear,
      paybackYears: PaybackYears,
    }),
  ),
  findings: list(Finding),
})

export const AuditReport = z.object({
  findings: list(Finding),
  summary: z.object({
    findings: z.number().int(),
    recorded: z.number().int(),
    unexplained: z.number().int(),
  }),
})

export const ScenarioSummary = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  compareTo: z.string().optional(),
})
export const ScenarioList = z.object({
  defaultScenario: z.string(),
  scenarios: list(ScenarioSummary),
})
export const ScenarioResponse = Scenario

const AreaAmounts = z.object({ service: z.number(), anlaeg: z.number() })
const AreaTotals = AreaAmounts.extend({ byYear: z.record(z.string(), AreaAmounts) })

export const ChosenVariant = z.object({
  proposal: z.string(),
  variant: z.string(),
  title: z.string(),
  committee: z.string(),
  permanentEffect: money("Yearly change at full phase-in, 2027 p/l (negative = saving)"),
  value: z.number().describe("Objective contribution (larger is better)"),
  paybackYears: z.number().nullable(),
  poolCostTable: AreaAmounts.describe("Pool cost, whole period, table p/l"),
  poolCostPool: AreaAmounts.describe("Pool cost, whole period, pool p/l"),
})

export const RuleUse = z.object({
  rule: z.string(),
  text: z.string().describe("The rule in the negotiators' words"),
  kind: z.string(),
  used: z.number(),
  max: z.number().optional(),
  min: z.number().optional(),
  slack: z.number(),
  binding: z.boolean(),
  blocks: list(z.string()).describe("Proposals that would add to the objective but this rule keeps out"),
})

export const PackageFigures = z.object({
  chosen: list(ChosenVariant),
  objective: z.number(),
  permanentEffect: money("Sum of the chosen permanent effects, 2027 p/l (negative = saving)"),
  tablePriceLevel: z.number().int(),
  poolPriceLevel: z.number().int(),
  totals: z.object({ table: AreaTotals, pool: AreaTotals }),
  poolLeft: z
    .object({
      service: z.number().optional(),
      anlaeg: z.number().optional(),
      combined: z.number().optional(),
    })
    .describe("What is left of each pool, pool p/l (only pools with a limit)"),
  rules: list(RuleUse),
})

const RuleItem = z.object({
  id: z.string(),
  kind: z.enum(["limit", "lock", "exclude", "payback", "variants", "quota", "dependency", "maxProposals"]),
  text: z.string(),
})

const solveBase = {
  engine: z.enum(["bb", "lp"]),
  inputHash: z.string(),
  rootBound: z.number().nullable(),
  stats: z.object({
    nodes: z.number(),
    millis: z.number(),
    proposals: z.number(),
    options: z.number(),
    rules: z.number(),
  }),
}

export const SolveResult = z
  .union([
    z.object({
      ...solveBase,
      status: z.enum(["optimal", "feasible"]),
      objective: money("Yearly saving at full phase-in, 2027 p/l (with the default objective)"),
      bound: z.number().describe("Proven upper bound on the objective"),
      gap: z.number().describe("(bound − objective) / max(1, |bound|); 0 when optimal"),
      package: PackageFigures,
    }),
    z.object({
      ...solveBase,
      status: z.literal("infeasible"),
      conflict: list(RuleItem).describe(
        "A set of rules that cannot all hold together (minimal unless conflictMinimal is false)",
      ),
      conflictMinimal: z
        .boolean()
        .describe("False when the time limit ran out while narrowing the conflict down"),
    }),
    z.object({ ...solveBase, status: z.literal("timeout"), bound: z.number().nullable() }),
  ])
  .describe("optimal: proven best; feasible: best found when time ran out, with its gap")

const ScenarioRef = z.object({ id: z.string(), title: z.string() })

export const ScenarioSolveResponse = z.object({
  scenario: ScenarioRef,
  unit: z.literal("1.000 kr."),
  rules: Rules.describe("The rules solved: the scenario's with the request's overrides merged in"),
  result: SolveResult,
  compareTo: z
    .object({
      scenario: ScenarioRef,
      status: z.enum(["optimal", "feasible", "infeasible", "timeout"]),
      objective: z.number().nullable(),
      difference: z
        .number()
        .nullable()
        .describe("This objective minus the other scenario's: the price of the political choice (per year)"),
      overridesApplied: z.boolean().describe("Whether the request's overrides were applied to it too"),
    })
    .optional(),
})

export const SolveResponse = z.object({
  unit: z.literal("1.000 kr."),
  proposals: list(z.string()).describe("The proposals the problem was solved over"),
  rules: Rules,
  result: SolveResult,
})

export const Violation = z.object({
  rule: z.string(),
  text: z.string(),
  value: z.number().optional(),
  limit: z.number().optional(),
})

export const EvaluateResponse = z.object({
  scenario: ScenarioRef,
  unit: z.literal("1.000 kr."),
  rules: Rules,
  feasible: z.boolean(),
  broken: list(Violation).describe("Each rule the package breaks, in words"),
  package: PackageFigures,
  optimum: SolveResult,
  againstOptimum: z.number().nullable().describe("This package's objective minus the optimum's (≤ 0)"),
  completion: SolveResult.describe("The best package that keeps the chosen ones and fills the pools"),
  completionAdds: list(z.object({ proposal: z.string(), variant: z.string() })),
})

export const CompareResponse = z.object({
  unit: z.literal("1.000 kr."),
  items: list(
    z.object({
      label: z.string(),
      kind: z.enum(["package", "optimum"]),
      status: z.enum(["optimal", "feasible"]).optional(),
      gap: z.number().optional(),
      feasible: z.boolean().optional(),
      broken: list(Violation).optional(),
    }),
  ),
  comparison: z.object({
    labels: list(z.string()),
    differences: list(z.object({ proposal: z.string(), variants: list(z.string().nullable()) })),
    objective: list(z.number()),
    objectiveDelta: list(z.number()).describe("Against the first item"),
    permanentEffect: list(z.number()),
    pool: list(AreaAmounts).describe("Pool use, pool p/l"),
    poolDelta: list(AreaAmounts),
    poolByYear: list(z.record(z.string(), AreaAmounts)),
    poolByYearDelta: list(z.record(z.string(), AreaAmounts)),
  }),
})
