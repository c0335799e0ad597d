import type { Knapsack } from "../../src/solver/engine/problem.ts"
import { rng } from "./generate.ts"

/** Every package of a small knapsack, by enumeration, checked rule by rule: the best value, or null. */
export const bruteKnapsack = (p: Knapsack): number | null => {
  const byGroup = Array.from({ length: p.groups }, (_, g) =>
    p.groupOf.flatMap((h, k) => (h === g ? [k] : [])),
  )
  const pick = new Array<number>(p.groups).fill(-1)
  let best: number | null = null
  const ok = () => {
    for (let g = 0; g < p.groups; g++) if (p.required?.[g] && (pick[g] ?? -1) < 0) return false
    const chosen = new Set(pick.filter((k) => k >= 0))
    for (const k of p.forceIn ?? []) if (!chosen.has(k)) return false
    for (const k of p.forceOut ?? []) if (chosen.has(k)) return false
    for (const r of p.rows) {
      let s = 0
      for (const k of chosen) s += r.coefs[k] ?? 0
      if (r.max !== undefined && s > r.max) return false
      if (r.min !== undefined && s < r.min) return false
    }
    for (const l of p.links ?? []) {
      const a = (pick[l.a] ?? -1) >= 0
      const b = (pick[l.b] ?? -1) >= 0
      if (l.kind === "requires" && a && !b) return false
      if (l.kind === "excludes" && a && b) return false
      if (l.kind === "excludes" && l.a === l.b && a) return false
    }
    return true
  }
  const go = (g: number) => {
    if (g === p.groups) {
      if (ok()) {
        const v = pick.reduce((s, k) => s + (k >= 0 ? (p.values[k] ?? 0) : 0), 0)
        if (best === null || v > best) best = v
      }
      return
    }
    pick[g] = -1
    go(g + 1)
    for (const k of byGroup[g] ?? []) {
      pick[g] = k
      go(g + 1)
    }
    pick[g] = -1
  }
  go(0)
  return best
}

/**
 * A small random knapsack with everything the engine supports: groups of 1-3 options, 1-3
 * capacities, sometimes a ≥ row or a row with negative coefficients, required groups, links,
 * forced options.
 */
export const randomKnapsack = (seed: number, groups: number): Knapsack => {
  const r = rng(seed)
  const groupOf: number[] = []
  const values: number[] = []
  for (let g = 0; g < groups; g++) {
    const n = r.pick([1, 1, 2, 3])
    for (let i = 0; i < n; i++) {
      groupOf.push(g)
      values.push(r.int(-5, 60))
    }
  }
  const K = values.length
  const rows: { coefs: number[]; max?: number; min?: number }[] = []
  for (let i = r.int(1, 3); i > 0; i--) {
    const coefs = Array.from({ length: K }, () => r.int(0, 40))
    rows.push({ coefs, max: Math.round(coefs.reduce((a, b) => a + b, 0) * (0.15 + 0.4 * r.next())) })
  }
  if (r.chance(0.3)) rows.push({ coefs: Array.from({ length: K }, () => r.int(0, 3)), min: r.int(1, 4) })
  if (r.chance(0.3)) rows.push({ coefs: Array.from({ length: K }, () => r.int(-10, 10)), max: r.int(-5, 10) })
  const links = Array.from({ length: r.chance(0.5) ? r.int(1, 3) : 0 }, () => ({
    kind: r.pick(["requires", "excludes"] as const),
    a: r.int(0, groups - 1),
    b: r.int(0, groups - 1),
  }))
  const required = Array.from({ length: groups }, () => r.chance(0.1))
  const forceIn = r.chance(0.15) ? [r.int(0, K - 1)] : []
  const forceOut = r.chance(0.2) ? [r.int(0, K - 1)] : []
  return { groups, groupOf, values, rows, links, required, forceIn, forceOut }
}
