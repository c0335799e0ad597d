import { hullSegments } from "./hull.ts"
import { arenaOf, groupOptions, type Model } from "./model.ts"
import type { SearchState } from "./state.ts"

/**
 * Upper bounds. The capacities are relaxed with Lagrange multipliers u ≥ 0 (one per capacity,
 * on the capacity normalised to 1): for any u the Lagrangian L(u) = Σ u + Σ_groups max(0, best
 * reduced value) is a bound, and so is the LP of the surrogate knapsack Σ u_r w_r / cap_r ≤ Σ u_r.
 * Both are computed per node from the current row sums; neither relaxes the integrality of the
 * decided part.
 */

/** Normalised weight of option k in capacity r: its coefficient over the capacity. */
const normalised = (m: Model, k: number, r: number): number => {
  const cap = m.max[r] ?? 0
  const w = m.coef[k * m.R + r] ?? 0
  return cap > 0 ? w / cap : 0
}

/** The Lagrangian relaxation for one set of multipliers: reduced values and per-group best. */
export class Lagrangian {
  /** Reduced value of each option: value − Σ u_r w_r / cap_r. */
  readonly red: Float64Array
  /** Per depth d, Σ over groups at depth ≥ d of their best reduced value (0 when none may be taken). */
  readonly sufBest: Float64Array
  private readonly best: Float64Array

  constructor(
    private readonly m: Model,
    readonly u: Float64Array,
    private readonly st: SearchState,
  ) {
    const { K, C } = m
    this.red = new Float64Array(K)
    for (let k = 0; k < K; k++) {
      let s = 0
      for (let r = 0; r < C; r++) s += (u[r] ?? 0) * normalised(m, k, r)
      this.red[k] = (m.value[k] ?? 0) - s
    }
    this.best = new Float64Array(m.G)
    this.sufBest = new Float64Array(m.G + 1)
    this.refresh()
  }

  /** Recompute the per-group best after options were fixed out. */
  refresh(): void {
    const { m, st } = this
    for (let g = 0; g < m.G; g++) {
      const must = m.required[g] || st.mustTake[g]
      let b = must ? Number.NEGATIVE_INFINITY : 0
      for (let o = m.optFrom[g] ?? 0; o < (m.optFrom[g + 1] ?? 0); o++) {
        const k = m.opts[o] ?? 0
        if (!st.fixedOut[k] && (this.red[k] ?? 0) > b) b = this.red[k] ?? 0
      }
      this.best[g] = Number.isFinite(b) ? b : 0
    }
    for (let d = m.G - 1; d >= 0; d--)
      this.sufBest[d] = (this.sufBest[d + 1] ?? 0) + (this.best[st.order[d] ?? 0] ?? 0)
  }

  /** Σ u_r (1 − W_r / cap_r): the multipliers' share of the capacity left. */
  slack(W: Float64Array): number {
    let s = 0
    for (let r = 0; r < this.m.C; r++) {
      const cap = this.m.max[r] ?? 0
      s += (this.u[r] ?? 0) * (cap > 0 ? 1 - (W[r] ?? 0) / cap : 0)
    }
    return s
  }

  /** The bound at depth d: the decided value plus the Lagrangian of the rest. */
  bound(d: number): number {
    return this.st.V + this.slack(this.st.W) + (this.sufBest[d] ?? 0)
  }

  /** The bound of the child that decides the group at depth d as option k (−1: none). */
  childBound(d: number, k: number, nodeSlack: number): number {
    return this.st.V + nodeSlack + (this.sufBest[d + 1] ?? 0) + (k >= 0 ? (this.red[k] ?? 0) : 0)
  }

  /**
   * Reduced-cost fixing at the root: an option whose forcing in drops the Lagrangian bound below
   * `cut` (the value a better package must reach) is in no better package; a group whose leaving
   * out does so must take an option. Returns how many options or groups were newly fixed.
   */
  fix(cut: number): number {
    const { m, st } = this
    const L = this.slack(new Float64Array(m.R)) + (this.sufBest[0] ?? 0)
    let fixed = 0
    for (let g = 0; g < m.G; g++) {
      const b = this.best[g] ?? 0
      for (let o = m.optFrom[g] ?? 0; o < (m.optFrom[g + 1] ?? 0); o++) {
        const k = m.opts[o] ?? 0
        if (!st.fixedOut[k] && L - b + (this.red[k] ?? 0) < cut) {
          st.fixedOut[k] = 1
          fixed++
        }
      }
      if (!m.required[g] && !st.mustTake[g] && L - b < cut) {
        st.mustTake[g] = 1
        fixed++
      }
    }
    if (fixed) this.refresh()
    return fixed
  }
}

/**
 * Subgradient search for multipliers that make the Lagrangian small (any u ≥ 0 is valid; better
 * u give tighter bounds). `onSolution` sees the Lagrangian's package of each iteration (the best
 * option per group by reduced value), from which a heuristic can build a feasible package.
 */
export const lagrangeMultipliers = (
  m: Model,
  iterations: number,
  onSolution?: (pick: Int32Array, it: number) => void,
  /** Whether the caller's time is up: the search stops with the best multipliers so far. */
  late?: () => boolean,
): Float64Array => {
  const { C, G, K, value, opts, optFrom, required } = m
  if (C === 0) return new Float64Array(0)
  // Scratch from the solve's arena: on a city's round this runs on every solve, and five
  // typed arrays of their own cost about as much as the iterations.
  const a = arenaOf(m)
  // Each option's normalised weights as a sparse row (its capacity and weight, the zeros left
  // out: a per-year limit weighs only the options that pay in that year, and a zero adds nothing).
  const from = a.i32(K + 1)
  const nzRow = a.i32(K * C)
  const wn = a.f64(K * C)
  let nz = 0
  for (let k = 0; k < K; k++) {
    from[k] = nz
    for (let r = 0; r < C; r++) {
      const x = normalised(m, k, r)
      if (x === 0) continue
      nzRow[nz] = r
      wn[nz++] = x
    }
  }
  from[K] = nz
  let maxV = 1
  for (let k = 0; k < K; k++) maxV = Math.max(maxV, Math.abs(value[k] ?? 0))
  const u = a.f64(C).fill(maxV / Math.max(1, G))
  const bestU = a.f64(C)
  bestU.set(u)
  let bestL = Number.POSITIVE_INFINITY
  let step = 2
  let since = 0
  const grad = a.f64(C)
  const pick = a.i32(G)
  for (let it = 0; it < iterations; it++) {
    let L = 0
    grad.fill(1)
    for (let r = 0; r < C; r++) L += u[r] ?? 0
    for (let g = 0; g < G; g++) {
      let bv = required[g] ? Number.NEGATIVE_INFINITY : 0
      let bk = -1
      for (let i = optFrom[g] ?? 0; i < (optFrom[g + 1] ?? 0); i++) {
        const k = opts[i] ?? 0
        let red = value[k] ?? 0
        const end = from[k + 1] ?? 0
        for (let j = from[k] ?? 0; j < end; j++) red -= (u[nzRow[j] ?? 0] ?? 0) * (wn[j] ?? 0)
        if (red > bv) {
          bv = red
          bk = k
        }
      }
      pick[g] = bk
      if (bk >= 0) {
        L += bv
        const end = from[bk + 1] ?? 0
        for (let j = from[bk] ?? 0; j < end; j++) {
          const r = nzRow[j] ?? 0
          grad[r] = (grad[r] ?? 0) - (wn[j] ?? 0)
        }
      }
    }
    onSolution?.(pick, it)
    if (L < bestL - 1e-9 * Math.max(1, Math.abs(L))) {
      bestL = L
      bestU.set(u)
      since = 0
    } else if (++since >= 6) {
      step /= 2
      since = 0
      u.set(bestU)
    }
    let g2 = 0
    for (let r = 0; r < C; r++) g2 += (grad[r] ?? 0) * (grad[r] ?? 0)
    if (g2 < 1e-18 || step < 1e-4 || late?.()) break
    const t = (step * Math.max(bestL * 0.02, 1e-6)) / g2
    for (let r = 0; r < C; r++) u[r] = Math.max(0, (u[r] ?? 0) - t * (grad[r] ?? 0))
  }
  return bestU
}

/**
 * Surrogate weight of each option: Σ u_r w_r / cap_r (the capacity of the surrogate is Σ u_r);
 * written to `out` when given (of length K: the small search passes one from its arena).
 */
export const surrogateWeights = (
  m: Model,
  u: Float64Array,
  out: Float64Array = new Float64Array(m.K),
): Float64Array => {
  for (let k = 0; k < m.K; k++) {
    let s = 0
    for (let r = 0; r < m.C; r++) s += (u[r] ?? 0) * normalised(m, k, r)
    out[k] = s
  }
  return out
}

/**
 * The LP bound of a single-constraint multiple-choice knapsack over the undecided groups: each
 * group's hull segments, all sorted by efficiency and taken greedily (Dantzig), sharpened the way
 * Martello and Toth sharpen it. The one bound routine of the engine: used for the surrogate
 * constraint and for each capacity on its own.
 */
export class HullBound {
  private readonly segDepth: Int32Array
  private readonly segDw: Float64Array
  private readonly segDv: Float64Array
  private readonly segFree: Uint8Array
  /** The only option left in the group at depth d, or −1. */
  private readonly single: Int32Array

  /** `weight[k]`: the option's weight in this knapsack. Options fixed out are left out. */
  constructor(
    m: Model,
    private readonly st: SearchState,
    weight: Float64Array,
  ) {
    const all: { depth: number; dw: number; dv: number; free: boolean }[] = []
    this.single = new Int32Array(m.G).fill(-1)
    st.order.forEach((g, d) => {
      const ks = Array.from(groupOptions(m, g)).filter((k) => !st.fixedOut[k])
      const one = ks.length === 1 ? (ks[0] ?? -1) : -1
      if (one >= 0) {
        this.single[d] = one
        const w = weight[one] ?? 0
        const v = m.value[one] ?? 0
        if (v > 0 && Number.isFinite(w)) all.push({ depth: d, dw: Math.max(0, w), dv: v, free: w <= 0 })
        return
      }
      const pts = ks.map((k) => ({ w: weight[k] ?? 0, v: m.value[k] ?? 0 }))
      for (const s of hullSegments(pts)) all.push({ depth: d, ...s })
    })
    all.sort((a, b) => (a.free === b.free ? b.dv * a.dw - a.dv * b.dw : a.free ? -1 : 1))
    this.segDepth = Int32Array.from(all, (s) => s.depth)
    this.segDw = Float64Array.from(all, (s) => s.dw)
    this.segDv = Float64Array.from(all, (s) => s.dv)
    this.segFree = Uint8Array.from(all, (s) => (s.free ? 1 : 0))
  }

  /** Whether the group at depth d can still take an option at this node. */
  private open(d: number): boolean {
    const one = this.single[d] ?? -1
    return one >= 0 ? this.st.fitsNow(one) : this.st.groupFits(this.st.order[d] ?? 0)
  }

  /** The bound on what the groups at depth ≥ `depth` can add within `capacity`. */
  bound(depth: number, capacity: number): number {
    let cap = Math.max(0, capacity)
    let add = 0
    let lastEff = -1
    const S = this.segDepth.length
    for (let i = 0; i < S; i++) {
      const d = this.segDepth[i] ?? 0
      if (d < depth || !this.open(d)) continue
      const dv = this.segDv[i] ?? 0
      if (this.segFree[i]) {
        add += dv
        continue
      }
      const dw = this.segDw[i] ?? 0
      if (dw <= cap) {
        cap -= dw
        add += dv
        lastEff = dv / dw
        continue
      }
      // The critical segment. When it is a whole option (its group has one), the optimum either
      // leaves it out (the LP of the rest) or takes it whole, paid for by giving up the least
      // efficient part of what was taken; the larger of the two is a valid bound.
      if ((this.single[d] ?? -1) < 0) return add + (dv * cap) / dw
      const takeIt = lastEff >= 0 ? add + dv - (dw - cap) * lastEff : Number.NEGATIVE_INFINITY
      return Math.max(takeIt, add + this.greedyFrom(i + 1, depth, cap))
    }
    return add
  }

  private greedyFrom(start: number, depth: number, capIn: number): number {
    let cap = capIn
    let add = 0
    const S = this.segDepth.length
    for (let i = start; i < S; i++) {
      const d = this.segDepth[i] ?? 0
      if (d < depth || this.segFree[i] || !this.open(d)) continue
      const dv = this.segDv[i] ?? 0
      const dw = this.segDw[i] ?? 0
      if (dw <= cap) {
        cap -= dw
        add += dv
      } else return add + (dv * cap) / dw
    }
    return add
  }
}

/** The weights of capacity r, one per option. */
export const capacityWeights = (m: Model, r: number): Float64Array => {
  const out = new Float64Array(m.K)
  for (let k = 0; k < m.K; k++) out[k] = m.coef[k * m.R + r] ?? 0
  return out
}

/**
 * The best scaling λ of the multipliers along their own direction: L(λu) is convex in λ, and its
 * minimum is the surrogate constraint's LP bound (LP duality for one constraint), never above
 * L(u). Found by golden-section search; `weight` are the surrogate weights of u.
 */
export const bestScale = (m: Model, weight: Float64Array, u: Float64Array): number => {
  let uSum = 0
  for (const x of u) uSum += x
  const L = (lambda: number) => {
    let s = lambda * uSum
    for (let g = 0; g < m.G; g++) {
      let b = m.required[g] ? Number.NEGATIVE_INFINITY : 0
      for (let o = m.optFrom[g] ?? 0; o < (m.optFrom[g + 1] ?? 0); o++) {
        const k = m.opts[o] ?? 0
        b = Math.max(b, (m.value[k] ?? 0) - lambda * (weight[k] ?? 0))
      }
      s += Number.isFinite(b) ? b : 0
    }
    return s
  }
  let lo = 0
  let hi = 4
  const phi = (Math.sqrt(5) - 1) / 2
  let a = hi - phi * (hi - lo)
  let b = lo + phi * (hi - lo)
  let fa = L(a)
  let fb = L(b)
  for (let i = 0; i < 40; i++) {
    if (fa <= fb) {
      hi = b
      b = a
      fb = fa
      a = hi - phi * (hi - lo)
      fa = L(a)
    } else {
      lo = a
      a = b
      fa = fb
      b = lo + phi * (hi - lo)
      fb = L(b)
    }
  }
  const best = (lo + hi) / 2
  return L(best) < L(1) ? best : 1
}
