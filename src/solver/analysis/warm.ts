import { keepsRules } from "../check.ts"
import type { Problem } from "../compile.ts"

/**
 * An exact re-solver for many solves of one problem with other values or other maxima of its
 * capacity rules (a Monte Carlo, a frontier, a threshold walk): what does not change is prepared
 * once, and a solve can start from a known feasible package (the nominal optimum, or the
 * optimum of a nearby solve shrunk to fit), so it only has to prove it or find a better one. Depth-first branch-and-bound with the
 * smallest of two valid upper bounds at each node: the fractional knapsack of each capacity rule
 * on its own and of their surrogate (sum of each rule's weight over its capacity), both with the
 * groups' "one option" relaxed. Other rules and dependencies are checked at the leaves, so the
 * result is exact for any problem; it is fast when the capacity rules are what binds.
 *
 * This is the interim warm re-solve of the analysis adapter (resolve.ts); the engine's own warm
 * API replaces it there when it lands.
 */
export const prepareWarm = (problem: Problem, maxNodes = 200_000) => {
  const groups = problem.groups
  const G = groups.length
  const caps = problem.constraints.filter(
    (c) => c.max !== undefined && c.min === undefined && c.coefs.every((row) => row.every((x) => x >= 0)),
  )
  const others = problem.constraints.filter((c) => !caps.includes(c))
  const R = caps.length
  const capOf = Float64Array.from(caps, (c) => c.max ?? 0)
  const nominalCap = Float64Array.from(capOf)
  // Flat options: k → (group, option index); weights row-major [k * R + r].
  const kGroup: number[] = []
  const kOption: number[] = []
  groups.forEach((g, gi) => {
    g.options.forEach((_, oi) => {
      kGroup.push(gi)
      kOption.push(oi)
    })
  })
  const K = kGroup.length
  const w = new Float64Array(K * R)
  const sur = new Float64Array(K)
  for (let k = 0; k < K; k++)
    for (let r = 0; r < R; r++) {
      const x = caps[r]?.coefs[kGroup[k] ?? 0]?.[kOption[k] ?? 0] ?? 0
      w[k * R + r] = x
      sur[k] = (sur[k] ?? 0) + x / Math.max(capOf[r] ?? 0, 1)
    }
  const first = new Int32Array(G + 1)
  for (let k = 0, gi = 0; gi <= G; gi++) {
    while (k < K && (kGroup[k] ?? 0) < gi) k++
    first[gi] = k
  }
  const must = groups.map((g) => g.mustChoose)
  const ranked = new Int32Array(K)
  const depthOf = new Int32Array(K)
  const lists = Array.from({ length: R + 1 }, () => new Int32Array(K))
  const listLen = new Int32Array(R + 1)
  const order = new Int32Array(G)
  const pos = new Int32Array(G)
  const suffix = new Float64Array(G + 1)
  const W = new Float64Array(R)
  const choice = new Int32Array(G).fill(-1)
  const best = new Int32Array(G)

  const keepsOthers = (): boolean => keepsRules(others, problem.dependencies, choice)

  /**
   * The optimum for `values` (per group and option, integers), given a feasible package `start`
   * (option index per group or -1) or none, and optionally other maxima for the capacity rules
   * (by rule id). Returns null when no package keeps the rules, "stopped" when the node budget
   * ran out (the caller then solves cold); the returned choice array is reused between calls.
   */
  const solve = (
    values: readonly (readonly number[])[],
    start: readonly number[] | null,
    maxima?: ReadonlyMap<string, number>,
  ) => {
    for (let r = 0; r < R; r++) capOf[r] = maxima?.get(caps[r]?.rule ?? "") ?? nominalCap[r] ?? 0
    const v = new Float64Array(K)
    for (let k = 0; k < K; k++) v[k] = values[kGroup[k] ?? 0]?.[kOption[k] ?? 0] ?? 0
    // Groups by their best value, largest first; options in a group by value.
    const gBest = new Float64Array(G)
    for (let gi = 0; gi < G; gi++) {
      let m = 0
      for (let k = first[gi] ?? 0; k < (first[gi + 1] ?? 0); k++) m = Math.max(m, v[k] ?? 0)
      gBest[gi] = m
    }
    for (let gi = 0; gi < G; gi++) order[gi] = gi
    order.sort((a, b) => (must[b] ? 1 : 0) - (must[a] ? 1 : 0) || (gBest[b] ?? 0) - (gBest[a] ?? 0))
    order.forEach((gi, d) => {
      pos[gi] = d
    })
    suffix[G] = 0
    for (let d = G - 1; d >= 0; d--) suffix[d] = (suffix[d + 1] ?? 0) + (gBest[order[d] ?? 0] ?? 0)
    for (let k = 0; k < K; k++) {
      ranked[k] = k
      depthOf[k] = pos[kGroup[k] ?? 0] ?? 0
    }
    // Per rule (and the surrogate, index R): positive-value options by value per unit of weight.
    for (let r = 0; r <= R; r++) {
      const list = lists[r] as Int32Array
      let n = 0
      for (let k = 0; k < K; k++) if ((v[k] ?? 0) > 0) list[n++] = k
      const weight = (k: number) => (r === R ? (sur[k] ?? 0) : (w[k * R + r] ?? 0))
      const sub = list.subarray(0, n)
      sub.sort((a, b) => (v[b] ?? 0) * weight(a) - (v[a] ?? 0) * weight(b))
      listLen[r] = n
    }
    W.fill(0)
    choice.fill(-1)
    let bestValue = start ? 0 : Number.NEGATIVE_INFINITY
    for (let gi = 0; gi < G; gi++) {
      const oi = start?.[gi] ?? -1
      best[gi] = oi
      if (oi >= 0) bestValue += v[(first[gi] ?? 0) + oi] ?? 0
    }

    const fits = (k: number) => {
      for (let r = 0; r < R; r++) if ((W[r] ?? 0) + (w[k * R + r] ?? 0) > (capOf[r] ?? 0)) return false
      return true
    }
    const bound = (depth: number, limit: number): number => {
      let b = suffix[depth] ?? 0
      if (b <= limit) return b
      for (let r = 0; r <= R; r++) {
        let cap = 0
        if (r < R) cap = (capOf[r] ?? 0) - (W[r] ?? 0)
        else
          for (let q = 0; q < R; q++) cap += ((capOf[q] ?? 0) - (W[q] ?? 0)) / Math.max(nominalCap[q] ?? 0, 1)
        const list = lists[r] as Int32Array
        const n = listLen[r] ?? 0
        let add = 0
        for (let i = 0; i < n && add < b; i++) {
          const k = list[i] ?? 0
          if ((depthOf[k] ?? 0) < depth || !fits(k)) continue
          const wk = r === R ? (sur[k] ?? 0) : (w[k * R + r] ?? 0)
          if (wk <= cap) {
            cap -= wk
            add += v[k] ?? 0
          } else {
            add += ((v[k] ?? 0) * cap) / wk
            break
          }
        }
        if (add < b) b = add
        if (b <= limit) return b
      }
      return b
    }
    let nodes = 0
    let stopped = false
    const dfs = (depth: number, V: number) => {
      if (stopped) return
      if (++nodes > maxNodes) {
        stopped = true
        return
      }
      if (depth === G) {
        if (V > bestValue && keepsOthers()) {
          bestValue = V
          best.set(choice)
        }
        return
      }
      // Values are integers: only a package worth at least best + 1 is of interest.
      if (V + bound(depth, bestValue - V + 1 - 1e-9) < bestValue + 1 - 1e-9) return
      const gi = order[depth] ?? 0
      const lo = first[gi] ?? 0
      const hi = first[gi + 1] ?? 0
      // Options by value, best first (groups have one or two options: a small insertion order).
      const ks: number[] = []
      for (let k = lo; k < hi; k++) if (fits(k)) ks.push(k)
      ks.sort((a, b) => (v[b] ?? 0) - (v[a] ?? 0))
      for (const k of ks) {
        for (let r = 0; r < R; r++) W[r] = (W[r] ?? 0) + (w[k * R + r] ?? 0)
        choice[gi] = k - lo
        dfs(depth + 1, V + (v[k] ?? 0))
        choice[gi] = -1
        for (let r = 0; r < R; r++) W[r] = (W[r] ?? 0) - (w[k * R + r] ?? 0)
      }
      if (!must[gi]) dfs(depth + 1, V)
    }
    dfs(0, 0)
    if (stopped) return "stopped" as const
    return bestValue === Number.NEGATIVE_INFINITY ? null : { value: bestValue, choice: best, nodes }
  }
  /** True when rules other than capacities (minimums, negative weights, dependencies) exist: then slow. */
  const general = others.length > 0 || problem.dependencies.length > 0
  return { solve, general }
}
