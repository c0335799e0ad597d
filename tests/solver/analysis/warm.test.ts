import { describe, expect, it } from "vitest"
import { baseOf, resolve, warmValues } from "../../../src/solver/analysis/resolve.ts"
import { Rules } from "../../../src/solver/rules.ts"
import { randomInstance, rng } from "../../support/generate.ts"

describe("the warm re-solve for changed values", () => {
  it("finds the same optimum as the branch-and-bound on generated instances with every kind of rule", () => {
    let checked = 0
    for (let seed = 500; seed < 540; seed++) {
      const inst = randomInstance(seed, 12)
      let base: ReturnType<typeof baseOf>
      try {
        base = baseOf(inst.proposals, Rules.parse(inst.rules))
      } catch {
        continue
      }
      const top = resolve(base, base.scenario)
      if (top.status !== "optimal") continue
      const warm = warmValues(base, base.scenario)
      const r = rng(seed)
      for (let d = 0; d < 15; d++) {
        const values = base.universe.groups.map((g) => {
          const f = 0.4 + 1.2 * r.next()
          return g.options.map((o) => Math.round(o.value * 1000 * f))
        })
        const a = warm(values, top.choice)
        const b = resolve(base, { ...base.scenario, values })
        expect(b.status).toBe("optimal")
        if (a.status !== "optimal" || b.status !== "optimal") continue
        expect(a.value, `seed ${seed} draw ${d}`).toBe(b.value)
        const worth = a.choice.reduce((s, oi, gi) => s + (oi >= 0 ? (values[gi]?.[oi] ?? 0) : 0), 0)
        expect(worth).toBe(a.value)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(150)
  })
})
