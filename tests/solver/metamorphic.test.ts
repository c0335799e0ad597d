import { describe, expect, it } from "vitest"
import type { SolveResult } from "../../src/solver/result.ts"
import { Rules, type RulesInput } from "../../src/solver/rules.ts"
import { solve } from "../../src/solver/solve.ts"
import { randomInstance } from "../support/generate.ts"

const objective = (r: SolveResult) =>
  r.status === "optimal" ? r.objective : r.status === "infeasible" ? null : Number.NaN
const chosen = (r: SolveResult) => (r.status === "optimal" || r.status === "feasible" ? r.package.chosen : [])
const SEEDS = Array.from({ length: 80 }, (_, i) => 2001 + i)

describe.each(["bb", "lp"] as const)("metamorphic relations (%s engine, 80 seeded instances)", (engine) => {
  const run = (inst: ReturnType<typeof randomInstance>, rules: RulesInput) =>
    solve(inst.proposals, Rules.parse(rules), { engine })

  it("raising a pool never lowers the optimum", () => {
    for (const seed of SEEDS) {
      const inst = randomInstance(seed, 8 + (seed % 30))
      const base = objective(run(inst, inst.rules))
      const limits = inst.rules.limits ?? { perYear: [] }
      const raised = objective(
        run(inst, { ...inst.rules, limits: { ...limits, service: (limits.service ?? 0) * 1.25 + 1 } }),
      )
      if (base === null) continue // an infeasible problem may become feasible
      expect(raised, `seed ${seed}`).not.toBeNull()
      expect(raised as number, `seed ${seed}`).toBeGreaterThanOrEqual(base)
    }
  })

  it("removing a proposal that was not chosen changes nothing", () => {
    for (const seed of SEEDS) {
      const inst = randomInstance(seed, 8 + (seed % 30), { sideRules: false })
      const r = run(inst, inst.rules)
      const inPackage = new Set(chosen(r).map((c) => c.proposal))
      const out = inst.proposals.find((p) => !inPackage.has(p.id))
      if (!out) continue
      const fewer = solve(
        inst.proposals.filter((p) => p.id !== out.id),
        Rules.parse(inst.rules),
        { engine },
      )
      expect(objective(fewer), `seed ${seed}`).toBe(objective(r))
    }
  })

  it("locking in the optimum's own choices changes nothing", () => {
    for (const seed of SEEDS) {
      const inst = randomInstance(seed, 8 + (seed % 30))
      const r = run(inst, inst.rules)
      if (r.status !== "optimal") continue
      const locks = chosen(r).map((c) => ({ proposal: c.proposal, variant: c.variant }))
      const locked = run(inst, { ...inst.rules, locks: [...(inst.rules.locks ?? []), ...locks] })
      expect(objective(locked), `seed ${seed}`).toBe(r.objective)
    }
  })

  it("a looser payback rule never lowers the optimum", () => {
    for (const seed of SEEDS) {
      const inst = randomInstance(seed, 8 + (seed % 30), { sideRules: false })
      const strict = objective(run(inst, { ...inst.rules, payback: { maxYears: 5 } }))
      const loose = objective(run(inst, { ...inst.rules, payback: { maxYears: null } }))
      expect(loose as number, `seed ${seed}`).toBeGreaterThanOrEqual(strict as number)
    }
  })
})
