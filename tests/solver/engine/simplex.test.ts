import lpSolverModule, { type Model, type SolveResult } from "javascript-lp-solver"
import { describe, expect, it } from "vitest"
import { DualSimplex } from "../../../src/solver/engine/simplex.ts"
import { budgetKnapsack, rng } from "../../support/generate.ts"

const lpSolver = lpSolverModule as unknown as { Solve(model: Model): SolveResult }

/** A random LP max c·x, A x ≤ b, 0 ≤ x ≤ 1 with A ≥ 0, b ≥ 0 (so x = 0 is feasible). */
const randomLp = (seed: number) => {
  const r = rng(seed)
  const m = r.int(1, 6)
  const n = r.int(1, 14)
  const A = Array.from({ length: m * n }, () => (r.chance(0.8) ? r.int(0, 20) : 0))
  const b = Array.from({ length: m }, () => r.int(0, 40))
  const c = Array.from({ length: n }, () => r.int(-5, 30))
  return { m, n, A, b, c }
}

/** The same LP solved by javascript-lp-solver: the independent optimum. */
const reference = ({ m, n, A, b, c }: ReturnType<typeof randomLp>, fixed: Map<number, number>): number => {
  const constraints: Model["constraints"] = {}
  const variables: Record<string, Record<string, number>> = {}
  for (let i = 0; i < m; i++) constraints[`r${i}`] = { max: b[i] ?? 0 }
  for (let j = 0; j < n; j++) {
    const col: Record<string, number> = { obj: c[j] ?? 0, [`ub${j}`]: 1 }
    // javascript-lp-solver misreads explicit zero coefficients: leave them out.
    for (let i = 0; i < m; i++) if (A[i * n + j]) col[`r${i}`] = A[i * n + j] ?? 0
    variables[`x${j}`] = col
    const f = fixed.get(j)
    constraints[`ub${j}`] = f === undefined ? { max: 1 } : { equal: f }
  }
  const res = lpSolver.Solve({ optimize: "obj", opType: "max", constraints, variables })
  return res.feasible ? Number(res.result) : Number.NEGATIVE_INFINITY
}

describe("dual simplex", () => {
  it("finds the LP optimum of random LPs, and again after fixing columns from the parent's basis", () => {
    let warm = 0
    for (let seed = 1; seed <= 200; seed++) {
      const lp = randomLp(seed)
      const root = new DualSimplex(lp.m, lp.n, lp.A, lp.b, lp.c)
      expect(root.solve(500), `seed ${seed}`).toBe("optimal")
      expect(root.z, `seed ${seed}`).toBeCloseTo(reference(lp, new Map()), 6)
      // A child: fix two columns, as a branch and bound node does, and repair with dual pivots.
      const child = new DualSimplex(lp.m, lp.n)
      child.copyFrom(root)
      const fixed = new Map([
        [seed % lp.n, 1],
        [(seed * 7) % lp.n, 0],
      ])
      for (const [j, v] of fixed) child.fix(j, v)
      const expected = reference(lp, fixed)
      const status = child.solve(500)
      if (expected === Number.NEGATIVE_INFINITY) expect(status, `seed ${seed}`).toBe("infeasible")
      else {
        expect(status, `seed ${seed}`).toBe("optimal")
        expect(child.z, `seed ${seed}`).toBeCloseTo(expected, 6)
        warm++
      }
    }
    expect(warm).toBeGreaterThan(100)
  })

  it("its duals are valid multipliers: y·b + Σ max(0, c − yA) equals the optimum", () => {
    for (let seed = 1; seed <= 100; seed++) {
      const lp = randomLp(seed)
      const s = new DualSimplex(lp.m, lp.n, lp.A, lp.b, lp.c)
      s.solve(500)
      let bound = 0
      for (let i = 0; i < lp.m; i++) bound += s.dual(i) * (lp.b[i] ?? 0)
      for (let j = 0; j < lp.n; j++) {
        let red = lp.c[j] ?? 0
        for (let i = 0; i < lp.m; i++) red -= s.dual(i) * (lp.A[i * lp.n + j] ?? 0)
        bound += Math.max(0, red)
      }
      expect(bound, `seed ${seed}`).toBeCloseTo(s.z, 6)
    }
  })

  it("along long dives on a 10-capacity knapsack LP, every re-solve that says optimal is: its duals' Lagrangian, from the LP's own numbers, equals its objective and its package keeps every row", () => {
    // The LP the node bound solves: capacities normalised to 1, an "at most one" row per group of two or more options.
    const p = budgetKnapsack(31, 120, 10)
    const n = p.values.length
    const multi = Array.from({ length: p.groups }, (_, g) => g).filter(
      (g) => p.groupOf.filter((x) => x === g).length >= 2,
    )
    const m = p.rows.length + multi.length
    const A = new Float64Array(m * n)
    p.rows.forEach((row, i) => {
      for (let j = 0; j < n; j++) A[i * n + j] = (row.coefs[j] ?? 0) / (row.max ?? 1)
    })
    multi.forEach((g, i) => {
      for (let j = 0; j < n; j++) if (p.groupOf[j] === g) A[(p.rows.length + i) * n + j] = 1
    })
    const b = new Float64Array(m).fill(1)
    const root = new DualSimplex(m, n, A, b, p.values)
    expect(root.solve(5000)).toBe("optimal")
    const r = rng(5)
    let checked = 0
    for (let dive = 0; dive < 30; dive++) {
      const s = new DualSimplex(m, n)
      s.copyFrom(root)
      for (let step = 0; step < 200; step++) {
        const open: number[] = []
        for (let j = 0; j < n; j++)
          if (s.lo[j] !== s.hi[j] && s.value(j) > 1e-9 && s.value(j) < 1 - 1e-9) open.push(j)
        const j = open[r.int(0, open.length - 1)]
        if (j === undefined) break
        // Mostly as the LP rounds, now and then against it (a branch and bound's other child).
        const up = s.value(j) > 0.5 !== r.chance(0.2)
        s.fix(j, up ? 1 : 0)
        const status = s.solve(1000)
        if (status === "infeasible") break
        expect(status).toBe("optimal")
        let lagrangian = 0
        for (let i = 0; i < m; i++) lagrangian += s.dual(i) * (b[i] ?? 0)
        let cx = 0
        for (let k = 0; k < n; k++) {
          let red = p.values[k] ?? 0
          for (let i = 0; i < m; i++) red -= s.dual(i) * (A[i * n + k] ?? 0)
          lagrangian += s.lo[k] === s.hi[k] ? (s.lo[k] ?? 0) * red : Math.max(0, red)
          cx += (p.values[k] ?? 0) * s.value(k)
        }
        for (let i = 0; i < m; i++) {
          let use = 0
          for (let k = 0; k < n; k++) use += (A[i * n + k] ?? 0) * s.value(k)
          expect(use).toBeLessThanOrEqual(1 + 1e-7)
        }
        // Weak duality: the Lagrangian is at least the LP optimum, which is at least c·x of a
        // package that keeps every row; equal, both are the optimum.
        expect(Math.abs(lagrangian - cx)).toBeLessThan(1e-6 * Math.max(1, cx))
        expect(Math.abs(s.z - cx)).toBeLessThan(1e-6 * Math.max(1, cx))
        checked++
      }
    }
    expect(checked).toBeGreaterThan(300)
  })
})
