import { describe, expect, it } from "vitest"
import { loadRound } from "../../../src/app/round.ts"
import { BUILT_IN_ROUND_DIR } from "../../../src/model/round.ts"
import { baseOf, constraintIndex, resolve, warm, withBounds } from "../../../src/solver/analysis/resolve.ts"
import { Rules } from "../../../src/solver/rules.ts"
import { randomInstance, rng } from "../../support/generate.ts"

describe("the warm re-solve for changed values", () => {
  it("finds the same optimum as the branch-and-bound for other values and other maxima, with every kind of rule", () => {
    let checked = 0
    for (let seed = 500; seed < 530; seed++) {
      const inst = randomInstance(seed, 12)
      let base: ReturnType<typeof baseOf>
      try {
        base = baseOf(inst.proposals, Rules.parse(inst.rules))
      } catch {
        continue
      }
      const top = resolve(base, base.scenario)
      if (top.status !== "optimal") continue
      const again = warm(base, base.scenario, undefined, { always: true })
      const r = rng(seed)
      for (let d = 0; d < 15; d++) {
        const values = base.universe.groups.map((g) => {
          const f = 0.4 + 1.2 * r.next()
          return g.options.map((o) => Math.round(o.value * 1000 * f))
        })
        const a = again({ values, start: top.choice })
        const b = resolve(base, { ...base.scenario, values })
        expect(b.status).toBe("optimal")
        if (a.status !== "optimal" || b.status !== "optimal") continue
        expect(a.value, `seed ${seed} draw ${d}`).toBe(b.value)
        const worth = a.choice.reduce((s, oi, gi) => s + (oi >= 0 ? (values[gi]?.[oi] ?? 0) : 0), 0)
        expect(worth).toBe(a.value)
        checked++
      }
      // Other maxima for the capacity rules (a frontier's re-solve), from no known package.
      for (let d = 0; d < 5; d++) {
        const maxima = new Map<number, number>()
        const bounds = new Map<number, { max: number }>()
        base.universe.constraints.forEach((c, ci) => {
          if (c.max === undefined || c.min !== undefined || c.coefs.some((row) => row.some((x) => x < 0)))
            return
          const max = Math.round(c.max * (0.2 + 1.6 * r.next()))
          maxima.set(ci, max)
          bounds.set(ci, { max })
        })
        const a = again({ maxima })
        const b = resolve(base, withBounds(base.scenario, bounds))
        expect(a.status, `seed ${seed} maxima ${d}`).toBe(b.status)
        if (a.status === "optimal" && b.status === "optimal") expect(a.value).toBe(b.value)
      }
    }
    expect(checked).toBeGreaterThan(80)
  })

  it("on the real data, for service pools from 0 to everything applied for", () => {
    const { proposals } = loadRound(BUILT_IN_ROUND_DIR)
    const base = baseOf(proposals, Rules.parse({ limits: { service: 100000, anlaeg: 87500 } }))
    const ci = constraintIndex(base, "limit:service")
    const again = warm(base, base.scenario, undefined, { always: true })
    for (let max = 0; max <= 224000; max += 3500) {
      const a = again({ maxima: new Map([[ci, max]]) })
      const b = resolve(base, withBounds(base.scenario, new Map([[ci, { max }]])))
      expect(a.status === "optimal" && a.value, `service ${max}`).toBe(b.status === "optimal" && b.value)
    }
  })

  it("hands over to the branch-and-bound when its node budget runs out, with the same answers", () => {
    const { proposals } = loadRound(BUILT_IN_ROUND_DIR)
    const base = baseOf(proposals, Rules.parse({ limits: { service: 100000, anlaeg: 87500 } }))
    const counter = { solves: 0 }
    const tiny = warm(base, base.scenario, counter, { always: true, maxNodes: 3 })
    const r = rng(9)
    for (let d = 0; d < 10; d++) {
      const values = base.universe.groups.map((g) => {
        const f = 0.5 + r.next()
        return g.options.map((o) => Math.round(o.value * 1000 * f))
      })
      const a = tiny({ values })
      const b = resolve(base, { ...base.scenario, values })
      expect(a.status === "optimal" && a.value).toBe(b.status === "optimal" && b.value)
    }
    expect(counter.solves).toBe(20)
  })
})
