import { describe, expect, it } from "vitest"
import { buildModel, keepsEveryRule, type Model } from "../../../src/solver/engine/model.ts"
import type { Knapsack } from "../../../src/solver/engine/problem.ts"
import { solveSingle } from "../../../src/solver/engine/single.ts"
import { rng } from "../../support/generate.ts"
import { knapsackLpText, solveLpTextWithHighs } from "../../support/highs.ts"
import { bruteKnapsack } from "../../support/knapsack.ts"

const model = (p: Knapsack): Model => {
  const m = buildModel(p)
  if (m === "infeasible") throw new Error("presolve said infeasible")
  return m
}

/** One group per option, one capacity. */
const plain = (values: number[], weights: number[], max: number): Knapsack => ({
  groups: values.length,
  groupOf: values.map((_, k) => k),
  values,
  rows: [{ coefs: weights, max }],
})

/** A random plain 0-1 knapsack: some options weightless, some worthless, the capacity a share of the total. */
const randomPlain = (seed: number, n: number): Knapsack => {
  const r = rng(seed)
  const values = Array.from({ length: n }, () => (r.chance(0.1) ? r.int(-20, 0) : r.int(1, 100_000)))
  const weights = Array.from({ length: n }, () => (r.chance(0.1) ? 0 : r.int(1, 100_000)))
  const total = weights.reduce((s, w) => s + w, 0)
  return plain(values, weights, Math.round(total * (0.1 + 0.85 * r.next())))
}

/** The answer of the path, and that its package keeps the rules and is worth its objective. */
const solved = (p: Knapsack) => {
  const r = solveSingle(model(p), {}, performance.now())
  if (!r) throw new Error("the plain 0-1 path did not answer")
  expect(r.status).toBe("optimal")
  expect(r.bound).toBe(r.objective)
  const pkg = r.package ?? []
  expect(pkg.reduce((s, k) => s + (p.values[k] ?? 0), 0)).toBe(r.objective)
  const pick = new Int32Array(p.groups).fill(-1)
  for (const k of pkg) pick[p.groupOf[k] ?? 0] = k
  expect(keepsEveryRule(model(p), pick)).toBe(true)
  expect(r.rootBound).toBeGreaterThanOrEqual(r.objective ?? 0)
  return r
}

describe("the search for plain 0-1 knapsacks", () => {
  it("leaves out one option where taking every option breaks the capacity by 1", () => {
    const r = solved(plain([10, 9, 8], [5, 5, 5], 14))
    expect(r.package).toEqual([0, 1])
    expect(r.objective).toBe(19)
  })

  it("does better than the greedy package by efficiency", () => {
    // Greedy takes option 0 (7 / 6) and then nothing fits; options 1 and 2 together are worth 10.
    const r = solved(plain([7, 5, 5], [6, 5, 5], 10))
    expect(r.package).toEqual([1, 2])
    expect(r.objective).toBe(10)
  })

  it("takes weightless options and leaves worthless ones", () => {
    const r = solved(plain([4, 0, -3, 6], [0, 1, 1, 7], 6))
    expect(r.package).toEqual([0])
  })

  it("agrees with enumeration on 300 random plain knapsacks", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const p = randomPlain(seed, 2 + (seed % 13))
      expect(solved(p).objective, `seed ${seed}`).toBe(bruteKnapsack(p))
    }
  })

  it("proves the optimum of city-sized plain knapsacks, as HiGHS does", async () => {
    for (const [seed, n] of [
      [1, 28],
      [2, 40],
      [3, 64],
    ] as const) {
      const p = randomPlain(seed, n)
      const h = await solveLpTextWithHighs(knapsackLpText(p), 10)
      expect(h.status).toBe("optimal")
      expect(solved(p).objective, `seed ${seed}`).toBe(h.objective)
    }
  })

  it("hands on every other problem: two binding capacities, a group that must take one, a link, a group of two", () => {
    const base = plain([10, 9, 8], [5, 5, 5], 14)
    const others: Knapsack[] = [
      { ...base, rows: [...base.rows, { coefs: [5, 1, 5], max: 9 }] },
      { ...base, required: [false, true, false] },
      { ...base, links: [{ kind: "excludes", a: 0, b: 1 }] },
      { ...base, groups: 2, groupOf: [0, 0, 1] },
    ]
    for (const p of others) expect(solveSingle(model(p), {}, performance.now())).toBeUndefined()
  })

  it("stops at its node budget without an answer", () => {
    const p = randomPlain(7, 40)
    expect(solveSingle(model(p), { nodeLimit: 3 }, performance.now())).toBeNull()
  })
})
