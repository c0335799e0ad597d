import { describe, expect, it } from "vitest"
import { lagrangeMultipliers, surrogateWeights } from "../../../src/solver/engine/bounds.ts"
import { corePackage } from "../../../src/solver/engine/core.ts"
import { Heuristics } from "../../../src/solver/engine/heuristics.ts"
import { buildModel, keepsEveryRule, packageValue } from "../../../src/solver/engine/model.ts"
import { solveAbove, solveKnapsack } from "../../../src/solver/engine/search.ts"
import { budgetKnapsack } from "../../support/generate.ts"
import { bruteKnapsack, randomKnapsack } from "../../support/knapsack.ts"

describe("exchange local search", () => {
  it("returns a package that keeps every rule and is never worse than its start", () => {
    let better = 0
    for (let seed = 1; seed <= 150; seed++) {
      const m = buildModel(randomKnapsack(seed, 3 + (seed % 9)))
      if (m === "infeasible") continue
      const h = new Heuristics(m, surrogateWeights(m, lagrangeMultipliers(m, 30)))
      const g = h.greedy()
      if (!g) continue
      const s = h.swap(g)
      expect(keepsEveryRule(m, s), `seed ${seed}`).toBe(true)
      expect(packageValue(m, s), `seed ${seed}`).toBeGreaterThanOrEqual(packageValue(m, g))
      if (packageValue(m, s) > packageValue(m, g)) better++
    }
    expect(better).toBeGreaterThan(0)
  })
})

describe("core problem", () => {
  it("with every group in the core it is the optimum (enumeration); with fewer, a package that keeps every rule", () => {
    let whole = 0
    for (let seed = 1; seed <= 120; seed++) {
      const p = randomKnapsack(seed, 3 + (seed % 7))
      const m = buildModel(p)
      if (m === "infeasible" || m.links.some((l) => l.length > 0)) continue
      const red = new Float64Array(m.K)
      for (let k = 0; k < m.K; k++) red[k] = (m.value[k] ?? 0) - (seed % 3)
      const fixedOut = new Uint8Array(m.K)
      const all = corePackage(m, red, fixedOut, m.G, {}, solveKnapsack)
      const best = bruteKnapsack(p)
      expect(all === null ? null : packageValue(m, all), `seed ${seed}`).toBe(best)
      whole++
      const part = corePackage(m, red, fixedOut, Math.max(1, m.G - 2), {}, solveKnapsack)
      if (part) expect(keepsEveryRule(m, part), `seed ${seed}`).toBe(true)
    }
    expect(whole).toBeGreaterThan(20)
  })

  it("with a cutoff it finds the optimum when it beats the cutoff, and claims nothing above it otherwise (enumeration)", () => {
    let checked = 0
    for (let seed = 1; seed <= 120; seed++) {
      const p = randomKnapsack(seed, 3 + (seed % 7))
      const best = bruteKnapsack(p)
      if (best === null || !Number.isInteger(best)) continue
      // The full search, not the small one (which may ignore the cutoff).
      const below = solveAbove(p, { smallSearch: false }, best - 1)
      expect(below.status, `seed ${seed}`).toBe("optimal")
      expect(below.objective, `seed ${seed}`).toBe(best)
      const at = solveAbove(p, { smallSearch: false }, best)
      expect(at.objective ?? Number.NEGATIVE_INFINITY, `seed ${seed}`).toBeLessThanOrEqual(best)
      expect(at.bound, `seed ${seed}`).toBeGreaterThanOrEqual(best)
      if (at.status === "optimal") expect(at.objective, `seed ${seed}`).toBe(best)
      const above = solveAbove(p, { smallSearch: false }, best + 5)
      expect(above.status, `seed ${seed}`).not.toBe("optimal")
      expect(above.bound, `seed ${seed}`).toBeGreaterThanOrEqual(best)
      const m = buildModel(p)
      if (m === "infeasible" || m.links.some((l) => l.length > 0)) continue
      const red = Float64Array.from(m.value)
      const core = corePackage(m, red, new Uint8Array(m.K), m.G, {}, solveAbove, undefined, best - 1)
      expect(core === null ? null : packageValue(m, core), `seed ${seed}`).toBe(best)
      checked++
    }
    expect(checked).toBeGreaterThan(20)
  })

  it("around a package (RINS) it is never worse than that package, and keeps every rule", () => {
    let checked = 0
    for (let seed = 1; seed <= 120; seed++) {
      const m = buildModel(randomKnapsack(seed, 4 + (seed % 7)))
      if (m === "infeasible" || m.links.some((l) => l.length > 0)) continue
      const h = new Heuristics(m, surrogateWeights(m, lagrangeMultipliers(m, 30)))
      const start = h.greedy()
      if (!start) continue
      const red = Float64Array.from(m.value)
      const pick = corePackage(m, red, new Uint8Array(m.K), 2, {}, solveKnapsack, start)
      expect(pick, `seed ${seed}`).not.toBeNull()
      expect(keepsEveryRule(m, pick ?? start), `seed ${seed}`).toBe(true)
      expect(packageValue(m, pick ?? start), `seed ${seed}`).toBeGreaterThanOrEqual(packageValue(m, start))
      checked++
    }
    expect(checked).toBeGreaterThan(20)
  })

  it("on a large budget-like knapsack, a core of 40 groups gives a package within 1 % of the LP bound", () => {
    const p = budgetKnapsack(3, 1000, 2)
    const m = buildModel(p)
    if (m === "infeasible") throw new Error("the instance is feasible")
    const u = lagrangeMultipliers(m, 150)
    const red = new Float64Array(m.K)
    const w = surrogateWeights(m, u)
    for (let k = 0; k < m.K; k++) red[k] = (m.value[k] ?? 0) - (w[k] ?? 0)
    const pick = corePackage(m, red, new Uint8Array(m.K), 40, { nodeLimit: 20_000 }, solveKnapsack)
    expect(pick).not.toBeNull()
    const root = solveKnapsack(p, { nodeLimit: 1 }).rootBound
    expect(packageValue(m, pick ?? new Int32Array())).toBeGreaterThan(0.99 * root)
  })
})
