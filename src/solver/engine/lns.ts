import { byMargin, doubts, solveCore } from "./core.ts"
import { type Model, packageValue } from "./model.ts"
import type { Knapsack, KnapsackOptions, KnapsackResult } from "./problem.ts"

/**
 * Large-neighbourhood search around an incumbent (Shaw's LNS; RINS-like fixing): free a few
 * groups, keep every other group as the incumbent has it, and solve the freed part exactly (the
 * branch and bound itself, under a node budget) for a package that beats the incumbent. Where
 * many capacities make the incumbent hard to improve one exchange at a time, a neighbourhood of
 * 30 groups often holds a better package the sub-search finds in a few hundred nodes.
 *
 * Two kinds of neighbourhood, in turn, each drawn at random with the likeliest groups first
 * (the group at place i in the kind's order has key (i + size/2)·U, the `size` smallest keys
 * are freed):
 * - doubt: the groups where the incumbent and the reduced values disagree, then those the
 *   reduced values are least sure of (best minus second-best reduced value);
 * - related: the groups whose capacity use lies along that of a group drawn at random, the
 *   heavy ones first (a large option can only come in when options that use the same
 *   capacities go out).
 *
 * A package, never a proof: the sub-search only ever hands back packages.
 */
export class Neighbourhoods {
  /** Per group, the normalised weights of its most valuable option: use[g * C + r]. */
  private readonly use: Float64Array
  private seed = 0x9e3779b9
  private calls = 0
  private doubt: Int32Array | null = null
  private doubtOf: Int32Array | null = null

  constructor(
    private readonly m: Model,
    /** Reduced values that order the doubt neighbourhood (the root LP's, where there is one). */
    private readonly red: Float64Array,
    private readonly fixedOut: Uint8Array,
    readonly size: number,
  ) {
    const { C, G } = m
    this.use = new Float64Array(G * C)
    for (let g = 0; g < G; g++) {
      let top = -1
      for (let o = m.optFrom[g] ?? 0; o < (m.optFrom[g + 1] ?? 0); o++) {
        const k = m.opts[o] ?? 0
        if (top < 0 || (m.value[k] ?? 0) > (m.value[top] ?? 0)) top = k
      }
      if (top < 0) continue
      for (let r = 0; r < C; r++) {
        const cap = m.max[r] ?? 0
        this.use[g * C + r] = cap > 0 ? Math.max(0, m.coef[top * m.R + r] ?? 0) / cap : 0
      }
    }
  }

  /** Whether the model has room for neighbourhoods of this size (at most half the groups) and no links (which a neighbourhood would cut). */
  static fits(m: Model, size: number): boolean {
    return size * 2 < m.G && !m.links.some((l) => l.length > 0)
  }

  /** A number in [0, 1) (xorshift: the same draws on every run, so node-limited solves repeat). */
  private random(): number {
    let x = this.seed
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    this.seed = x >>> 0
    return this.seed / 4294967296
  }

  /** Groups where `best` and the reduced values disagree first, then by how sure the reduced values are. */
  private doubtOrder(best: Int32Array): Int32Array {
    if (this.doubt && this.doubtOf?.every((k, g) => best[g] === k)) return this.doubt
    const { margin } = doubts(this.m, this.red, this.fixedOut, best)
    this.doubt = byKey(this.m.G, byMargin(margin))
    this.doubtOf = Int32Array.from(best)
    return this.doubt
  }

  /** Groups by how much of their capacity use lies along that of a group drawn at random. */
  private relatedOrder(): Int32Array {
    const { m, use } = this
    const C = m.C
    const g0 = Math.floor(this.random() * m.G)
    const along = new Float64Array(m.G)
    for (let g = 0; g < m.G; g++) {
      let s = 0
      for (let r = 0; r < C; r++) s += (use[g * C + r] ?? 0) * (use[g0 * C + r] ?? 0)
      along[g] = s
    }
    return byKey(m.G, (a, b) => (along[b] ?? 0) - (along[a] ?? 0))
  }

  /** The next neighbourhood around `best`: `size` distinct groups. */
  draw(best: Int32Array): Int32Array {
    const order = ++this.calls % 2 === 0 ? this.relatedOrder() : this.doubtOrder(best)
    const key = new Float64Array(this.m.G)
    for (let i = 0; i < key.length; i++) key[i] = (i + this.size / 2) * this.random()
    return byKey(this.m.G, (a, b) => (key[a] ?? 0) - (key[b] ?? 0))
      .subarray(0, this.size)
      .map((i) => order[i] ?? 0)
  }

  /**
   * A neighbourhood that holds the groups `first` (the least sure of them when there are more
   * than `size`), filled up to `size` with the doubt order around `best`; solved as `step` does.
   */
  holding(
    first: Int32Array,
    best: Int32Array,
    bestValue: number,
    options: KnapsackOptions,
    solve: (p: Knapsack, o: KnapsackOptions, cutoff?: number) => KnapsackResult,
  ): Int32Array | null {
    const order = this.doubtOrder(best)
    const wanted = new Uint8Array(this.m.G)
    for (const g of first) wanted[g] = 1
    const core: number[] = []
    for (const g of order) if (wanted[g] && core.length < this.size) core.push(g)
    for (const g of order) if (!wanted[g] && core.length < this.size) core.push(g)
    return this.solve(Int32Array.from(core), best, bestValue, options, solve)
  }

  /**
   * One step: draw a neighbourhood and solve it (`solve`, under `options`) for a package worth
   * more than `bestValue`; that package (every rule kept), or null.
   */
  step(
    best: Int32Array,
    bestValue: number,
    options: KnapsackOptions,
    solve: (p: Knapsack, o: KnapsackOptions, cutoff?: number) => KnapsackResult,
  ): Int32Array | null {
    return this.solve(this.draw(best), best, bestValue, options, solve)
  }

  /** The groups `core` solved, every other group kept as `best` has it: a package worth more than `bestValue`, or null. */
  private solve(
    core: Int32Array,
    best: Int32Array,
    bestValue: number,
    options: KnapsackOptions,
    solve: (p: Knapsack, o: KnapsackOptions, cutoff?: number) => KnapsackResult,
  ): Int32Array | null {
    const pick = solveCore(this.m, core, best, this.fixedOut, options, solve, bestValue)
    // The sub-search may hand back its best package even when it does not beat the cutoff.
    return pick && packageValue(this.m, pick) > bestValue ? pick : null
  }
}

/** 0 … n−1 sorted by `cmp`. */
const byKey = (n: number, cmp: (a: number, b: number) => number): Int32Array =>
  Int32Array.from({ length: n }, (_, i) => i).sort(cmp)
