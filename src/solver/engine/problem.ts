/**
 * The numeric problem the engine solves: a multiple-choice, multi-dimensional knapsack with side
 * rows and pairwise links. It knows nothing of budgets: options, groups, values and rows.
 *
 * Choose at most one option per group (exactly one in a `required` group) to maximise the sum
 * of the chosen options' values, such that for every row `min ≤ Σ coefs[k] · x[k] ≤ max`, every
 * link holds, and no option of `forceOut` and every option of `forceIn` is chosen. Arithmetic is
 * exact when values and coefficients are integers (sums stay below 2^53).
 */
export interface Knapsack {
  /** Number of groups. */
  readonly groups: number
  /** Group of each option (0 … groups−1); the option's index is its position here. */
  readonly groupOf: readonly number[]
  /** Value of each option (larger is better). */
  readonly values: readonly number[]
  /** Groups that must take exactly one option (default: none). */
  readonly required?: readonly boolean[]
  readonly rows: readonly KnapsackRow[]
  readonly links?: readonly KnapsackLink[]
  /** Options that must be chosen (their group takes that option). */
  readonly forceIn?: readonly number[]
  /** Options that must not be chosen. */
  readonly forceOut?: readonly number[]
}

/** A linear row over the options: min ≤ Σ coefs[k] · x[k] ≤ max (either side may be absent). */
export interface KnapsackRow {
  /** One coefficient per option (dense, same length as `values`). */
  readonly coefs: readonly number[]
  readonly max?: number | undefined
  readonly min?: number | undefined
}

/**
 * A pairwise rule between groups: `requires` — if group a takes an option, group b takes one;
 * `excludes` — not both a and b take an option.
 */
export interface KnapsackLink {
  readonly kind: "requires" | "excludes"
  readonly a: number
  readonly b: number
}

export interface KnapsackOptions {
  /** Stop after this many milliseconds (wall clock) with what is proven. */
  readonly timeLimitMs?: number
  /** Stop after this many search nodes: a deterministic budget, the same answer on any machine. */
  readonly nodeLimit?: number
  /** Stop at the first package that keeps every row (a feasibility test). */
  readonly firstFeasible?: boolean
  /**
   * Asked every 256 nodes beside the clock: true stops the search as the time limit would (a
   * cancelled request). It may also throw, to abandon the search altogether.
   */
  readonly shouldStop?: () => boolean
  /**
   * Whether a small problem (up to 64 options) goes to the search for small problems first
   * (default true); false sends every problem to the full search (tests, comparisons).
   */
  readonly smallSearch?: boolean
  /**
   * Whether the full search bounds its nodes by their LP from the first node (where the LP fits:
   * three or more capacities), not only once it is seen to be large: the engine's LNS
   * sub-searches, small problems that need the LP's bound to be proven in few nodes.
   */
  readonly lpBound?: boolean
}

/** Which limit ended the search early: its time limit (or a stop request) or its node budget. */
export type StopReason = "timeLimit" | "nodeLimit"

export interface KnapsackResult {
  /**
   * optimal: proven best; feasible: a package, not proven best (see gap); infeasible: proven that
   * no package keeps every row; timeout: stopped before any package was found.
   */
  readonly status: "optimal" | "feasible" | "infeasible" | "timeout"
  /** Indices of the chosen options, ascending; null without a package. */
  readonly package: readonly number[] | null
  /** Value of the package; null without one. */
  readonly objective: number | null
  /** Proven upper bound on the best value (−Infinity when proven infeasible). */
  readonly bound: number
  /** (bound − objective) / max(1, |bound|); 0 when optimal, null without a package. */
  readonly gap: number | null
  /** The relaxation bound before branching. */
  readonly rootBound: number
  /** Which limit ended the search early; null when it ran to the end (or to a first package, when asked). */
  readonly stoppedBy: StopReason | null
  readonly nodes: number
  readonly millis: number
}

/** Throws a RangeError that names the field when the problem's shape is inconsistent. */
export const validateKnapsack = (p: Knapsack): void => {
  // Plain loops and no closures: this runs on every solve, and forEach with a closure per row
  // (and per link) was a good part of what a solve left to the garbage collector (issue 8).
  const K = p.values.length
  if (!Number.isInteger(p.groups) || p.groups < 0) bad(`groups must be a non-negative integer`)
  if (p.groupOf.length !== K) bad(`groupOf has ${p.groupOf.length} entries for ${K} options`)
  for (let k = 0; k < p.groupOf.length; k++) {
    const g = p.groupOf[k]
    if (!isGroup(p, g)) bad(`groupOf[${k}] = ${g} is not a group`)
  }
  for (let k = 0; k < K; k++) if (!Number.isFinite(p.values[k])) bad(`values[${k}] is not finite`)
  if (p.required && p.required.length !== p.groups) bad(`required has ${p.required.length} entries`)
  for (let i = 0; i < p.rows.length; i++) {
    const r = p.rows[i] as KnapsackRow
    if (r.coefs.length !== K) bad(`rows[${i}].coefs has ${r.coefs.length} entries for ${K} options`)
    for (let k = 0; k < r.coefs.length; k++)
      if (!Number.isFinite(r.coefs[k])) bad(`rows[${i}].coefs[${k}] is not finite`)
    if (r.max !== undefined && Number.isNaN(r.max)) bad(`rows[${i}].max is NaN`)
    if (r.min !== undefined && Number.isNaN(r.min)) bad(`rows[${i}].min is NaN`)
  }
  const links = p.links ?? []
  for (let i = 0; i < links.length; i++) {
    const l = links[i] as KnapsackLink
    if (!isGroup(p, l.a)) bad(`links[${i}] names group ${l.a}`)
    if (!isGroup(p, l.b)) bad(`links[${i}] names group ${l.b}`)
  }
  optionsOk("forceIn", p.forceIn, K)
  optionsOk("forceOut", p.forceOut, K)
}

const bad = (what: string): never => {
  throw new RangeError(`knapsack: ${what}`)
}

const isGroup = (p: Knapsack, g: number | undefined): boolean =>
  Number.isInteger(g) && (g ?? -1) >= 0 && (g ?? -1) < p.groups

/** Every entry of `ks` (forceIn or forceOut) is an option. */
const optionsOk = (name: string, ks: readonly number[] | undefined, K: number) => {
  if (!ks) return
  for (let i = 0; i < ks.length; i++) {
    const k = ks[i]
    if (!Number.isInteger(k) || (k ?? -1) < 0 || (k ?? -1) >= K) bad(`${name}[${i}] = ${k} is not an option`)
  }
}

/** Changes for a warm re-solve: the same options and rows with other bounds, values or forcings. */
export interface KnapsackChanges {
  /** New bounds per row index; `undefined` inside removes that side. */
  readonly rows?: ReadonlyMap<number, { readonly max?: number; readonly min?: number }>
  /** New values per option index. */
  readonly values?: ReadonlyMap<number, number>
  /** Added to the problem's own forceIn / forceOut. */
  readonly forceIn?: readonly number[]
  readonly forceOut?: readonly number[]
  /** Groups that must (true) or need not (false) take an option. */
  readonly required?: ReadonlyMap<number, boolean>
}

/**
 * The problem with changed bounds, values or forcings, sharing everything else (the coefficient
 * arrays are not copied), so that a re-solve costs only the engine's own set-up.
 */
export const withChanges = (p: Knapsack, c: KnapsackChanges): Knapsack => {
  let rows = p.rows
  if (c.rows) {
    // Not map, whose arrays differ by tier (see compile's paybackBlocked); one literal per row, a side
    // undefined rather than added later: see lower's rows.
    const changed: KnapsackRow[] = []
    p.rows.forEach((r, i) => {
      const b = c.rows?.get(i)
      changed.push(b ? { coefs: r.coefs, max: b.max, min: b.min } : r)
    })
    rows = changed
  }
  let values = p.values
  if (c.values?.size) {
    const v = [...p.values]
    for (const [k, x] of c.values) v[k] = x
    values = v
  }
  let required = p.required
  if (c.required?.size) {
    const r = p.required ? [...p.required] : new Array<boolean>(p.groups).fill(false)
    for (const [g, x] of c.required) r[g] = x
    required = r
  }
  return {
    ...p,
    rows,
    values,
    ...(required ? { required } : {}),
    forceIn: [...(p.forceIn ?? []), ...(c.forceIn ?? [])],
    forceOut: [...(p.forceOut ?? []), ...(c.forceOut ?? [])],
  }
}
