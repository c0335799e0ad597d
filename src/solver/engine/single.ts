import { optimal } from "./answers.ts"
import { keepShape } from "./arena.ts"
import { deadlineOf, nodeCapOf, spent } from "./budget.ts"
import { arenaOf, type Model } from "./model.ts"
import type { KnapsackOptions, KnapsackResult } from "./problem.ts"

/**
 * The plain 0-1 knapsack: at most one capacity and no other row (presolve dropped the capacities
 * no package can break), every group of at most one option, no link and no group that must take
 * one. A city's round with loose pools is often this (at 70 % of both pools the construction
 * pool never binds). The small search's set-up (masks, relaxations per capacity, a Lagrangian)
 * then costs more than its few dozen nodes; this is Horowitz-Sahni's depth-first search over the
 * options by efficiency, each node bounded by Dantzig's LP of the options after it.
 */

/** Nodes it may visit before it hands the problem on (to the search for small problems). */
const SINGLE_NODES = 10_000
/** Relative tolerance of the bound comparisons (the LP bound is computed in floating point). */
const EPS = 1e-7

/**
 * The proven optimum when `m` is a plain 0-1 knapsack; undefined when it is not one (or its
 * capacity is negative); null when it stopped (node budget, time limit, stop request) first.
 */
export const solveSingle = (
  m: Model,
  options: KnapsackOptions,
  t0: number,
): KnapsackResult | null | undefined => {
  const { K, G } = m
  // No row at all: presolve dropped every capacity, as none can be broken.
  if (m.C > 1 || m.R !== m.C) return undefined
  const capacity = m.C ? (m.max[0] ?? 0) : Number.POSITIVE_INFINITY
  if (!(capacity >= 0)) return undefined
  for (let g = 0; g < G; g++)
    if (m.required[g] || (m.links[g]?.length ?? 0) > 0 || (m.optFrom[g + 1] ?? 0) - (m.optFrom[g] ?? 0) > 1)
      return undefined
  const a = arenaOf(m)
  // The options worth taking (value > 0); the weightless ones are always taken, the others
  // sorted by efficiency v / w, best first (insertion sort: a few dozen options).
  const item = a.i32(K)
  const w = a.f64(K)
  const v = a.f64(K)
  const taken: number[] = []
  let base = 0
  let n = 0
  for (let g = 0; g < G; g++) {
    if ((m.optFrom[g + 1] ?? 0) === (m.optFrom[g] ?? 0)) continue
    const k = m.opts[m.optFrom[g] ?? 0] ?? 0
    const value = m.value[k] ?? 0
    if (value <= 0) continue
    const weight = m.C ? (m.coef[k] ?? 0) : 0
    if (weight <= 0) {
      taken.push(k)
      base += value
      continue
    }
    let j = n++
    while (j > 0 && value * (w[j - 1] ?? 0) > (v[j - 1] ?? 0) * weight) {
      item[j] = item[j - 1] ?? 0
      w[j] = w[j - 1] ?? 0
      v[j] = v[j - 1] ?? 0
      j--
    }
    item[j] = k
    w[j] = weight
    v[j] = value
  }
  const s = new SingleSearch(n, w, v, m.integral, options, t0, a.u8(n), a.u8(n))
  const rootBound = base + s.lp(0, capacity)
  s.dfs(0, capacity, 0)
  if (s.stopped) return null
  for (let i = 0; i < n; i++) if (s.best[i]) taken.push(item[i] ?? 0)
  taken.sort((x, y) => x - y)
  const objective = base + s.bestValue
  a.release()
  keepShape(s)
  return optimal(t0, taken, objective, s.nodes, Math.max(rootBound, objective))
}

class SingleSearch {
  nodes = 0
  stopped = false
  bestValue = Number.NEGATIVE_INFINITY
  private cut = Number.NEGATIVE_INFINITY
  private readonly nodeCap: number
  private readonly deadline: number

  constructor(
    private readonly n: number,
    private readonly w: Float64Array,
    private readonly v: Float64Array,
    private readonly integral: boolean,
    private readonly options: KnapsackOptions,
    t0: number,
    /** The options taken on the current path, and in the best package (by position). */
    private readonly cur: Uint8Array,
    readonly best: Uint8Array,
  ) {
    this.nodeCap = nodeCapOf(SINGLE_NODES, options)
    this.deadline = deadlineOf(t0, options)
  }

  /** Dantzig's bound: the options from `i` on, in order, whole while they fit, then a fraction. */
  lp(i: number, capacity: number): number {
    const { w, v, n } = this
    let cap = capacity
    let s = 0
    for (let j = i; j < n; j++) {
      const x = w[j] ?? 0
      if (x > cap) return s + ((v[j] ?? 0) * cap) / x
      cap -= x
      s += v[j] ?? 0
    }
    return s
  }

  dfs(i: number, capacity: number, value: number): void {
    if (spent(++this.nodes, this.nodeCap, this.deadline, this.options)) this.stopped = true
    if (this.stopped) return
    if (i === this.n) {
      if (value > this.bestValue) {
        this.bestValue = value
        this.best.set(this.cur)
        const e = EPS * Math.max(1, Math.abs(value))
        this.cut = this.integral ? value + 1 - e : value + e
      }
      return
    }
    if (value + this.lp(i, capacity) < this.cut) return
    const x = this.w[i] ?? 0
    if (x <= capacity) {
      this.cur[i] = 1
      this.dfs(i + 1, capacity - x, value + (this.v[i] ?? 0))
      this.cur[i] = 0
    }
    this.dfs(i + 1, capacity, value)
  }
}
