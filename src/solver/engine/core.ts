import { keepsEveryRule, type Model } from "./model.ts"
import type { Knapsack, KnapsackOptions, KnapsackResult } from "./problem.ts"

/**
 * The core problem (Balas and Zemel; Pisinger for the multiple-choice case): the optimum of a
 * large knapsack differs from its relaxation's rounding only in the groups whose choice the
 * relaxation is unsure of. Fix every other group as the reduced values choose, solve the small
 * knapsack of the `size` most doubtful groups (by the gap between their best and second-best
 * reduced value) with the branch and bound itself under a node budget, and put the two together:
 * a package, never a proof (the fixing is a guess). Returns null when the fixed part breaks a
 * row, the core has no package, or the model has links (which the core would cut).
 *
 * With `around` (a package, e.g. the incumbent) it is the neighbourhood search RINS (Danna,
 * Rothberg and Le Pape): the groups where the package and the reduced values disagree come
 * first in the core, and the groups outside keep the package's choice, so the fixed part keeps
 * every row and the core can only improve on the package.
 *
 * With `above` (e.g. the incumbent's value) only a package worth more is sought: the core's
 * search prunes every node that cannot make the whole beat it, and may return null otherwise.
 */
export const corePackage = (
  m: Model,
  red: Float64Array,
  fixedOut: Uint8Array,
  size: number,
  options: KnapsackOptions,
  solve: (p: Knapsack, o: KnapsackOptions, cutoff?: number) => KnapsackResult,
  around?: Int32Array,
  above = Number.NEGATIVE_INFINITY,
): Int32Array | null => {
  if (m.links.some((l) => l.length > 0)) return null
  const { choice, margin } = doubts(m, red, fixedOut, around)
  if (around) choice.set(around)
  const core = Int32Array.from({ length: m.G }, (_, g) => g)
    .sort(byMargin(margin))
    .subarray(0, Math.min(size, m.G))
  return solveCore(m, core, choice, fixedOut, options, solve, above)
}

/**
 * Per group, the option the reduced values choose (−1: none) and how sure they are of it: the
 * gap between its best and second-best reduced value (options in `fixedOut` left out); −∞ where
 * `around` chose otherwise, so that those groups come first.
 */
export const doubts = (
  m: Model,
  red: Float64Array,
  fixedOut: Uint8Array,
  around?: Int32Array,
): { choice: Int32Array; margin: Float64Array } => {
  const choice = new Int32Array(m.G).fill(-1)
  const margin = new Float64Array(m.G)
  for (let g = 0; g < m.G; g++) {
    let best = m.required[g] ? Number.NEGATIVE_INFINITY : 0
    let second = Number.NEGATIVE_INFINITY
    for (let o = m.optFrom[g] ?? 0; o < (m.optFrom[g + 1] ?? 0); o++) {
      const k = m.opts[o] ?? 0
      if (fixedOut[k]) continue
      const x = red[k] ?? 0
      if (x > best) {
        second = best
        best = x
        choice[g] = k
      } else if (x > second) second = x
    }
    margin[g] = best - second
    if (around && around[g] !== choice[g]) margin[g] = Number.NEGATIVE_INFINITY
  }
  return { choice, margin }
}

/** Compare groups by margin, least sure first (equal margins, −∞ among them, compare equal). */
export const byMargin =
  (margin: Float64Array) =>
  (a: number, b: number): number => {
    const x = margin[a] ?? 0
    const y = margin[b] ?? 0
    return x === y ? 0 : x - y
  }

/**
 * The knapsack of the groups in `core`, every other group fixed at `choice` (−1: none), solved
 * with `solve` for a package that makes the whole worth more than `above`; the two put together,
 * or null when the fixed part breaks a capacity, the core has no such package, or the model has
 * links. A package, never a proof.
 */
export const solveCore = (
  m: Model,
  core: Int32Array,
  choice: Int32Array,
  fixedOut: Uint8Array,
  options: KnapsackOptions,
  solve: (p: Knapsack, o: KnapsackOptions, cutoff?: number) => KnapsackResult,
  above = Number.NEGATIVE_INFINITY,
): Int32Array | null => {
  if (m.links.some((l) => l.length > 0)) return null
  const inCore = new Uint8Array(m.G)
  for (const g of core) inCore[g] = 1
  // The rows' room left by the fixed groups, and their value.
  const W = new Float64Array(m.R)
  let fixedValue = 0
  for (let g = 0; g < m.G; g++) {
    const k = choice[g] ?? -1
    if (inCore[g] || k < 0) continue
    fixedValue += m.value[k] ?? 0
    for (let r = 0; r < m.R; r++) W[r] = (W[r] ?? 0) + (m.coef[k * m.R + r] ?? 0)
  }
  // A capacity the fixed groups break cannot be mended by the core (its coefficients are ≥ 0).
  for (let r = 0; r < m.C; r++) if ((W[r] ?? 0) > (m.max[r] ?? 0)) return null
  const opts: number[] = []
  const groupOf: number[] = []
  for (let i = 0; i < core.length; i++)
    for (let o = m.optFrom[core[i] ?? 0] ?? 0; o < (m.optFrom[(core[i] ?? 0) + 1] ?? 0); o++) {
      const k = m.opts[o] ?? 0
      if (!fixedOut[k]) {
        opts.push(k)
        groupOf.push(i)
      }
    }
  const rows = Array.from({ length: m.R }, (_, r) => {
    const row: { coefs: number[]; max?: number; min?: number } = {
      coefs: opts.map((k) => m.coef[k * m.R + r] ?? 0),
    }
    if (Number.isFinite(m.max[r] ?? 0)) row.max = (m.max[r] ?? 0) - (W[r] ?? 0)
    if (Number.isFinite(m.min[r] ?? 0)) row.min = (m.min[r] ?? 0) - (W[r] ?? 0)
    return row
  })
  const r = solve(
    {
      groups: core.length,
      groupOf,
      values: opts.map((k) => m.value[k] ?? 0),
      required: Array.from(core, (g) => m.required[g] === 1),
      rows,
    },
    options,
    // Only a core package that makes the whole worth more than `above` is of use.
    above - fixedValue,
  )
  if (!r.package) return null
  const pick = Int32Array.from(choice)
  for (let i = 0; i < core.length; i++) pick[core[i] ?? 0] = -1
  for (const i of r.package) {
    const k = opts[i] ?? 0
    pick[m.groupOf[k] ?? 0] = k
  }
  return keepsEveryRule(m, pick) ? pick : null
}
