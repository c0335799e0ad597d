import { z } from "zod"
import { paybackYears } from "../model/payback.ts"
import { type Proposal, ProposalId } from "../model/schema.ts"
import { brokenDa } from "../model/wording.ts"
import { violations } from "./check.ts"
import { compile, type RuleIssue } from "./compile.ts"
import { packageFigures } from "./package.ts"
import type { Evaluation, Repair, Violation } from "./result.ts"
import type { Rules } from "./rules.ts"
import { RuleError, type SolveOptions, solve } from "./solve.ts"

/** One proposal of a hand-picked package, in a named variant (default "base"). */
export const PackageEntry = z
  .object({ proposal: ProposalId, variant: z.string().min(1).default("base") })
  .strict()
export type PackageEntry = z.infer<typeof PackageEntry>

/** Parse "BC10:scenario-2" or "BC05" into an entry. */
export const parseEntry = (s: string): PackageEntry => {
  const [proposal = "", variant = "base"] = s.split(":")
  return PackageEntry.parse({ proposal: proposal.toUpperCase(), variant })
}

const entryIssues = (proposals: readonly Proposal[], entries: readonly PackageEntry[]): RuleIssue[] => {
  const byId = new Map(proposals.map((p) => [p.id, p]))
  const seen = new Set<string>()
  const issues: RuleIssue[] = []
  entries.forEach((e, i) => {
    const p = byId.get(e.proposal)
    if (!p) issues.push({ path: ["package", i, "proposal"], message: `unknown proposal ${e.proposal}` })
    else if (!p.variants.some((v) => v.id === e.variant))
      issues.push({
        path: ["package", i, "variant"],
        message: `${p.id} has no variant "${e.variant}" (it has ${p.variants.map((v) => v.id).join(", ")})`,
      })
    if (seen.has(e.proposal))
      issues.push({ path: ["package", i, "proposal"], message: `${e.proposal} is in the package twice` })
    seen.add(e.proposal)
  })
  return issues
}

/** Rules that decide which variants exist as options; evaluation checks them one by one instead. */
const shapingRuleIds = (rules: Rules) =>
  new Set([
    "payback",
    ...rules.locks.map((l) => `lock:${l.proposal}`),
    ...rules.exclude.map((id) => `exclude:${id}`),
    ...Object.keys(rules.variants).map((id) => `variants:${id}`),
  ])

/**
 * Evaluate a package chosen by hand under `rules`: which rules it breaks (in words), its totals
 * per area and year in both price levels, what is left of the pools, how far it is from the
 * optimum, and its best completion.
 */
export const evaluate = (
  proposals: readonly Proposal[],
  rules: Rules,
  entries: readonly PackageEntry[],
  options: SolveOptions = {},
): Evaluation => {
  const issues = entryIssues(proposals, entries)
  if (issues.length) throw new RuleError(issues)
  const problem = compile(proposals, rules, {
    drop: shapingRuleIds(rules),
    ...(options.prices ? { prices: options.prices } : {}),
  })
  const want = new Map(entries.map((e) => [e.proposal, e.variant]))
  const choice = problem.groups.map((g) => g.options.findIndex((o) => o.variant === want.get(g.proposal)))
  const broken: Violation[] = violations(problem, choice)

  const byId = new Map(proposals.map((p) => [p.id, p]))
  for (const l of rules.locks) {
    const v = want.get(l.proposal)
    if (v === undefined || (l.variant !== undefined && v !== l.variant))
      broken.push({
        rule: `lock:${l.proposal}`,
        text: brokenDa.lock(l.proposal, l.variant),
      })
  }
  for (const id of rules.exclude)
    if (want.has(id)) broken.push({ rule: `exclude:${id}`, text: brokenDa.exclude(id) })
  for (const [id, allowed] of Object.entries(rules.variants)) {
    const v = want.get(id)
    if (v !== undefined && !allowed.includes(v))
      broken.push({
        rule: `variants:${id}`,
        text: brokenDa.variants(id, allowed, v),
      })
  }
  const max = rules.payback.maxYears
  if (max !== null)
    for (const e of entries) {
      if (rules.payback.exempt.includes(e.proposal)) continue
      const v = byId.get(e.proposal)?.variants.find((x) => x.id === e.variant)
      const pb = v ? paybackYears(v, rules.payback.basis) : null
      if (pb === null || pb > max)
        broken.push({
          rule: "payback",
          text: brokenDa.payback(e.proposal, e.variant, pb, max),
          ...(pb === null ? {} : { value: pb }),
          limit: max,
        })
    }

  const figures = packageFigures(proposals, problem, choice, rules, options.prices)
  const optimum = solve(proposals, rules, options)
  const optimumValue =
    optimum.status === "optimal" || optimum.status === "feasible" ? optimum.objective : null

  // Keep the chosen ones (exempt from the rules that would drop them) and fill the rest optimally.
  const keep = new Set(entries.map((e) => e.proposal))
  const completionRules: Rules = {
    ...rules,
    locks: [
      ...rules.locks.filter((l) => !keep.has(l.proposal)),
      ...entries.map((e) => ({ proposal: e.proposal, variant: e.variant })),
    ],
    exclude: rules.exclude.filter((id) => !keep.has(id)),
    variants: Object.fromEntries(Object.entries(rules.variants).filter(([id]) => !keep.has(id))),
    payback: { ...rules.payback, exempt: [...new Set([...rules.payback.exempt, ...keep])] },
  }
  const completion = solve(proposals, completionRules, options)
  const feasible = broken.length === 0
  return {
    feasible,
    broken,
    package: figures,
    optimum,
    againstOptimum: optimumValue === null ? null : figures.objective - optimumValue,
    completion,
    repair: feasible ? null : cheapestRepair(proposals, rules, entries, figures.objective, options),
  }
}

/**
 * The cheapest set of the package's proposals to take out so that the rest keeps every rule,
 * found exactly: the best package that may only use the package's own proposals in their chosen
 * variants. Not possible when taking out cannot help (a lock on a proposal that is not in it).
 */
const cheapestRepair = (
  proposals: readonly Proposal[],
  rules: Rules,
  entries: readonly PackageEntry[],
  objective: number,
  options: SolveOptions,
): Repair => {
  const mine = new Map(entries.map((e) => [e.proposal, e.variant]))
  const disallowed = entries
    .filter((e) => rules.variants[e.proposal] && !rules.variants[e.proposal]?.includes(e.variant))
    .map((e) => e.proposal)
  const onlyMine: Rules = {
    ...rules,
    exclude: [
      ...new Set([
        ...rules.exclude,
        ...disallowed,
        ...proposals.filter((p) => !mine.has(p.id)).map((p) => p.id),
      ]),
    ],
    variants: { ...rules.variants, ...Object.fromEntries(entries.map((e) => [e.proposal, [e.variant]])) },
  }
  const r = solve(proposals, onlyMine, options)
  if (r.status !== "optimal") return { possible: false, drop: [], lostObjective: null }
  const kept = new Set(r.package.chosen.map((c) => c.proposal))
  return {
    possible: true,
    drop: entries
      .filter((e) => !kept.has(e.proposal))
      .map((e) => ({ proposal: e.proposal, variant: e.variant })),
    lostObjective: objective - r.objective,
  }
}
