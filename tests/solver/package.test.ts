import { describe, expect, it } from "vitest"
import { poolCost } from "../../src/model/cashflow.ts"
import { compile, type Problem } from "../../src/solver/compile.ts"
import { evaluate } from "../../src/solver/evaluate.ts"
import { packageFigures, ruleUse } from "../../src/solver/package.ts"
import type { RuleUse } from "../../src/solver/result.ts"
import { Rules } from "../../src/solver/rules.ts"
import { solve } from "../../src/solver/solve.ts"
import { randomInstance } from "../support/generate.ts"

/**
 * What the payback rule keeps out, told the long way: compile the same rules without it, carry
 * the package over by name, and list the proposals not in it with a variant that adds to the
 * objective, pays back too slowly and fits under every maximum.
 */
const keptOutByPayback = (
  proposals: Parameters<typeof compile>[0],
  rules: Rules,
  chosen: ReadonlyMap<string, string>,
): string[] => {
  const max = rules.payback.maxYears ?? Number.POSITIVE_INFINITY
  const open = compile(proposals, rules, { drop: new Set(["payback"]) })
  const choice = open.groups.map((g) => g.options.findIndex((o) => o.variant === chosen.get(g.proposal)))
  const sums = open.constraints.map((c) =>
    choice.reduce((s, o, gi) => s + (o >= 0 ? (c.coefs[gi]?.[o] ?? 0) : 0), 0),
  )
  return open.groups.flatMap((g, gi) =>
    (choice[gi] ?? -1) >= 0 || rules.payback.exempt.includes(g.proposal)
      ? []
      : g.options.some(
            (o, oi) =>
              o.value > 0 &&
              (o.paybackYears === null || o.paybackYears > max) &&
              open.constraints.every(
                (c, ci) => c.max === undefined || (sums[ci] ?? 0) + (c.coefs[gi]?.[oi] ?? 0) <= c.max,
              ),
          )
        ? [g.proposal]
        : [],
  )
}

const paybackOf = (rules: readonly RuleUse[]) => rules.find((r) => r.rule === "payback")

describe("what the payback rule keeps out", () => {
  it("is the same, from the one compilation, as from compiling again without the rule (solve and evaluate)", () => {
    let withBlocks = 0
    let compared = 0
    for (let seed = 1; seed <= 100; seed++) {
      const inst = randomInstance(seed, 5 + (seed % 20))
      const rules = Rules.parse(inst.rules)
      if (rules.payback.maxYears === null) continue
      const r = solve(inst.proposals, rules)
      if (r.status !== "optimal" && r.status !== "feasible") continue
      const chosen = new Map(r.package.chosen.map((c) => [c.proposal, c.variant]))
      const expected = keptOutByPayback(inst.proposals, rules, chosen)
      expect(paybackOf(r.package.rules)?.blocks, `seed ${seed}`).toEqual(expected)
      expect(paybackOf(r.package.rules)?.binding, `seed ${seed}`).toBe(expected.length > 0)
      if (expected.length) withBlocks++
      compared++
      // A hand-picked package with a variant the rule forbids: evaluate compiles without the
      // rule, so the report is compiled again there.
      const slow = inst.proposals.find((p) =>
        p.variants.some((v) => (compile([p], rules).paybackBlocked ?? []).some((b) => b.variant === v.id)),
      )
      if (!slow || seed % 3) continue
      const variant = (compile([slow], rules).paybackBlocked ?? [])[0]?.variant ?? ""
      const entries = [...chosen]
        .filter(([p]) => p !== slow.id)
        .map(([proposal, v]) => ({ proposal, variant: v }))
      entries.push({ proposal: slow.id, variant })
      const e = evaluate(inst.proposals, rules, entries)
      const mine = new Map(entries.map((x) => [x.proposal, x.variant]))
      expect(paybackOf(e.package.rules)?.blocks, `seed ${seed} evaluate`).toEqual(
        keptOutByPayback(inst.proposals, rules, mine),
      )
    }
    expect(compared).toBeGreaterThan(40)
    expect(withBlocks).toBeGreaterThan(5)
  })

  it("a problem compiled by hand (no record of what the rule left out) still gets the report", () => {
    const inst = randomInstance(3, 15)
    const rules = Rules.parse({ ...inst.rules, payback: { maxYears: 2 } })
    const problem = compile(inst.proposals, rules)
    const { paybackBlocked: _, ...bare } = problem
    const choice = problem.groups.map(() => -1)
    const fromBare = packageFigures(inst.proposals, bare as Problem, choice, rules)
    const fromFull = packageFigures(inst.proposals, problem, choice, rules)
    expect(paybackOf(fromBare.rules)).toEqual(paybackOf(fromFull.rules))
    expect(paybackOf(fromFull.rules)?.blocks).toEqual(keptOutByPayback(inst.proposals, rules, new Map()))
  })
})

/**
 * Which maximum keeps out which proposal, the long way: per constraint, per group not in the
 * package, per positive option, whether adding it breaks the constraint; a constraint binds when
 * one such option is broken by it and by no other.
 */
const keptOutByLimits = (problem: Problem, choice: readonly number[]) => {
  const sums = problem.constraints.map((c) =>
    choice.reduce((s, o, gi) => s + (o >= 0 ? (c.coefs[gi]?.[o] ?? 0) : 0), 0),
  )
  const breaks = (ci: number, gi: number, oi: number) => {
    const c = problem.constraints[ci]
    const o = problem.groups[gi]?.options[oi]
    return (
      c?.max !== undefined &&
      (choice[gi] ?? -1) < 0 &&
      (o?.value ?? 0) > 0 &&
      (sums[ci] ?? 0) + (c.coefs[gi]?.[oi] ?? 0) > c.max
    )
  }
  return problem.constraints.map((_, ci) => {
    const blocks = problem.groups.filter((g, gi) => g.options.some((_, oi) => breaks(ci, gi, oi)))
    const alone = problem.groups.some((g, gi) =>
      g.options.some(
        (_, oi) => breaks(ci, gi, oi) && problem.constraints.every((_, k) => k === ci || !breaks(k, gi, oi)),
      ),
    )
    return { blocks: blocks.map((g) => g.proposal), alone }
  })
}

describe("what each limit keeps out", () => {
  it("is what adding each option not in the package would break, on 100 random instances and packages", () => {
    let binding = 0
    for (let seed = 1; seed <= 100; seed++) {
      const inst = randomInstance(seed, 5 + (seed % 20))
      const problem = compile(inst.proposals, Rules.parse(inst.rules))
      // The empty package, and every other proposal in its first option.
      for (const choice of [problem.groups.map(() => -1), problem.groups.map((_, gi) => (gi % 2 ? 0 : -1))]) {
        const expected = keptOutByLimits(problem, choice)
        ruleUse(problem, choice).forEach((u, ci) => {
          const e = expected[ci]
          expect(u.blocks, `seed ${seed} ${u.rule}`).toEqual(e?.blocks)
          if (problem.constraints[ci]?.min === undefined)
            expect(u.binding, `seed ${seed} ${u.rule}`).toBe(e?.alone)
          expect(u.nothingFits).toBe(!e?.alone && (e?.blocks.length ?? 0) > 0)
          if (u.binding) binding++
        })
      }
    }
    expect(binding).toBeGreaterThan(20)
  })
})

describe("the package's totals", () => {
  it("per year are the chosen variants' pool costs summed year by year, years in order (100 random instances)", () => {
    for (let seed = 1; seed <= 100; seed++) {
      const inst = randomInstance(seed, 5 + (seed % 20))
      const rules = Rules.parse(inst.rules)
      const problem = compile(inst.proposals, rules)
      const choice = problem.groups.map((g, gi) => (gi % 3 === 1 ? -1 : (gi + seed) % g.options.length))
      const figures = packageFigures(inst.proposals, problem, choice, rules)
      // The long way: each chosen variant's own series, added up per year in a Map.
      const byYear = new Map<number, { service: number; anlaeg: number }>()
      let service = 0
      let anlaeg = 0
      for (const c of figures.chosen) {
        const v = inst.proposals.find((p) => p.id === c.proposal)?.variants.find((x) => x.id === c.variant)
        if (!v) throw new Error(`no variant ${c.proposal}:${c.variant}`)
        for (const area of ["service", "anlaeg"] as const)
          poolCost(v, area).forEach((x, i) => {
            const y = v.years[i] ?? 0
            const sums = byYear.get(y) ?? { service: 0, anlaeg: 0 }
            sums[area] += v.priceLevel === figures.tablePriceLevel ? x : Number.NaN
            byYear.set(y, sums)
          })
        service += c.poolCostTable.service
        anlaeg += c.poolCostTable.anlaeg
      }
      const table = figures.totals.table
      expect(Object.keys(table.byYear), `seed ${seed}`).toEqual(
        [...byYear.keys()].sort((a, b) => a - b).map(String),
      )
      for (const [y, sums] of byYear) {
        expect(table.byYear[y]?.service, `seed ${seed} ${y}`).toBeCloseTo(sums.service, 6)
        expect(table.byYear[y]?.anlaeg, `seed ${seed} ${y}`).toBeCloseTo(sums.anlaeg, 6)
      }
      expect(table.service).toBeCloseTo(service, 6)
      expect(table.anlaeg).toBeCloseTo(anlaeg, 6)
      expect(figures.chosen.length).toBe(choice.filter((o) => o >= 0).length)
    }
  })
})
