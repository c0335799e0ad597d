import { describe, expect, it } from "vitest"
import type { Variant } from "../../src/model/schema.ts"
import { violations } from "../../src/solver/check.ts"
import { compile } from "../../src/solver/compile.ts"
import { runEngine } from "../../src/solver/lower.ts"
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

// The quick suite checks the first 40 seeds; `npm run test:slow` all 500 (ORACLE_SEEDS=500).
const COUNT = Number(process.env.ORACLE_SEEDS ?? 40)
const SEEDS = Array.from({ length: COUNT }, (_, i) => i + 1)
const sizeOf = (seed: number) => 5 + ((seed * 37) % 76) // 5 … 80 proposals
const BATCH = 50

describe(`both engines agree with HiGHS on ${COUNT} seeded random instances (5-80 proposals, 1-12 limits, side rules)`, () => {
  for (let b = 0; b < SEEDS.length / BATCH; b++) {
    const seeds = SEEDS.slice(b * BATCH, (b + 1) * BATCH)
    it(`seeds ${seeds[0]}-${seeds[seeds.length - 1]}`, async () => {
      let checked = 0
      for (const seed of seeds) {
        const inst = randomInstance(seed, sizeOf(seed))
        const rules = Rules.parse(inst.rules)
        const problem = compile(inst.proposals, rules)
        const oracle = await solveWithHighs(problem)
        for (const [name, r] of [
          ["bb", runEngine(problem, "bb")],
          ["lp", runEngine(problem, "lp")],
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
        checked++
      }
      expect(checked).toBe(seeds.length)
    }, 120_000)
  }
})

// The quick suite enumerates instances of up to 5.000 packages; `npm run test:slow` up to 200.000.
const SLOW = process.env.ORACLE_SEEDS !== undefined
const COMBOS = SLOW ? 200_000 : 5_000
const LAST = SLOW ? 1120 : 1300

describe("both engines agree with brute force up to 15 proposals", () => {
  it(`on the seeded instances 1001-${LAST} with at most ${COMBOS} packages, read by an independent judge of the rules`, () => {
    let checked = 0
    for (let seed = 1001; seed <= LAST; seed++) {
      const inst = randomInstance(seed, 4 + (seed % 12)) // 4 … 15 proposals
      const combos = inst.proposals.reduce((n, p) => n * (p.variants.length + 1), 1)
      if (combos > COMBOS) continue
      const rules = Rules.parse(inst.rules)
      const expected = bruteForce(inst.proposals, rules)
      const problem = compile(inst.proposals, rules)
      for (const r of [runEngine(problem, "bb"), runEngine(problem, "lp")]) {
        expect(r.objective, `seed ${seed}`).toBe(expected)
        expect(r.status, `seed ${seed}`).toBe(expected === null ? "infeasible" : "optimal")
      }
      checked++
    }
    expect(checked).toBeGreaterThan(SLOW ? 100 : 150)
  }, 120_000)
})
