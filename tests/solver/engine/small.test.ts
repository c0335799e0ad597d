import { describe, expect, it } from "vitest"
import { Arena } from "../../../src/solver/engine/arena.ts"
import { solveKnapsack } from "../../../src/solver/engine/index.ts"
import { buildModel, keepsEveryRule, type Model } from "../../../src/solver/engine/model.ts"
import { SMALL_OPTIONS, solveSmall } from "../../../src/solver/engine/small.ts"
import { budgetKnapsack } from "../../support/generate.ts"
import { knapsackLpText, solveLpTextWithHighs } from "../../support/highs.ts"
import { bruteKnapsack, randomKnapsack } from "../../support/knapsack.ts"

const model = (m: Model | "infeasible"): Model => {
  if (m === "infeasible") throw new Error("presolve said infeasible")
  return m
}

describe("the search for small problems", () => {
  it("agrees with enumeration on 300 random knapsacks with every kind of rule, and so does the full search", () => {
    let small = 0
    for (let seed = 1; seed <= 300; seed++) {
      const p = randomKnapsack(seed, 3 + (seed % 8))
      const expected = bruteKnapsack(p)
      const m = buildModel(p)
      const r = m === "infeasible" ? null : solveSmall(m, {}, performance.now())
      if (r) {
        small++
        expect(r.objective, `seed ${seed}`).toBe(expected)
        expect(r.status, `seed ${seed}`).toBe(expected === null ? "infeasible" : "optimal")
        if (r.status === "optimal") expect(r.bound).toBe(r.objective)
        if (r.package) {
          expect(r.package.reduce((s, k) => s + (p.values[k] ?? 0), 0)).toBe(expected)
          const pick = new Int32Array(p.groups).fill(-1)
          for (const k of r.package) pick[p.groupOf[k] ?? 0] = k
          // The search handed its model's arena on: check on a model of its own.
          expect(keepsEveryRule(model(buildModel(p)), pick), `seed ${seed}`).toBe(true)
        }
      }
      // The full search, which small problems no longer reach by default, on the same problems.
      const full = solveKnapsack(p, { smallSearch: false })
      expect(full.objective, `seed ${seed}`).toBe(expected)
    }
    // Every problem presolve leaves open is small here and proven by the small search.
    expect(small).toBeGreaterThan(250)
  })

  it("proves the optimum of budget-like instances of a city's size, as HiGHS does", async () => {
    for (const [seed, limits] of [
      [1, 2],
      [4, 10],
    ] as const) {
      const p = budgetKnapsack(seed, 30, limits)
      const r = solveSmall(model(buildModel(p)), {}, performance.now())
      const h = await solveLpTextWithHighs(knapsackLpText(p), 10)
      expect(h.status).toBe("optimal")
      expect(r?.status, `seed ${seed}`).toBe("optimal")
      expect(r?.objective, `seed ${seed}`).toBe(h.objective)
    }
  })

  it("proves the optimum where options 32 … 63 sit in the second word of its masks, as HiGHS does", async () => {
    let wide = 0
    for (const [seed, n, limits] of [
      [2, 30, 10],
      [2, 35, 10],
      [2, 40, 10],
      [2, 48, 10],
    ] as const) {
      const p = budgetKnapsack(seed, n, limits)
      const m = model(buildModel(p))
      if (m.K <= 32 || m.K > SMALL_OPTIONS) continue
      wide++
      const r = solveSmall(m, {}, performance.now())
      const h = await solveLpTextWithHighs(knapsackLpText(p), 10)
      expect(h.status).toBe("optimal")
      expect(r?.status, `seed ${seed}`).toBe("optimal")
      expect(r?.objective, `seed ${seed}`).toBe(h.objective)
    }
    expect(wide).toBe(4)
  })

  it("proves the optimum of 33-64 options in groups of 1-3, with sparse per-year-like capacities, as HiGHS does", async () => {
    // Segments past the 32nd sit in the second word of a relaxation's masks; rows that weigh few
    // options (as a per-year limit does) give relaxations mostly of weightless segments.
    let wide = 0
    let proven = 0
    for (let seed = 1; seed <= 24; seed++) {
      const base = randomKnapsack(seed, 28 + (seed % 10))
      const K = base.values.length
      if (K <= 32 || K > SMALL_OPTIONS) continue
      wide++
      const rows = [...base.rows]
      for (let y = 0; y < 4; y++) {
        const coefs = (base.rows[0]?.coefs ?? []).map((c, k) => ((k * 7 + y * 3 + seed) % 5 === 0 ? c : 0))
        rows.push({ coefs, max: Math.round(coefs.reduce((a, b) => a + b, 0) * 0.4) })
      }
      const p = { ...base, rows }
      const m = buildModel(p)
      const h = await solveLpTextWithHighs(knapsackLpText(p), 10)
      const r = m === "infeasible" ? null : solveSmall(m, {}, performance.now())
      if (m === "infeasible") expect(h.status, `seed ${seed}`).toBe("infeasible")
      if (!r) continue
      proven++
      expect(r.status, `seed ${seed}`).toBe(h.status === "optimal" ? "optimal" : "infeasible")
      if (h.status === "optimal") expect(r.objective, `seed ${seed}`).toBe(h.objective)
    }
    expect(wide).toBeGreaterThan(10)
    expect(proven).toBeGreaterThan(8)
  })

  it("hands the problem to the full search past its node budget, for a first package, or when asked", () => {
    const p = randomKnapsack(7, 30)
    const m = model(buildModel(p))
    expect(m.K).toBeLessThanOrEqual(SMALL_OPTIONS)
    expect(solveSmall(m, { nodeLimit: 1 }, performance.now())).toBeNull()
    expect(solveSmall(m, { firstFeasible: true }, performance.now())).toBeNull()
    expect(solveSmall(m, { smallSearch: false }, performance.now())).toBeNull()
    const big = model(buildModel(budgetKnapsack(5, 100, 2)))
    expect(solveSmall(big, {}, performance.now())).toBeNull()
    // The full search then answers, as before.
    expect(solveKnapsack(p, { nodeLimit: 1 }).nodes).toBeLessThanOrEqual(1)
  })

  it("gives up when a stop is asked or the time is up instead of answering late", () => {
    const m = model(buildModel(budgetKnapsack(6, 40, 10)))
    const full = solveSmall(m, {}, performance.now())
    // Stops are asked every 256 nodes: this problem takes more.
    expect(full?.nodes).toBeGreaterThan(256)
    let asked = 0
    const stop = () => {
      asked++
      return true
    }
    expect(solveSmall(m, { shouldStop: stop }, performance.now())).toBeNull()
    expect(asked).toBe(1)
    expect(solveSmall(m, { timeLimitMs: 0 }, performance.now() - 1)).toBeNull()
  })
})

describe("Arena", () => {
  it("a model made without one (not by buildModel) gets its own, and is solved the same", () => {
    const p = randomKnapsack(11, 8)
    const { arena: _, ...bare } = model(buildModel(p))
    const r = solveSmall(bare, {}, performance.now())
    expect(r?.objective ?? null).toBe(bruteKnapsack(p))
  })

  it("hands out zeroed, aligned views that do not overlap, and grows past its first buffer", () => {
    const a = new Arena(64)
    const x = a.u8(3)
    const y = a.f64(4)
    const z = a.i32(5)
    const w = a.f64(100) // larger than the buffer: a new one
    for (const v of [x, y, z, w]) expect([...v].every((e) => e === 0)).toBe(true)
    expect(y.byteOffset % 8).toBe(0)
    expect(z.byteOffset % 4).toBe(0)
    x.fill(255)
    y.fill(1.5)
    z.fill(-1)
    w.fill(2)
    expect([...x]).toEqual([255, 255, 255])
    expect([...y]).toEqual([1.5, 1.5, 1.5, 1.5])
    expect([...z]).toEqual([-1, -1, -1, -1, -1])
    expect(w.length).toBe(100)
    expect(w.buffer).not.toBe(y.buffer)
  })

  it("hands its first buffer, zeroed, to the next arena once released, and only then", () => {
    const a = new Arena(256)
    a.f64(4).fill(7)
    const held = new Arena(256)
    expect(held.f64(1).buffer).not.toBe(a.f64(1).buffer)
    a.release()
    const b = new Arena(256)
    const v = b.f64(32)
    expect(v.buffer).toBe(a.f64(0).buffer)
    expect([...v].every((x) => x === 0)).toBe(true)
    // Taken once: the next arena gets a buffer of its own.
    expect(new Arena(256).f64(1).buffer).not.toBe(v.buffer)
  })

  it("hands out only zeroed memory from a larger spare buffer, whose tail the last arena wrote", () => {
    const a = new Arena(1024)
    a.f64(128).fill(3) // all of a's buffer written
    a.release()
    const b = new Arena(512) // takes a's buffer (at most 4 times its size), zeroes its first 512 bytes
    const first = b.f64(64)
    const next = b.f64(64) // past those 512 bytes: must not be a's old numbers
    expect(first.buffer).toBe(a.f64(0).buffer)
    expect([...first, ...next].every((x) => x === 0)).toBe(true)
  })

  it("once grown past its first buffer, hands on one as large as all it used: the next such arena need not grow", () => {
    const use = (a: Arena) => {
      const xs = [a.f64(100), a.i32(300), a.u8(50)]
      for (const x of xs) expect([...x].every((e) => e === 0)).toBe(true)
      for (const x of xs) x.fill(9)
    }
    const a = new Arena(1024)
    use(a)
    expect(a.grown).toBe(true)
    a.release()
    const b = new Arena(1024)
    use(b)
    expect(b.grown).toBe(false)
  })
})
