import { arenaOf, type Model } from "./model.ts"

/**
 * The search state: groups are decided in a fixed order (group `order[d]` at depth d); the state
 * holds the row sums and the value of what is decided, with apply/undo, and the feasibility
 * tests a node needs (does an option fit, do the links allow it, can the rows still be met).
 */
export class SearchState {
  /** Row sums of the decided options. */
  readonly W: Float64Array
  /** Value of the decided options. */
  V = 0
  /** Decided option per group (−1: none, or not decided yet). */
  readonly pick: Int32Array
  /** Depth of each group in the order. */
  readonly pos: Int32Array
  /** Options ruled out for any better package (reduced-cost fixing); the search skips them. */
  readonly fixedOut: Uint8Array
  /** Groups that any better package must take an option from. */
  readonly mustTake: Uint8Array
  /** Smallest and largest possible contribution of the groups at depth ≥ d: lo[d * R + r]. */
  private readonly lo: Float64Array
  private readonly hi: Float64Array
  private stamp = 0
  private readonly fitStamp: Int32Array
  private readonly fitVal: Uint8Array

  constructor(
    readonly m: Model,
    readonly order: Int32Array,
  ) {
    const { G, K, R } = m
    const arena = arenaOf(m)
    this.W = arena.f64(R)
    this.pick = arena.i32(G).fill(-1)
    this.pos = arena.i32(G)
    for (let d = 0; d < order.length; d++) this.pos[order[d] ?? 0] = d
    this.fixedOut = arena.u8(K)
    this.mustTake = arena.u8(G)
    this.lo = arena.f64((G + 1) * R)
    this.hi = arena.f64((G + 1) * R)
    for (let d = G - 1; d >= 0; d--) {
      const g = order[d] ?? 0
      const from = m.optFrom[g] ?? 0
      const end = m.optFrom[g + 1] ?? 0
      for (let r = 0; r < R; r++) {
        let lo = m.required[g] ? Number.POSITIVE_INFINITY : 0
        let hi = m.required[g] ? Number.NEGATIVE_INFINITY : 0
        for (let i = from; i < end; i++) {
          const c = m.coef[(m.opts[i] ?? 0) * R + r] ?? 0
          if (c < lo) lo = c
          if (c > hi) hi = c
        }
        if (end === from) lo = hi = 0
        this.lo[d * R + r] = (this.lo[(d + 1) * R + r] ?? 0) + lo
        this.hi[d * R + r] = (this.hi[(d + 1) * R + r] ?? 0) + hi
      }
    }
    this.fitStamp = arena.i32(K).fill(-1)
    this.fitVal = arena.u8(K)
  }

  /** Take option k (its group must be undecided). */
  apply(k: number): void {
    const { R, coef } = this.m
    const base = k * R
    for (let r = 0; r < R; r++) this.W[r] = (this.W[r] ?? 0) + (coef[base + r] ?? 0)
    this.V += this.m.value[k] ?? 0
    this.pick[this.m.groupOf[k] ?? 0] = k
  }

  /** Give option k back. */
  undo(k: number): void {
    const { R, coef } = this.m
    const base = k * R
    for (let r = 0; r < R; r++) this.W[r] = (this.W[r] ?? 0) - (coef[base + r] ?? 0)
    this.V -= this.m.value[k] ?? 0
    this.pick[this.m.groupOf[k] ?? 0] = -1
  }

  /** Forget every decision. */
  reset(): void {
    this.W.fill(0)
    this.V = 0
    this.pick.fill(-1)
  }

  /** Whether option k fits every capacity on top of what is decided. */
  fits(k: number): boolean {
    const { C, R, coef, max } = this.m
    const base = k * R
    for (let r = 0; r < C; r++) if ((this.W[r] ?? 0) + (coef[base + r] ?? 0) > (max[r] ?? 0)) return false
    return true
  }

  /** Start a new node: the answers of `fitsNow` are cached until the next call. */
  newNode(): void {
    this.stamp++
  }

  /** `fits`, cached per node; false for options ruled out by fixing. */
  fitsNow(k: number): boolean {
    if (this.fitStamp[k] !== this.stamp) {
      this.fitStamp[k] = this.stamp
      this.fitVal[k] = !this.fixedOut[k] && this.fits(k) ? 1 : 0
    }
    return this.fitVal[k] === 1
  }

  /** Whether some option of group g fits now. */
  groupFits(g: number): boolean {
    const { opts, optFrom } = this.m
    for (let i = optFrom[g] ?? 0; i < (optFrom[g + 1] ?? 0); i++) if (this.fitsNow(opts[i] ?? 0)) return true
    return false
  }

  /** Whether deciding group g (at its depth) as taken (`on`) or not keeps the links with decided groups. */
  linksOk(g: number, on: boolean): boolean {
    const d = this.pos[g] ?? 0
    for (const l of this.m.links[g] ?? []) {
      const od = this.pos[l.other] ?? 0
      if (od > d) {
        // Decided later; but a group this one requires must still be able to take something.
        if (on && l.kind === "requires" && !this.canStillTake(l.other)) return false
        continue
      }
      const other = (this.pick[l.other] ?? -1) >= 0
      if (l.kind === "excludes" && on && other) return false
      if (l.kind === "requires" && on && !other) return false
      if (l.kind === "requiredBy" && !on && other) return false
    }
    return true
  }

  /** Whether an undecided group has an option that fits what is decided so far. */
  private canStillTake(g: number): boolean {
    const { opts, optFrom } = this.m
    for (let i = optFrom[g] ?? 0; i < (optFrom[g + 1] ?? 0); i++) {
      const k = opts[i] ?? 0
      if (!this.fixedOut[k] && this.fits(k)) return true
    }
    return false
  }

  /** Whether the undecided groups (depth ≥ d) can still bring every row within its bounds. */
  rowsReachable(d: number): boolean {
    const { R, max, min } = this.m
    const base = d * R
    for (let r = 0; r < R; r++) {
      const w = this.W[r] ?? 0
      if (w + (this.lo[base + r] ?? 0) > (max[r] ?? 0)) return false
      if (w + (this.hi[base + r] ?? 0) < (min[r] ?? 0)) return false
    }
    return true
  }

  /** Whether the undecided groups may add something to capacity r: false when all of them fit at once. */
  capacityBinds(r: number, d: number, heaviest: Float64Array): boolean {
    return (this.W[r] ?? 0) + (heaviest[d * this.m.R + r] ?? 0) > (this.m.max[r] ?? 0)
  }
}

/** Per depth d and row r, the largest total the groups at depth ≥ d can add: out[d * R + r]. */
export const heaviestSuffix = (m: Model, order: Int32Array): Float64Array => {
  const { G, R } = m
  const out = arenaOf(m).f64((G + 1) * R)
  for (let d = G - 1; d >= 0; d--) {
    const g = order[d] ?? 0
    const from = m.optFrom[g] ?? 0
    const end = m.optFrom[g + 1] ?? 0
    for (let r = 0; r < R; r++) {
      let h = 0
      for (let i = from; i < end; i++) h = Math.max(h, m.coef[(m.opts[i] ?? 0) * R + r] ?? 0)
      out[d * R + r] = (out[(d + 1) * R + r] ?? 0) + h
    }
  }
  return out
}
