import type { Model } from "./model.ts"
import { DualSimplex } from "./simplex.ts"
import type { SearchState } from "./state.ts"

/** Largest tableau stack (doubles over every depth) the LP bound may hold: 32 MB. */
const MAX_DOUBLES = 4_000_000
/** Dual pivots a node may take before its bound is read off the basis it reached. */
const PIVOTS = 200

/**
 * The LP relaxation per node, for models with several capacities, where one surrogate
 * constraint is far weaker than the LP: rows are the capacities (normalised to 1) and one
 * "at most one" row per group with two or more options; a node's tableau is its parent's with
 * the group decided at the parent's depth fixed, repaired by a few dual simplex pivots.
 *
 * The bound is not the simplex's objective (which drifts in floating point) but the Lagrangian
 * of the LP's capacity duals y ≥ 0, computed from the model's own numbers:
 * V + Σ_r y_r (1 − W_r / cap_r) + Σ_undecided groups max(0, best v_k − Σ_r y_r w_rk / cap_r).
 * Weak duality makes it a bound for any y ≥ 0, so a wrong pivot can only make it weaker; with
 * the optimal y it equals the LP (the groups' "at most one" has the integrality property).
 */
export class NodeLp {
  private readonly slots: DualSimplex[] = []
  /** Column of each option (−1: banned, not in the LP). */
  private readonly col: Int32Array
  private readonly rows: number
  private readonly cols: number
  /** Per depth d: the multipliers used there (yAt[d * C + r]), the bound, the decided group's term. */
  private readonly yAt: Float64Array
  private readonly boundAt: Float64Array
  private readonly bestAt: Float64Array
  /** Whether the last evaluation ended at an LP optimum whose options are all 0 or 1. */
  integral = false

  constructor(
    private readonly m: Model,
    private readonly st: SearchState,
  ) {
    const { C, G, K } = m
    this.col = new Int32Array(K).fill(-1)
    let n = 0
    for (let g = 0; g < G; g++) for (const k of m.groupOpts[g] ?? []) this.col[k] = n++
    const multi: number[] = []
    for (let g = 0; g < G; g++) if ((m.groupOpts[g]?.length ?? 0) >= 2) multi.push(g)
    const rows = C + multi.length
    this.rows = rows
    this.cols = n
    const A = new Float64Array(rows * n)
    const b = new Float64Array(rows).fill(1)
    const c = new Float64Array(n)
    for (let k = 0; k < K; k++) {
      const j = this.col[k] ?? -1
      if (j < 0) continue
      c[j] = m.value[k] ?? 0
      for (let r = 0; r < C; r++) A[r * n + j] = (m.coef[k * m.R + r] ?? 0) / (m.max[r] ?? 1)
    }
    multi.forEach((g, i) => {
      for (const k of m.groupOpts[g] ?? []) A[(C + i) * n + (this.col[k] ?? 0)] = 1
    })
    const root = new DualSimplex(rows, n, A, b, c)
    root.solve(PIVOTS * 10)
    this.slots.push(root)
    this.yAt = new Float64Array((G + 1) * C)
    this.boundAt = new Float64Array(G + 1)
    this.bestAt = new Float64Array(G + 1)
  }

  /** Whether the LP bound pays for itself here: several capacities, plain rows, a small tableau. */
  static fits(m: Model): boolean {
    if (m.C < 3 || m.R !== m.C || m.links.some((l) => l.length > 0)) return false
    let n = 0
    let multi = 0
    for (const ks of m.groupOpts) {
      n += ks.length
      if (ks.length >= 2) multi++
    }
    const rows = m.C + multi
    return (m.G + 1) * rows * (n + rows) <= MAX_DOUBLES
  }

  private slot(d: number): DualSimplex {
    let s = this.slots[d]
    if (!s) {
      s = new DualSimplex(this.rows, this.cols)
      this.slots[d] = s
    }
    return s
  }

  /** Fix the columns of the group at depth d as the state decided it. */
  private fixGroup(s: DualSimplex, d: number): void {
    const g = this.st.order[d] ?? 0
    const chosen = this.st.pick[g] ?? -1
    for (const k of this.m.groupOpts[g] ?? []) s.fix(this.col[k] ?? 0, k === chosen ? 1 : 0)
  }

  /**
   * The LP bound of the node at `depth` (the state holds its decisions). `fromParent`: the
   * tableau at depth − 1 is this node's parent's; otherwise it is rebuilt from the root's.
   */
  bound(depth: number, fromParent: boolean): number {
    const { m, st } = this
    const s = this.slot(depth)
    if (depth > 0) {
      const root = this.slots[0] as DualSimplex
      if (fromParent) {
        s.copyFrom(this.slot(depth - 1))
        this.fixGroup(s, depth - 1)
      } else {
        s.copyFrom(root)
        for (let d = 0; d < depth; d++) this.fixGroup(s, d)
      }
    }
    const status = s.solve(PIVOTS)
    const { C } = m
    const y = this.yAt.subarray(depth * C, depth * C + C)
    let total = st.V
    for (let r = 0; r < C; r++) {
      y[r] = s.dual(r)
      total += (y[r] ?? 0) * (1 - (st.W[r] ?? 0) / (m.max[r] ?? 1))
    }
    let integral = status === "optimal"
    for (let d = m.G - 1; d >= depth; d--) {
      const g = st.order[d] ?? 0
      const must = m.required[g] || st.mustTake[g]
      let best = must ? Number.NEGATIVE_INFINITY : 0
      for (const k of m.groupOpts[g] ?? []) {
        if (integral) {
          const x = s.value(this.col[k] ?? 0)
          if (x > 1e-9 && x < 1 - 1e-9) integral = false
        }
        if (!st.fitsNow(k)) continue
        const red = this.reduced(k, y)
        if (red > best) best = red
      }
      if (best === Number.NEGATIVE_INFINITY) {
        this.integral = false
        return best
      }
      total += best
      if (d === depth) this.bestAt[depth] = best
    }
    this.integral = integral
    this.boundAt[depth] = total
    return total
  }

  /** v_k − Σ_r y_r w_rk / cap_r. */
  private reduced(k: number, y: Float64Array): number {
    const { m } = this
    let red = m.value[k] ?? 0
    for (let r = 0; r < m.C; r++) red -= (y[r] ?? 0) * ((m.coef[k * m.R + r] ?? 0) / (m.max[r] ?? 1))
    return red
  }

  /**
   * A bound of the child that decides the group at `depth` as option k (−1: none), from this
   * node's multipliers: the node's bound with the group's best term replaced by k's.
   */
  childBound(depth: number, k: number): number {
    const y = this.yAt.subarray(depth * this.m.C, depth * this.m.C + this.m.C)
    return (this.boundAt[depth] ?? 0) - (this.bestAt[depth] ?? 0) + (k >= 0 ? this.reduced(k, y) : 0)
  }

  /** The LP value of option k at the last node evaluated at `depth`. */
  x(depth: number, k: number): number {
    const j = this.col[k] ?? -1
    return j < 0 ? 0 : this.slot(depth).value(j)
  }

  /** The package of the LP solution at `depth` (call when `integral`): decided groups as decided. */
  package(depth: number): Int32Array {
    const { m, st } = this
    const pick = Int32Array.from(st.pick)
    for (let d = depth; d < m.G; d++) {
      const g = st.order[d] ?? 0
      pick[g] = -1
      for (const k of m.groupOpts[g] ?? []) if (this.x(depth, k) > 0.5) pick[g] = k
    }
    return pick
  }
}
