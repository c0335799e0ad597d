import { brokenDa } from "../model/wording.ts"
import type { CompiledConstraint, CompiledDependency, Problem } from "./compile.ts"
import type { Violation } from "./result.ts"

/**
 * Check a choice (option index per group, -1 = none) against every compiled rule, in exact
 * integer arithmetic. An empty list means the package keeps every rule.
 */
export const violations = (problem: Problem, choice: readonly number[]): Violation[] => {
  const text = (id: string) => problem.rules.find((r) => r.id === id)?.text ?? id
  const out: Violation[] = []
  problem.groups.forEach((g, gi) => {
    const c = choice[gi] ?? -1
    if (c >= g.options.length)
      out.push({ rule: `option:${g.proposal}`, text: brokenDa.unknownVariant(g.proposal) })
    if (g.mustChoose && c < 0) {
      const lock = problem.rules.find((r) => r.id === `lock:${g.proposal}`)
      out.push({
        rule: lock?.id ?? `lock:${g.proposal}`,
        text: lock?.text ?? brokenDa.mustChoose(g.proposal),
      })
    }
  })
  // A plain loop: this checks every rule of every solve's answer.
  for (const c of problem.constraints) {
    let sum = 0
    for (let gi = 0; gi < problem.groups.length; gi++) {
      const o = choice[gi] ?? -1
      if (o >= 0) sum += c.coefs[gi]?.[o] ?? 0
    }
    if (c.max !== undefined && sum > c.max)
      out.push({ rule: c.rule, text: text(c.rule), value: sum, limit: c.max, ...excess(sum, c, c.given.max) })
    if (c.min !== undefined && sum < c.min)
      out.push({ rule: c.rule, text: text(c.rule), value: sum, limit: c.min, ...excess(sum, c, c.given.min) })
  }
  for (const d of problem.dependencies) {
    const a = (choice[d.a] ?? -1) >= 0
    const b = d.b >= 0 && (choice[d.b] ?? -1) >= 0
    if (d.kind === "requires" && a && !b) out.push({ rule: d.rule, text: text(d.rule) })
    if (d.kind === "excludes" && a && b) out.push({ rule: d.rule, text: text(d.rule) })
  }
  return out
}

/** How far a sum of a constraint is past the bound as written (in the rule's own measure), when it was given. */
const excess = (sum: number, c: CompiledConstraint, bound: number | undefined) =>
  bound === undefined ? {} : { excess: Math.abs(sum / c.scale - bound) }

/** Objective value of a choice (sum of the chosen options' values). */
export const choiceValue = (problem: Problem, choice: readonly number[]): number => {
  // A plain loop (no closure per call: every solve sums its package), in the groups' order. A
  // group left out (-1) is skipped before the lookup: options[-1] is a slow lookup by name in V8.
  let s = 0
  const { groups } = problem
  for (let gi = 0; gi < groups.length; gi++) {
    const at = choice[gi] ?? -1
    if (at >= 0) s += groups[gi]?.options[at]?.value ?? 0
  }
  return s
}

/**
 * Whether a choice (option index per group, -1 = none) keeps these linear rules and dependencies:
 * the yes/no of `violations` without the words, for searches that ask it at every leaf.
 */
export const keepsRules = (
  constraints: readonly CompiledConstraint[],
  dependencies: readonly CompiledDependency[],
  choice: ArrayLike<number>,
): boolean => {
  for (const c of constraints) {
    let s = 0
    for (let gi = 0; gi < choice.length; gi++) {
      const oi = choice[gi] ?? -1
      if (oi >= 0) s += c.coefs[gi]?.[oi] ?? 0
    }
    if ((c.max !== undefined && s > c.max) || (c.min !== undefined && s < c.min)) return false
  }
  for (const d of dependencies) {
    const a = (choice[d.a] ?? -1) >= 0
    const b = d.b >= 0 && (choice[d.b] ?? -1) >= 0
    if ((d.kind === "requires" && a && !b) || (d.kind === "excludes" && a && b)) return false
  }
  return true
}
