import { keepsRules } from "../check.ts"
import type { Problem } from "../compile.ts"

/** What a complete or stopped enumeration counted. */
export interface Enumeration {
  /** How many packages have value ≥ the threshold (when complete; else how many were found). */
  readonly count: number
  /** Per group: how many of those packages choose it (any option). */
  readonly containing: readonly number[]
  /** False when the node or package budget ran out: the counts are then only a part. */
  readonly complete: boolean
  readonly nodes: number
}

/**
 * Count every package of `problem` that keeps every rule and has value ≥ `threshold` (and, per
 * group, those that choose it), by depth-first
 * search pruned with an upper bound (the fractional knapsack of each capacity rule on its own,
 * with the groups' "one option" relaxed: any valid relaxation keeps the enumeration complete).
 * This is not the optimiser: it lists all near-optimal packages, which the engine does not do.
 */
export const enumerateAtLeast = (
  problem: Problem,
  threshold: number,
  budget: { maxNodes?: number; maxPackages?: number } = {},
): Enumeration => {
  const maxNodes = budget.maxNodes ?? 2_000_000
  const maxPackages = budget.maxPackages ?? 10_000_000
  const groups = problem.groups
  const G = groups.length
  const caps = problem.constraints.filter(
    (c) => c.max !== undefined && c.min === undefined && c.coefs.every((r) => r.every((x) => x >= 0)),
  )
  const capOf = caps.map((c) => c.max ?? 0)
  const order = groups
    .map((_, gi) => gi)
    .sort((a, b) => best(groups[b]?.options ?? []) - best(groups[a]?.options ?? []))
  const pos = new Int32Array(G)
  order.forEach((gi, d) => {
    pos[gi] = d
  })
  // Suffix of the best positive value per group: a bound that needs no capacity.
  const suffix = new Float64Array(G + 1)
  for (let d = G - 1; d >= 0; d--)
    suffix[d] = (suffix[d + 1] ?? 0) + Math.max(0, best(groups[order[d] ?? 0]?.options ?? []))
  // Per capacity rule, options with positive value by value per unit of weight.
  const items = caps.map((c) =>
    groups
      .flatMap((g, gi) =>
        g.options.map((o, oi) => ({ d: pos[gi] ?? 0, v: o.value, w: c.coefs[gi]?.[oi] ?? 0 })),
      )
      .filter((x) => x.v > 0)
      .sort((a, b) => b.v * a.w - a.v * b.w),
  )
  const W = caps.map(() => 0)
  const bound = (depth: number) => {
    let b = suffix[depth] ?? 0
    items.forEach((list, r) => {
      let cap = (capOf[r] ?? 0) - (W[r] ?? 0)
      let add = 0
      for (const x of list) {
        if (x.d < depth) continue
        if (x.w <= cap) {
          cap -= x.w
          add += x.v
        } else {
          add += (x.v * cap) / x.w
          break
        }
        if (add >= b) break
      }
      if (add < b) b = add
    })
    return b
  }
  const choice = new Array<number>(G).fill(-1)
  let count = 0
  const containing = new Array<number>(G).fill(0)
  let nodes = 0
  let stopped = false
  const keeps = (): boolean => keepsRules(problem.constraints, problem.dependencies, choice)
  const dfs = (depth: number, V: number) => {
    if (stopped) return
    if (++nodes > maxNodes) {
      stopped = true
      return
    }
    if (depth === G) {
      if (V >= threshold && keeps()) {
        count++
        for (let gi = 0; gi < G; gi++) if ((choice[gi] ?? -1) >= 0) containing[gi] = (containing[gi] ?? 0) + 1
        if (count >= maxPackages) stopped = true
      }
      return
    }
    if (V + bound(depth) < threshold - 1e-9) return
    const gi = order[depth] ?? 0
    const g = groups[gi]
    if (!g) return
    g.options.forEach((o, oi) => {
      for (let r = 0; r < caps.length; r++)
        if ((W[r] ?? 0) + (caps[r]?.coefs[gi]?.[oi] ?? 0) > (capOf[r] ?? 0)) return
      for (let r = 0; r < caps.length; r++) W[r] = (W[r] ?? 0) + (caps[r]?.coefs[gi]?.[oi] ?? 0)
      choice[gi] = oi
      dfs(depth + 1, V + o.value)
      choice[gi] = -1
      for (let r = 0; r < caps.length; r++) W[r] = (W[r] ?? 0) - (caps[r]?.coefs[gi]?.[oi] ?? 0)
    })
    if (!g.mustChoose) dfs(depth + 1, V)
  }
  dfs(0, 0)
  return { count, containing, complete: !stopped, nodes }
}

const best = (options: readonly { value: number }[]) => Math.max(0, ...options.map((o) => o.value))
