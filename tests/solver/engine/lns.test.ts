import { describe, expect, it } from "vitest"
import { lagrangeMultipliers, surrogateWeights } from "../../../src/solver/engine/bounds.ts"
import { Heuristics } from "../../../src/solver/engine/heuristics.ts"
import { Neighbourhoods } from "../../../src/solver/engine/lns.ts"
import { buildModel, type Model } from "../../../src/solver/engine/model.ts"
import type { Knapsack } from "../../../src/solver/engine/problem.ts"
import { solveAbove, solveKnapsack } from "../../../src/solver/engine/search.ts"
import { budgetKnapsack } from "../../support/generate.ts"
import { knapsackLpText, solveLpTextWithHighs } from "../../support/highs.ts"
import { bruteKnapsack, randomKnapsack } from "../../support/knapsack.ts"

/** The package's value read off the problem itself, or null when it breaks a row or takes two options of a group. */
const judge = (p: Knapsack, pick: Int32Array): number | null => {
  const taken = [...pick].filter((k) => k >= 0)
  if (new Set(taken.map((k) => p.groupOf[k])).size !== taken.length) return null
  for (const row of p.rows) {
    const s = taken.reduce((a, k) => a + (row.coefs[k] ?? 0), 0)
    if ((row.max !== undefined && s > row.max) || (row.min !== undefined && s < row.min)) return null
  }
  return taken.reduce((a, k) => a + (p.values[k] ?? 0), 0)
}

const setUp = (p: Knapsack, size: number) => {
  const m = buildModel(p)
  if (m === "infeasible") throw new Error("the instance is feasible")
  const w = surrogateWeights(m, lagrangeMultipliers(m, 60))
  const red = new Float64Array(m.K)
  for (let k = 0; k < m.K; k++) red[k] = (m.value[k] ?? 0) - (w[k] ?? 0)
  const start = new Heuristics(m, w).greedy()
  return { m: m as Model, hoods: new Neighbourhoods(m, red, new Uint8Array(m.K), size), start }
}

describe("large-neighbourhood search", () => {
  it("draws neighbourhoods of distinct groups, and not the same one every time", () => {
    const { m, hoods, start } = setUp(budgetKnapsack(5, 300, 10), 30)
    if (!start) throw new Error("the greedy finds a package")
    const seen = new Set<string>()
    for (let i = 0; i < 10; i++) {
      const core = hoods.draw(start)
      expect(core.length).toBe(30)
      expect(new Set(core).size).toBe(30)
      for (const g of core) expect(g >= 0 && g < m.G).toBe(true)
      seen.add([...core].sort((a, b) => a - b).join(","))
    }
    expect(seen.size).toBeGreaterThan(5)
  })

  it.each([
    [30, false],
    [60, true],
  ])(
    "on a generated 300 × 10 knapsack, neighbourhoods of %i groups (LP bound per node: %s): every step it takes keeps the problem's rows and beats the last, and 30 steps beat the greedy",
    (size, lpBound) => {
      const p = budgetKnapsack(4, 300, 10)
      const { hoods, start } = setUp(p, size)
      if (!start) throw new Error("the greedy finds a package")
      const greedy = judge(p, start)
      expect(greedy).not.toBeNull()
      let best = start
      let value = greedy ?? 0
      for (let i = 0; i < 30; i++) {
        const pick = hoods.step(best, value, { nodeLimit: 2000, smallSearch: false, lpBound }, solveAbove)
        if (!pick) continue
        const v = judge(p, pick)
        expect(v).not.toBeNull()
        expect(v ?? 0).toBeGreaterThan(value)
        best = pick
        value = v ?? 0
      }
      expect(value).toBeGreaterThan(greedy ?? 0)
    },
  )

  it("a neighbourhood holding the groups where the start and a better package differ finds a package at least as good", () => {
    const p = budgetKnapsack(5, 200, 10)
    const better = solveKnapsack(p, { nodeLimit: 2000 })
    const m = buildModel(p)
    if (m === "infeasible" || !better.package) throw new Error("the instance has a package")
    const target = new Int32Array(m.G).fill(-1)
    for (const k of better.package) target[p.groupOf[k] ?? 0] = k
    const { start } = setUp(p, 60)
    if (!start) throw new Error("the greedy finds a package")
    const from = judge(p, start) ?? 0
    const differ = Int32Array.from({ length: m.G }, (_, g) => g).filter((g) => start[g] !== target[g])
    expect(differ.length).toBeLessThan(m.G / 2)
    expect(better.objective ?? 0).toBeGreaterThan(from)
    const { hoods } = setUp(p, differ.length + 5)
    const pick = hoods.holding(differ, start, from, { smallSearch: false, lpBound: true }, solveAbove)
    expect(pick).not.toBeNull()
    expect(judge(p, pick ?? start) ?? 0).toBeGreaterThanOrEqual(better.objective ?? 0)
  }, 10_000)

  it("a step's package beats its start, keeps the rows and is never worth more than the optimum (enumeration)", () => {
    let checked = 0
    let improved = 0
    for (let seed = 1; seed <= 120; seed++) {
      const p = randomKnapsack(seed, 5 + (seed % 6))
      const m = buildModel(p)
      if (m === "infeasible" || !Neighbourhoods.fits(m, 2)) continue
      const { hoods, start } = setUp(p, 2)
      const optimum = bruteKnapsack(p)
      if (!start) continue
      const from = judge(p, start)
      if (optimum === null || from === null) continue
      const pick = hoods.step(start, from, {}, solveAbove)
      if (pick) {
        const v = judge(p, pick)
        expect(v, `seed ${seed}`).not.toBeNull()
        expect(v ?? 0, `seed ${seed}`).toBeGreaterThan(from)
        expect(v ?? 0, `seed ${seed}`).toBeLessThanOrEqual(optimum)
        improved++
      }
      checked++
    }
    expect(checked).toBeGreaterThan(20)
    expect(improved).toBeGreaterThan(0)
  })

  it("inside the search (200 groups × 10 capacities): the package keeps the rows, the bound stays above HiGHS's package, and a node-limited solve repeats", async () => {
    const p = budgetKnapsack(7, 200, 10)
    const r = solveKnapsack(p, { nodeLimit: 2000 })
    const again = solveKnapsack(p, { nodeLimit: 2000 })
    const h = await solveLpTextWithHighs(knapsackLpText(p), 0.5)
    const pick = Int32Array.from(r.package ?? [])
    expect(judge(p, pick)).toBe(r.objective)
    expect(again.package).toEqual(r.package)
    expect(r.bound).toBeGreaterThanOrEqual(h.objective ?? 0)
    expect(r.objective ?? 0).toBeLessThanOrEqual(h.bound)
  }, 10_000)
})

describe("stopping a large search", () => {
  it("a short time limit (3.000 groups × 10 capacities, 50 ms) stops the search with a package that keeps every row", () => {
    const p = budgetKnapsack(11, 3000, 10)
    const r = solveKnapsack(p, { timeLimitMs: 50 })
    expect(r.stoppedBy).toBe("timeLimit")
    expect(r.status).toBe("feasible")
    expect(judge(p, Int32Array.from(r.package ?? []))).toBe(r.objective)
    expect(r.bound).toBeGreaterThanOrEqual(r.objective ?? 0)
  })

  it("a stop asked from the start skips every part that can wait (heuristics, cores, plunges): no node is searched, the first package keeps every row", () => {
    const p = budgetKnapsack(12, 1000, 10)
    let asked = 0
    const r = solveKnapsack(p, {
      shouldStop: () => {
        asked++
        return true
      },
    })
    expect(r.stoppedBy).toBe("timeLimit")
    expect(r.nodes).toBe(0)
    expect(asked).toBeGreaterThan(0)
    expect(judge(p, Int32Array.from(r.package ?? []))).toBe(r.objective)
    expect(r.bound).toBeGreaterThanOrEqual(r.objective ?? 0)
  })
})
