import { describe, expect, it } from "vitest"
import type { Proposal } from "../../src/model/schema.ts"
import { Rules, type RulesInput, stableRules } from "../../src/solver/rules.ts"
import { solve } from "../../src/solver/solve.ts"
import { randomProposals, rng } from "../support/generate.ts"
import { bruteForce, judge } from "../support/independent.ts"

describe("a dependency of a proposal on itself", () => {
  it.each(["requires", "excludes"] as const)(
    "is rejected by the rules schema (%s), naming the field",
    (kind) => {
      const r = Rules.safeParse({ dependencies: [{ kind, proposal: "BC05", other: "BC05" }] })
      expect(r.success).toBe(false)
      expect(r.error?.issues.map((i) => i.path.join("."))).toEqual(["dependencies.0.other"])
      expect(r.error?.issues[0]?.message).toMatch(/two different proposals/)
    },
  )
})

/** A random rule set over the proposals: dependencies, quotas, locks, exclusions, per-year limits. */
const randomRules = (seed: number, ps: readonly Proposal[]): RulesInput => {
  const r = rng(seed)
  const ids = ps.map((p) => p.id)
  const other = (x: string) => r.pick(ids.filter((y) => y !== x))
  const committees = [...new Set(ps.map((p) => p.committee))]
  const total = ps.reduce(
    (s, p) =>
      s +
      (p.variants[0]?.lines ?? []).reduce(
        (a, l) => a + (l.section === "implementation" ? l.values.reduce((x, y) => x + y, 0) : 0),
        0,
      ),
    0,
  )
  const rules: RulesInput = {
    limits: {
      service: Math.round(total * (0.1 + 0.5 * r.next())),
      perYear: Array.from({ length: r.int(0, 4) }, (_, i) => ({
        area: r.pick(["service", "anlaeg", "combined"] as const),
        year: 2026 + i,
        max: Math.round((total / 3) * r.next()),
      })),
    },
    payback: { maxYears: r.pick([6, 8, null]) },
    dependencies: Array.from({ length: r.int(0, 3) }, () => {
      const x = r.pick(ids)
      return { kind: r.pick(["requires", "excludes"] as const), proposal: x, other: other(x) }
    }),
    locks: r.chance(0.3) ? [{ proposal: r.pick(ids) }] : [],
    exclude: r.chance(0.3) ? [r.pick(ids)] : [],
    committees: Array.from({ length: r.int(0, 2) }, () => {
      const measure = r.pick(["count", "poolCost", "saving"] as const)
      const scale = measure === "count" ? 3 : total / 4
      return r.chance(0.5)
        ? { committee: r.pick(committees), measure, max: Math.round(scale * r.next()) }
        : { committee: r.pick(committees), measure, min: Math.round((scale / 3) * r.next()) }
    }),
  }
  return rules
}

describe("both engines and the independent checker agree on random rule sets", () => {
  it("on 150 seeded rule sets over 4-9 proposals (optimum by enumeration)", () => {
    let checked = 0
    let infeasible = 0
    for (let seed = 1; seed <= 150; seed++) {
      const proposals = randomProposals(rng(seed * 31), 4 + (seed % 6))
      const rules = Rules.parse(randomRules(seed, proposals))
      const expected = bruteForce(proposals, rules)
      for (const engine of ["bb", "lp"] as const) {
        const r = solve(proposals, rules, { engine })
        const where = `seed ${seed}, ${engine}`
        if (expected === null) {
          expect(r.status, where).toBe("infeasible")
          continue
        }
        expect(r.status, where).toBe("optimal")
        if (r.status !== "optimal") continue
        expect(r.objective, where).toBe(expected)
        const pick = new Map(
          r.package.chosen.map((c) => {
            const v = proposals.find((p) => p.id === c.proposal)?.variants.find((x) => x.id === c.variant)
            return [c.proposal, v] as const
          }),
        )
        expect(
          [...pick.values()].every((v) => v !== undefined),
          where,
        ).toBe(true)
        expect(judge(proposals, rules, pick as Parameters<typeof judge>[2]), where).toEqual({
          feasible: true,
          value: expected,
        })
      }
      if (expected === null) infeasible++
      checked++
    }
    expect(checked).toBe(150)
    // Both kinds of answer were exercised.
    expect(infeasible).toBeGreaterThan(5)
    expect(infeasible).toBeLessThan(145)
  })
})

describe("stableRules (the rules as solve() reads them)", () => {
  it("keeps every rule as given: equal values and the same JSON, on seeded and hand-written rule sets", () => {
    const ps = randomProposals(rng(7), 8)
    const inputs: RulesInput[] = Array.from({ length: 50 }, (_, seed) => randomRules(seed, ps))
    inputs.push({
      objective: { kind: "cumulatedNetEffect", untilYear: 2029 },
      poolPriceLevel: 2025,
      limits: { service: 10, anlaeg: 20, combined: 25, perYear: [{ area: "anlaeg", year: 2027, max: 5 }] },
      payback: { maxYears: 4, basis: "service", exempt: [ps[0]?.id ?? ""] },
      locks: [{ proposal: ps[1]?.id ?? "", variant: "a" }, { proposal: ps[2]?.id ?? "" }],
      exclude: [ps[3]?.id ?? ""],
      variants: { [ps[4]?.id ?? ""]: ["a", "b"] },
      committees: [{ committee: "x", measure: "saving", min: 1, max: 9 }],
      dependencies: [{ kind: "excludes", proposal: ps[5]?.id ?? "", other: ps[6]?.id ?? "" }],
      maxProposals: 3,
    })
    for (const input of inputs) {
      const rules = Rules.parse(input)
      const stable = stableRules(rules)
      expect(stable).toEqual(rules)
      expect(JSON.stringify(stable)).toBe(JSON.stringify(rules))
      // compile reads its rules through stableRules too: what it made is not copied again.
      expect(stableRules(stable)).toBe(stable)
    }
  })
})
