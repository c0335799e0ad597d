import fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  capacityWeights,
  HullBound,
  Lagrangian,
  lagrangeMultipliers,
  surrogateWeights,
} from "../../../src/solver/engine/bounds.ts"
import { Heuristics } from "../../../src/solver/engine/heuristics.ts"
import { hullInto, hullSegments } from "../../../src/solver/engine/hull.ts"
import {
  buildModel,
  groupOptions,
  keepsEveryRule,
  type Model,
  packageValue,
} from "../../../src/solver/engine/model.ts"
import { decisions, NodeQueue, type Path } from "../../../src/solver/engine/nodes.ts"
import { ceil, floor, fromNumber, mul, rat } from "../../../src/solver/engine/rational.ts"
import { solveKnapsack } from "../../../src/solver/engine/search.ts"
import { SearchState } from "../../../src/solver/engine/state.ts"
import { bruteKnapsack, randomKnapsack } from "../../support/knapsack.ts"

const modelOf = (seed: number, groups: number): Model | null => {
  const m = buildModel(randomKnapsack(seed, groups))
  return m === "infeasible" ? null : m
}
const identity = (m: Model) => Int32Array.from({ length: m.G }, (_, g) => g)

describe("rational", () => {
  it("reads a JS number exactly as typed and rounds towards the right side", () => {
    expect(fromNumber(1.028)).toEqual({ n: 257n, d: 250n })
    expect(fromNumber(1e-7)).toEqual({ n: 1n, d: 10_000_000n })
    expect(floor(rat(-7n, 2n))).toBe(-4n)
    expect(ceil(rat(-7n, 2n))).toBe(-3n)
    expect(floor(rat(7n, 2n))).toBe(3n)
    expect(() => rat(1n, 0n)).toThrow(RangeError)
  })
  it("floor(limit × 1,028) is the largest integer cost within the limit (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e9 }), (limit) => {
        const f = floor(mul(fromNumber(limit), fromNumber(1.028)))
        // cost / 1,028 ≤ limit ⟺ 1000 · cost ≤ 1028 · limit, checked in integers
        expect(1000n * f <= 1028n * BigInt(limit)).toBe(true)
        expect(1000n * (f + 1n) <= 1028n * BigInt(limit)).toBe(false)
      }),
    )
  })
})

describe("hull segments", () => {
  it("drop dominated and worthless points and start with the free value", () => {
    const s = hullSegments([
      { w: 0, v: 2 },
      { w: 4, v: 10 },
      { w: 5, v: 9 }, // dominated by (4, 10)
      { w: 8, v: 12 }, // below the line from (4,10) … nothing better after it: kept as the last step
      { w: 3, v: -1 },
    ])
    expect(s).toEqual([
      { dw: 0, dv: 2, free: true },
      { dw: 4, dv: 8, free: false },
      { dw: 4, dv: 2, free: false },
    ])
  })
  it("are concave and end at the best point (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ w: fc.integer({ min: 1, max: 100 }), v: fc.integer({ min: -10, max: 100 }) }), {
          maxLength: 6,
        }),
        (pts) => {
          const s = hullSegments(pts).filter((x) => !x.free)
          for (let i = 1; i < s.length; i++) {
            const a = s[i - 1]
            const b = s[i]
            if (a && b) expect(b.dv / b.dw).toBeLessThanOrEqual(a.dv / a.dw + 1e-12)
          }
          const best = Math.max(0, ...pts.map((p) => p.v))
          expect(s.reduce((x, y) => x + y.dv, 0)).toBe(best)
        },
      ),
    )
  })
  it("written to typed arrays are the same segments as hullSegments's (property)", () => {
    fc.assert(
      fc.property(
        // Small ranges: ties of weight, value and slope, free and negative weights all occur.
        fc.array(fc.record({ w: fc.integer({ min: -2, max: 12 }), v: fc.integer({ min: -3, max: 12 }) }), {
          maxLength: 8,
        }),
        fc.integer({ min: 0, max: 3 }),
        (pts, at) => {
          const n = pts.length
          const ks = Int32Array.from(pts, (_, i) => n - 1 - i) // options in another order than the points
          const weight = new Float64Array(n)
          const value = new Float64Array(n)
          pts.forEach((p, i) => {
            weight[n - 1 - i] = p.w
            value[n - 1 - i] = p.v
          })
          const dw = new Float64Array(at + n + 1)
          const dv = new Float64Array(at + n + 1)
          const count = hullInto(
            ks,
            0,
            ks.length,
            weight,
            value,
            dw,
            dv,
            at,
            new Float64Array(n),
            new Float64Array(n),
            new Uint8Array(n),
          )
          const got = Array.from({ length: count }, (_, i) => ({ dw: dw[at + i], dv: dv[at + i] }))
          expect(got).toEqual(hullSegments(pts).map((s) => ({ dw: s.dw, dv: s.dv })))
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe("search state", () => {
  it("undo restores exactly what apply changed", () => {
    const m = modelOf(3, 8)
    if (!m) throw new Error("seed 3 is feasible")
    const st = new SearchState(m, identity(m))
    const W0 = Float64Array.from(st.W)
    const ks = [groupOptions(m, 0)[0], groupOptions(m, 1)[0], groupOptions(m, 2)[0]].filter(
      (k): k is number => k !== undefined,
    )
    for (const k of ks) st.apply(k)
    expect(st.V).toBe(ks.reduce((s, k) => s + (m.value[k] ?? 0), 0))
    for (const k of [...ks].reverse()) st.undo(k)
    expect(st.W).toEqual(W0)
    expect(st.V).toBe(0)
    expect([...st.pick].every((k) => k === -1)).toBe(true)
  })
  it("fits, links and row reachability", () => {
    const m = buildModel({
      groups: 3,
      groupOf: [0, 1, 2],
      values: [1, 1, 1],
      rows: [
        { coefs: [3, 3, 3], max: 5 },
        { coefs: [1, 1, 1], min: 1 },
      ],
      links: [{ kind: "requires", a: 1, b: 0 }],
    })
    if (m === "infeasible") throw new Error("feasible")
    const st = new SearchState(m, Int32Array.from([0, 1, 2]))
    expect(st.fits(0)).toBe(true)
    st.apply(0)
    expect(st.fits(1)).toBe(false)
    st.undo(0)
    // group 1 requires group 0, decided earlier as none
    expect(st.linksOk(1, true)).toBe(false)
    expect(st.linksOk(1, false)).toBe(true)
    // with nothing taken in groups 0 and 1, group 2 must take its option to meet the ≥ row
    expect(st.rowsReachable(2)).toBe(true)
    expect(st.rowsReachable(3)).toBe(false)
  })
})

describe("bounds", () => {
  it("the Lagrangian (any multipliers), the surrogate LP and each capacity's LP are never below the optimum", () => {
    let checked = 0
    for (let seed = 1; seed <= 150; seed++) {
      const p = randomKnapsack(seed, 3 + (seed % 7))
      const m = buildModel(p)
      const opt = bruteKnapsack(p)
      if (m === "infeasible" || opt === null) continue
      const st = new SearchState(m, identity(m))
      for (const u of [lagrangeMultipliers(m, 50), new Float64Array(m.C).fill(seed % 5)]) {
        const lag = new Lagrangian(m, u, st)
        expect(lag.bound(0), `seed ${seed}`).toBeGreaterThanOrEqual(opt - 1e-6)
        st.newNode()
        const sur = new HullBound(m, st, surrogateWeights(m, u))
        expect(sur.bound(0, lag.slack(st.W)), `seed ${seed}`).toBeGreaterThanOrEqual(opt - 1e-6)
      }
      for (let r = 0; r < m.C; r++) {
        const b = new HullBound(m, st, capacityWeights(m, r))
        expect(b.bound(0, m.max[r] ?? 0), `seed ${seed}`).toBeGreaterThanOrEqual(opt - 1e-6)
      }
      checked++
    }
    expect(checked).toBeGreaterThan(60)
  })
  it("reduced-cost fixing keeps every option of an optimal package", () => {
    let checked = 0
    for (let seed = 1; seed <= 150; seed++) {
      const p = randomKnapsack(seed, 3 + (seed % 7))
      const m = buildModel(p)
      const r = solveKnapsack(p)
      if (m === "infeasible" || !r.package || r.objective === null) continue
      const st = new SearchState(m, identity(m))
      const lag = new Lagrangian(m, lagrangeMultipliers(m, 50), st)
      lag.fix(r.objective - 1e-9) // a package as good as the optimum must survive
      for (const k of r.package) expect(st.fixedOut[k], `seed ${seed}`).toBe(0)
      checked++
    }
    expect(checked).toBeGreaterThan(60)
  })
})

describe("primal heuristics", () => {
  it("return packages that keep every rule, and local search never makes one worse", () => {
    let found = 0
    for (let seed = 1; seed <= 150; seed++) {
      const m = modelOf(seed, 3 + (seed % 9))
      if (!m) continue
      const h = new Heuristics(m, surrogateWeights(m, lagrangeMultipliers(m, 30)))
      const g = h.greedy()
      if (!g) continue
      expect(keepsEveryRule(m, g)).toBe(true)
      const better = h.improve(g)
      expect(keepsEveryRule(m, better)).toBe(true)
      expect(packageValue(m, better)).toBeGreaterThanOrEqual(packageValue(m, g))
      found++
    }
    expect(found).toBeGreaterThan(50)
  })
})

describe("node selection", () => {
  it("hands out the largest bound first and drops what cannot beat a cut", () => {
    const q = new NodeQueue()
    const bounds = [5, 1, 9, 3, 9, 7, 2]
    for (const b of bounds) q.push({ bound: b, path: null })
    q.prune(3)
    const out: number[] = []
    while (q.size) out.push(q.pop()?.bound ?? Number.NaN)
    expect(out).toEqual([9, 9, 7, 5, 3])
    expect(q.topBound).toBe(Number.NEGATIVE_INFINITY)
  })
  it("a path reads back as its decisions from the root", () => {
    const a: Path = { k: 4, depth: 1, parent: null }
    const b: Path = { k: -1, depth: 2, parent: a }
    const c: Path = { k: 7, depth: 3, parent: b }
    expect([...decisions(c)]).toEqual([4, -1, 7])
    expect([...decisions(null)]).toEqual([])
  })
})
