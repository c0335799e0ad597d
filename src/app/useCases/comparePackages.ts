import { z } from "zod"
import { PackageEntry } from "../../solver/evaluate.ts"
import { Comparison, Violation } from "../../solver/result.ts"
import type { Rules } from "../../solver/rules.ts"
import { type AppContext, runSolverTask } from "../context.ts"
import { NoAnswer } from "../errors.ts"
import { mergeRules, RulesPatch } from "../rulesPatch.ts"
import { SolveSettings, UNIT, Unit } from "../settings.ts"

export const CompareItem = z
  .object({
    label: z.string().min(1).max(100).optional(),
    scenario: z.string().min(1).optional().describe("A scenario: its optimum, or the rules for `package`"),
    rules: RulesPatch.optional(),
    package: z
      .array(PackageEntry)
      .readonly()
      .optional()
      .describe("A hand-picked package (else the scenario's optimum)"),
  })
  .strict()
  .refine((i) => i.scenario !== undefined || i.package !== undefined, {
    message: "an item needs a scenario, a package, or both",
  })

/** Packages or scenario optima side by side. */
export const CompareInput = z.object({ items: z.array(CompareItem).min(2).max(8), ...SolveSettings }).strict()
export type CompareInput = z.output<typeof CompareInput>

export const CompareOutput = z.object({
  unit: Unit,
  items: z
    .array(
      z.object({
        label: z.string(),
        kind: z.enum(["package", "optimum"]),
        status: z.enum(["optimal", "feasible"]).optional(),
        gap: z.number().optional(),
        feasible: z.boolean().optional(),
        broken: z.array(Violation).readonly().optional(),
      }),
    )
    .readonly(),
  comparison: Comparison,
})
export type CompareOutput = z.output<typeof CompareOutput>

/** What differs between packages or scenario optima, in effect and pool use, against the first. */
export const comparePackages = async (ctx: AppContext, input: CompareInput): Promise<CompareOutput> => {
  const { catalog } = ctx
  const items = input.items.map((item, i) => {
    const scenario = catalog.scenario(item.scenario)
    const rules: Rules = mergeRules(
      scenario.rules,
      item.rules,
      catalog.prices.priceIndex,
      `body.items[${i}].rules`,
    )
    const entries: PackageEntry[] | undefined = item.package?.map((e) => ({
      ...e,
      proposal: e.proposal.toUpperCase(),
    }))
    const label = item.label ?? (entries ? `package ${i + 1}` : scenario.id)
    return { label, rules, ...(entries ? { entries } : {}) }
  })
  const solves = items.reduce((s, i) => s + (i.entries ? 2 : 1), 0)
  const out = await runSolverTask(
    ctx,
    {
      kind: "compare",
      items,
      engine: input.engine,
      timeLimitMs: input.timeLimitMs,
      nodeLimit: input.nodeLimit,
    },
    solves,
    (e, path) => (path[0] === "package" ? `body.items[${e.item ?? 0}]` : `body.items[${e.item ?? 0}].rules`),
  )
  const missing = out.items.flatMap((i, n) =>
    "result" in i
      ? [
          `item ${n} (${i.label}) has no package: ${
            i.result.status === "infeasible"
              ? `its rules cannot all hold (${i.result.conflict.map((c) => c.text).join("; ")})`
              : "no package was found within the time limit"
          }`,
        ]
      : [],
  )
  if (missing.length || !out.comparison) throw new NoAnswer(missing.join("; "))
  return {
    unit: UNIT,
    items: out.items.map((i) =>
      i.kind === "package"
        ? { label: i.label, kind: i.kind, feasible: i.feasible, broken: i.broken }
        : { label: i.label, kind: i.kind, ...("gap" in i ? { status: i.status, gap: i.gap } : {}) },
    ),
    comparison: out.comparison,
  }
}
