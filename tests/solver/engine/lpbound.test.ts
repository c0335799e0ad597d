import { describe, expect, it } from "vitest"
import { NodeLp } from "../../../src/solver/engine/lpbound.ts"
import { buildModel, groupOptions } from "../../../src/solver/engine/model.ts"
import type { Knapsack } from "../../../src/solver/engine/problem.ts"
import { solveAbove, solveKnapsack } from "../../../src/solver/engine/search.ts"
import { SearchState } from "../../../src/solver/engine/state.ts"
import { budgetKnapsack, rng } from "../../support/generate.ts"
import { knapsackLpText, solveLpTextWithHighs } from "../../support/highs.ts"
import { bruteKnapsack } from "../../support/knapsack.ts"

/** A knapsack with only capacities (3-5 of them) over 3-8 groups of 1-3 options: the LP bound's case. */
const pureKnapsack = (seed: number): Knapsack => {
  const r = rng(seed)
  const groups = r.int(3, 8)
  const groupOf: number[] = []
  for (let g = 0; g < groups; g++) for (let i = r.int(1, 3); i > 0; i--) groupOf.push(g)
  const values = groupOf.map(() => r.int(1, 40))
  const rows = Array.from({ length: r.int(3, 5) }, () => {
    const coefs = groupOf.map(() => (r.chance(0.8) ? r.int(0, 20) : 0))
    return { coefs, max: r.int(5, 60) }
  })
  return { groups, groupOf, values, rows }
}

/** The knapsack with the first `depth` groups (in the state's order) decided as the state decided them. */
const decided = (p: Knapsack, st: SearchState, depth: number): Knapsack => {
  const forceIn: number[] = []
  const forceOut: number[] = []
  for (let d = 0; d < depth; d++) {
    const g = st.order[d] ?? 0
    const k = st.pick[g] ?? -1
    p.groupOf.forEach((h, j) => {
      if (h === g && j !== k) forceOut.push(j)
    })
    if (k >= 0) forceIn.push(k)
  }
  return { ...p, forceIn, forceOut }
}

/** Seeds 1-80 of `pureKnapsack` where the LP bound fits, each with a search state in group order. */
const lpCases = () =>
  Array.from({ length: 80 }, (_, i) => i + 1).flatMap((seed) => {
    const p = pureKnapsack(seed)
    const m = buildModel(p)
    if (m === "infeasible" || !NodeLp.fits(m)) return []
    return [
      {
        seed,
        p,
        m,
        st: new SearchState(
          m,
          Int32Array.from({ length: m.G }, (_, g) => g),
        ),
      },
    ]
  })

describe("the LP bound per node", () => {
  it("gives reduced values whose Lagrangian bounds the optimum (enumeration), and that favour every option the root LP takes whole", () => {
    let checked = 0
    for (const { seed, p, m, st } of lpCases()) {
      const lp = new NodeLp(m, st)
      const red = lp.rootReduced()
      const y = lp.rootDuals()
      let lagrangian = y.reduce((a, x) => a + x, 0)
      for (let g = 0; g < m.G; g++) {
        const ks = Array.from(groupOptions(m, g))
        const top = Math.max(0, ...ks.map((k) => red[k] ?? 0))
        lagrangian += top
        // Complementary slackness: an option the LP takes whole is its group's best, and not below "none".
        for (const k of ks)
          if (lp.x(0, k) > 1 - 1e-9) expect(red[k] ?? 0, `seed ${seed}`).toBeGreaterThanOrEqual(top - 1e-6)
      }
      expect(lagrangian, `seed ${seed}`).toBeGreaterThanOrEqual((bruteKnapsack(p) ?? 0) - 1e-6)
      checked++
    }
    expect(checked).toBeGreaterThan(20)
  })

  it("names the groups where a node's LP and a package disagree: those it takes fractionally, and those its rounding differs in", () => {
    let checked = 0
    for (const { seed, m, st } of lpCases()) {
      const lp = new NodeLp(m, st)
      st.newNode()
      lp.bound(0, false)
      if (!lp.own) continue
      const rounded = lp.package(0)
      const fractional = (g: number) =>
        Array.from(groupOptions(m, g)).some((k) => lp.x(0, k) > 1e-6 && lp.x(0, k) < 1 - 1e-6)
      const all = Array.from({ length: m.G }, (_, g) => g)
      expect([...lp.disagreement(0, rounded)], `seed ${seed}`).toEqual(all.filter(fractional))
      const empty = new Int32Array(m.G).fill(-1)
      expect([...lp.disagreement(0, empty)], `seed ${seed}`).toEqual(
        all.filter((g) => fractional(g) || rounded[g] !== -1),
      )
      checked++
    }
    expect(checked).toBeGreaterThan(20)
  })

  it("is never below the best package under the node, from the parent's tableau or rebuilt from the root's", () => {
    let nodes = 0
    for (const { seed, p, m, st } of lpCases()) {
      // Every other seed with a tableau for the first depth only: deeper nodes inherit multipliers.
      const lp = new NodeLp(m, st, seed % 2 ? Number.POSITIVE_INFINITY : 1)
      const r = rng(seed + 1000)
      st.newNode()
      expect(lp.bound(0, false), `seed ${seed}`).toBeGreaterThanOrEqual((bruteKnapsack(p) ?? 0) - 1e-6)
      // Walk down one random path, checking every node and every child bound against enumeration.
      for (let d = 0; d < m.G; d++) {
        const g = st.order[d] ?? 0
        const ks = [-1, ...groupOptions(m, g)].filter((k) => k < 0 || st.fits(k))
        for (const k of ks) {
          if (k >= 0) st.apply(k)
          const best = bruteKnapsack(decided(p, st, d + 1))
          if (k >= 0) st.undo(k)
          if (best !== null)
            expect(lp.childBound(d, k), `seed ${seed} depth ${d}`).toBeGreaterThanOrEqual(best - 1e-6)
        }
        const k = ks[r.int(0, ks.length - 1)] ?? -1
        if (k >= 0) st.apply(k)
        st.newNode()
        const fromParent = lp.bound(d + 1, true)
        st.newNode()
        const rebuilt = lp.bound(d + 1, false)
        const best = bruteKnapsack(decided(p, st, d + 1)) ?? Number.NEGATIVE_INFINITY
        expect(fromParent, `seed ${seed} depth ${d + 1}`).toBeGreaterThanOrEqual(best - 1e-6)
        expect(rebuilt, `seed ${seed} depth ${d + 1}`).toBeGreaterThanOrEqual(best - 1e-6)
        if (d + 1 <= lp.lastDepth) expect(rebuilt, `seed ${seed} depth ${d + 1}`).toBeCloseTo(fromParent, 6)
        else lp.bound(d + 1, true) // the multipliers the next depth inherits are this path's
        nodes++
      }
    }
    expect(nodes).toBeGreaterThan(150)
  })

  it("makes the engine agree with HiGHS on 10-capacity budget-like knapsacks that need it", async () => {
    for (const seed of [3, 4]) {
      const p = budgetKnapsack(seed, 50, 10)
      const r = solveKnapsack(p, { nodeLimit: 500_000 })
      const h = await solveLpTextWithHighs(knapsackLpText(p), 60)
      expect(r.status, `seed ${seed}`).toBe("optimal")
      expect(r.objective, `seed ${seed}`).toBe(h.objective)
      // More nodes than one plunge: the search switched the LP bound on.
      expect(r.nodes, `seed ${seed}`).toBeGreaterThan(2000)
    }
  }, 30_000)

  it("from the first node when asked (lpBound): the optimum by enumeration, and with a cutoff only what beats it", () => {
    const cases = lpCases()
    expect(cases.length).toBeGreaterThan(20)
    for (const { seed, p } of cases) {
      const optimum = bruteKnapsack(p)
      const o = { smallSearch: false, lpBound: true }
      const r = solveAbove(p, o)
      expect(r.objective, `seed ${seed}`).toBe(optimum)
      if (optimum === null) continue
      expect(r.status, `seed ${seed}`).toBe("optimal")
      // Just below the optimum: found; at it: nothing above it, which the bound says.
      expect(solveAbove(p, o, optimum - 1).objective, `seed ${seed}`).toBe(optimum)
      const at = solveAbove(p, o, optimum)
      expect(at.objective ?? optimum, `seed ${seed}`).toBeLessThanOrEqual(optimum)
      expect(at.bound, `seed ${seed}`).toBe(optimum)
    }
  })

  it("from the first node when asked (lpBound), proves 40-50 group 10-capacity knapsacks in fewer nodes, agreeing with HiGHS", async () => {
    for (const [seed, n] of [
      [3, 50],
      [4, 50],
      [6, 50],
    ] as const) {
      const p = budgetKnapsack(seed, n, 10)
      const plain = solveAbove(p, { smallSearch: false })
      const lp = solveAbove(p, { smallSearch: false, lpBound: true })
      const h = await solveLpTextWithHighs(knapsackLpText(p), 60)
      expect(lp.status, `seed ${seed}`).toBe("optimal")
      expect(lp.objective, `seed ${seed}`).toBe(h.objective)
      expect(plain.objective, `seed ${seed}`).toBe(h.objective)
      expect(lp.nodes, `seed ${seed}`).toBeLessThan(plain.nodes)
    }
  }, 30_000)

  it("makes the engine agree with HiGHS at 2 capacities, where the search switches the tilted surrogates on", async () => {
    for (const [n, seed] of [
      [40, 1],
      [40, 2],
      [80, 1],
      [80, 4],
      [200, 2],
      [200, 3],
    ] as const) {
      const p = budgetKnapsack(seed, n, 2)
      const r = solveKnapsack(p, { nodeLimit: 500_000 })
      const h = await solveLpTextWithHighs(knapsackLpText(p), 60)
      expect(r.status, `${n} seed ${seed}`).toBe("optimal")
      expect(r.objective, `${n} seed ${seed}`).toBe(h.objective)
      expect(r.nodes, `${n} seed ${seed}`).toBeGreaterThan(2000)
    }
  }, 30_000)

  it("reports a whole bound at or above the optimum when the search stops early on whole values", async () => {
    for (const seed of [1, 2]) {
      const p = budgetKnapsack(seed, 120, 2)
      const r = solveKnapsack(p, { nodeLimit: 2500 })
      const h = await solveLpTextWithHighs(knapsackLpText(p), 60)
      expect(h.status).toBe("optimal")
      expect(r.status, `seed ${seed}`).toBe("feasible")
      expect(Number.isInteger(r.bound), `seed ${seed}`).toBe(true)
      expect(r.bound, `seed ${seed}`).toBeGreaterThanOrEqual(h.objective ?? Number.POSITIVE_INFINITY)
      expect(r.objective ?? 0, `seed ${seed}`).toBeLessThanOrEqual(h.objective ?? 0)
    }
  }, 30_000)
})
