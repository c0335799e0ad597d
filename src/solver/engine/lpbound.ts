import type { Model } from "./model.ts"
import { DualSimplex } from "./simplex.ts"
import type { SearchState } from "./state.ts"

/** Largest tableau stack (doubles over every depth) the LP bound may hold: 32 MB. */
const MAX_DOUBLES = 4_000_000
/** Largest tableau (doubles) worth a node's copy and pivots. */
const MAX_TABLEAU = 100_000
/** Fewest depths with their own tableau for the LP to pay off. */
const MIN_DEPTHS = 20
/** Dual pivots a node may take before its bound is read off the basis it reached. */
const PIVOTS = 200
/** Pivots between two readings of the clock (a pivot of the largest tableau is ~0,1 ms). */
const PIVOTS_PER_CLOCK = 25
/** An LP value further than this from 0 and 1 is fractional. */
const FRACTIONAL = 1e-6

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
  /** Whether the last evaluation solved the node's own LP (not inherited, not an ancestor's). */
  own = false
  /**
   * Deepest depth with its own tableau (the stack's memory is capped); deeper nodes inherit
   * the multipliers of their parent, and their bound is the parent's child bound.
   */
  readonly lastDepth: number

  /** `depths`: at most this many depths below the root get their own tableau (default: what the memory cap allows). */
  constructor(
    private readonly m: Model,
    private readonly st: SearchState,
    depths = Number.POSITIVE_INFINITY,
    /** Whether the caller's time is up: a solve stops at the basis it reached (its duals still bound). */
    private readonly late: () => boolean = () => false,
  ) {
    const { C, G, K } = m
    this.col = new Int32Array(K).fill(-1)
    let n = 0
    for (let g = 0; g < G; g++)
      for (let o = m.optFrom[g] ?? 0; o < (m.optFrom[g + 1] ?? 0); o++) {
        const k = m.opts[o] ?? 0
        this.col[k] = n++
      }
    const multi: number[] = []
    for (let g = 0; g < G; g++) if ((m.optFrom[g + 1] ?? 0) - (m.optFrom[g] ?? 0) >= 2) multi.push(g)
    const rows = C + multi.length
    this.rows = rows
    this.cols = n
    this.lastDepth = Math.min(G, depths, Math.floor(MAX_DOUBLES / (rows * (n + rows))) - 1)
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
      for (let o = m.optFrom[g] ?? 0; o < (m.optFrom[g + 1] ?? 0); o++) {
        const k = m.opts[o] ?? 0
        A[(C + i) * n + (this.col[k] ?? 0)] = 1
      }
    })
    const root = new DualSimplex(rows, n, A, b, c)
    this.slots.push(root)
    this.pivot(root, PIVOTS * 10)
    this.yAt = new Float64Array((G + 1) * C)
    this.boundAt = new Float64Array(G + 1)
    this.bestAt = new Float64Array(G + 1)
  }

  /** Whether the LP bound pays for itself here: several capacities, plain rows, a small tableau. */
  static fits(m: Model): boolean {
    if (m.C < 3 || m.R !== m.C || m.links.some((l) => l.length > 0)) return false
    let n = 0
    let multi = 0
    for (let g = 0; g < m.G; g++) {
      const count = (m.optFrom[g + 1] ?? 0) - (m.optFrom[g] ?? 0)
      n += count
      if (count >= 2) multi++
    }
    const size = (m.C + multi) * (n + m.C + multi)
    return size <= MAX_TABLEAU && MAX_DOUBLES / size - 1 >= Math.min(m.G, MIN_DEPTHS)
  }

  /** At most `max` dual pivots on `s`, the clock read between every PIVOTS_PER_CLOCK. */
  private pivot(s: DualSimplex, max: number): ReturnType<DualSimplex["solve"]> {
    for (let done = 0; ; done += PIVOTS_PER_CLOCK) {
      const status = s.solve(Math.min(PIVOTS_PER_CLOCK, max - done))
      if (status !== "limit" || done + PIVOTS_PER_CLOCK >= max || this.late()) return status
    }
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
    for (let o = this.m.optFrom[g] ?? 0; o < (this.m.optFrom[g + 1] ?? 0); o++) {
      const k = this.m.opts[o] ?? 0
      s.fix(this.col[k] ?? 0, k === chosen ? 1 : 0)
    }
  }

  /**
   * The LP bound of the node at `depth` (the state holds its decisions). `fromParent`: the
   * tableau at depth − 1 is this node's parent's; otherwise it is rebuilt from the root's.
   */
  bound(depth: number, fromParent: boolean): number {
    const { m, st } = this
    if (depth > this.lastDepth && fromParent) return this.inherit(depth)
    // Below the last tableau, the LP of the ancestor there gives the multipliers.
    const at = Math.min(depth, this.lastDepth)
    const s = this.slot(at)
    if (at > 0) {
      const root = this.slots[0] as DualSimplex
      if (fromParent) {
        const parent = this.slot(depth - 1)
        const agrees = this.agrees(parent, depth - 1)
        s.copyFrom(parent)
        this.fixGroup(s, depth - 1)
        // The parent's LP optimum decided this group as the node does: it is this node's
        // optimum too, with the same duals, and the bound is the parent's child bound.
        if (agrees) return this.inherit(depth)
      } else {
        s.copyFrom(root)
        for (let d = 0; d < at; d++) this.fixGroup(s, d)
      }
    }
    const status = this.pivot(s, PIVOTS)
    const { C } = m
    const y = this.yAt.subarray(depth * C, depth * C + C)
    let total = st.V
    for (let r = 0; r < C; r++) {
      y[r] = s.dual(r)
      total += (y[r] ?? 0) * (1 - (st.W[r] ?? 0) / (m.max[r] ?? 1))
    }
    this.own = at === depth
    let integral = status === "optimal" && this.own
    for (let d = m.G - 1; d >= depth; d--) {
      const g = st.order[d] ?? 0
      const must = m.required[g] || st.mustTake[g]
      let best = must ? Number.NEGATIVE_INFINITY : 0
      for (let o = m.optFrom[g] ?? 0; o < (m.optFrom[g + 1] ?? 0); o++) {
        const k = m.opts[o] ?? 0
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

  /** Whether the LP solution in `s` takes exactly the option the state chose for the group at depth d. */
  private agrees(s: DualSimplex, d: number): boolean {
    const g = this.st.order[d] ?? 0
    const chosen = this.st.pick[g] ?? -1
    for (let o = this.m.optFrom[g] ?? 0; o < (this.m.optFrom[g + 1] ?? 0); o++) {
      const k = this.m.opts[o] ?? 0
      const x = s.value(this.col[k] ?? 0)
      if (k === chosen ? x < 1 - 1e-9 : x > 1e-9) return false
    }
    return true
  }

  /** The bound of a node whose LP optimum is its parent's: the parent's multipliers and child bound. */
  private inherit(depth: number): number {
    const { m, st } = this
    const C = m.C
    const k = st.pick[st.order[depth - 1] ?? 0] ?? -1
    const total = this.childBound(depth - 1, k)
    const y = this.yAt.subarray(depth * C, depth * C + C)
    y.set(this.yAt.subarray((depth - 1) * C, depth * C))
    const g = st.order[depth] ?? 0
    let best = m.required[g] || st.mustTake[g] ? Number.NEGATIVE_INFINITY : 0
    for (let o = m.optFrom[g] ?? 0; o < (m.optFrom[g + 1] ?? 0); o++) {
      const j = m.opts[o] ?? 0
      if (st.fitsNow(j)) best = Math.max(best, this.reduced(j, y))
    }
    this.integral = false
    this.own = false
    if (best === Number.NEGATIVE_INFINITY) return best
    this.bestAt[depth] = best
    this.boundAt[depth] = total
    return total
  }

  /**
   * Every option's reduced value at the root LP's duals (v_k − Σ_r y_r w_rk / cap_r): the LP's
   * own measure of how sure it is of each choice, for core problems (0 on the LP's basic options).
   */
  rootReduced(): Float64Array {
    const { m } = this
    const y = this.rootDuals()
    const out = new Float64Array(m.K)
    for (let k = 0; k < m.K; k++) out[k] = this.reduced(k, y)
    return out
  }

  /** The root LP's duals of the capacities (normalised to 1). */
  rootDuals(): Float64Array {
    const root = this.slots[0] as DualSimplex
    return Float64Array.from({ length: this.m.C }, (_, r) => root.dual(r))
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

  /** The LP value of option k at the last node evaluated at `depth` (at most `lastDepth`). */
  x(depth: number, k: number): number {
    const j = this.col[k] ?? -1
    return j < 0 ? 0 : this.slot(depth).value(j)
  }

  /**
   * The groups where the LP solution at `depth` (call when `own`) and `pick` disagree: the LP
   * takes an option fractionally, or its rounding (`package`) differs from `pick`.
   */
  disagreement(depth: number, pick: Int32Array): Int32Array {
    const { m } = this
    const rounded = this.package(depth)
    const out: number[] = []
    for (let g = 0; g < m.G; g++) {
      let differs = rounded[g] !== pick[g]
      for (let o = m.optFrom[g] ?? 0; o < (m.optFrom[g + 1] ?? 0) && !differs; o++) {
        const x = this.x(depth, m.opts[o] ?? 0)
        differs = x > FRACTIONAL && x < 1 - FRACTIONAL
      }
      if (differs) out.push(g)
    }
    return Int32Array.from(out)
  }

  /**
   * The LP solution at `depth` rounded (call when `own`): decided groups as decided, the others
   * take the option above one half, if any. A package when `integral`; else a start for repair.
   */
  package(depth: number): Int32Array {
    const { m, st } = this
    const pick = Int32Array.from(st.pick)
    for (let d = depth; d < m.G; d++) {
      const g = st.order[d] ?? 0
      pick[g] = -1
      for (let o = m.optFrom[g] ?? 0; o < (m.optFrom[g + 1] ?? 0); o++) {
        const k = m.opts[o] ?? 0
        if (this.x(depth, k) > 0.5) pick[g] = k
      }
    }
    return pick
  }
}
