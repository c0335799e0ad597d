import { describe, expect, it } from "vitest"
import type { Variant } from "../../src/model/schema.ts"
import { branchAndBound } from "../../src/solver/bb.ts"
import { violations } from "../../src/solver/check.ts"
import { compile } from "../../src/solver/compile.ts"
import { lpEngine } from "../../src/solver/lp.ts"
import { Rules } from "../../src/solver/rules.ts"
import { randomInstance } from "../support/generate.ts"
import { solveWithHighs } from "../support/highs.ts"
import { bruteForce, judge, type Pick } from "../support/independent.ts"

/** Read a choice back into proposals and variants, for the independent judge. */
const pickOf = (
  problem: ReturnType<typeof compile>,
  choice: readonly number[],
  proposals: ReturnType<typeof randomInstance>["proposals"],
): Pick => {
  const m = new Map<string, Variant>()
  problem.groups.forEach((g, gi) => {
    const o = g.options[choice[gi] ?? -1]
    const v = proposals.find((p) => p.id === g.proposal)?.variants.find((x) => x.id === o?.variant)
    if (v) m.set(g.proposal, v)
  })
  return m
}

const SEEDS = Array.from({ length: 500 }, (_, i) => i + 1)
const sizeOf = (seed: number) => 5 + ((seed * 37) % 76) // 5 … 80 proposals
const BATCH = 50

describe("both engines agree with HiGHS on 500 seeded random instances (5-80 proposals, 1-12 limits, side rules)", () => {
  for (let b = 0; b < SEEDS.length / BATCH; b++) {
    const seeds = SEEDS.slice(b * BATCH, (b + 1) * BATCH)
    it(`seeds ${seeds[0]}-${seeds[seeds.length - 1]}`, async () => {
      for (const seed of seeds) {
        const inst = randomInstance(seed, sizeOf(seed))
        const rules = Rules.parse(inst.rules)
        const problem = compile(inst.proposals, rules)
        const oracle = await solveWithHighs(problem)
        for (const [name, r] of [
          ["bb", branchAndBound(problem)],
          ["lp", lpEngine(problem)],
        ] as const) {
          const where = `seed ${seed}, ${name}`
          expect(r.status, where).toBe(oracle.status)
          expect(r.objective, where).toBe(oracle.objective)
          if (r.choice) {
            expect(violations(problem, r.choice), where).toEqual([])
            const j = judge(inst.proposals, rules, pickOf(problem, r.choice, inst.proposals))
            expect(j, where).toEqual({ feasible: true, value: oracle.objective })
          }
          if (r.status === "optimal")
            expect(r.rootBound, where).toBeGreaterThanOrEqual((r.objective ?? 0) - 1e-6)
        }
      }
    }, 120_000)
  }
})

describe("both engines agree with brute force up to 15 proposals", () => {
  it("on 120 seeded instances, read by an independent judge of the rules", () => {
    let checked = 0
    for (let seed = 1001; seed <= 1120; seed++) {
      const inst = randomInstance(seed, 4 + (seed % 12)) // 4 … 15 proposals
      const combos = inst.proposals.reduce((n, p) => n * (p.variants.length + 1), 1)
      if (combos > 200_000) continue
      const rules = Rules.parse(inst.rules)
      const expected = bruteForce(inst.proposals, rules)
      const problem = compile(inst.proposals, rules)
      for (const r of [branchAndBound(problem), lpEngine(problem)]) {
        expect(r.objective, `seed ${seed}`).toBe(expected)
        expect(r.status, `seed ${seed}`).toBe(expected === null ? "infeasible" : "optimal")
      }
      checked++
    }
    expect(checked).toBeGreaterThan(100)
  }, 120_000)
})
