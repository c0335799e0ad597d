/**
 * A dense bounded-variable dual simplex for small LPs: maximise c·x subject to A x + s = b,
 * lo ≤ x ≤ hi (structural columns 0 … n−1) and s ≥ 0 (one slack per row, columns n … n+m−1).
 *
 * It keeps the whole tableau B⁻¹[A I], so a node of a branch and bound copies its parent's
 * tableau, tightens a few bounds and repairs primal feasibility with a few dual pivots (the
 * basis stays dual feasible when bounds only tighten). Meant for a few dozen rows and a few
 * hundred columns; the caller decides when a problem is small enough.
 */
export class DualSimplex {
  readonly N: number
  /** The tableau, row-major: T[i * N + j]. */
  readonly T: Float64Array
  /** Value of the basic variable of each row. */
  readonly beta: Float64Array
  /** Reduced cost of each column: the objective's change per unit increase. */
  readonly d: Float64Array
  readonly lo: Float64Array
  readonly hi: Float64Array
  /** Column basic in each row. */
  readonly basis: Int32Array
  /** Per column: its row when basic, −1 at its lower bound, −2 at its upper bound. */
  readonly where: Int32Array
  /** Objective value of the current basic solution. */
  z = 0
  /** Scratch: the pivot row's nonzero columns, and the columns eligible to enter. */
  private readonly nz: Int32Array
  private readonly cand: Int32Array

  /**
   * The slack basis with every structural column at the bound its cost prefers (a dual
   * feasible start). `A` is row-major (m × n); `hi` of the structurals is 1 unless given.
   */
  constructor(
    readonly m: number,
    readonly n: number,
    A?: ArrayLike<number>,
    b?: ArrayLike<number>,
    c?: ArrayLike<number>,
  ) {
    const N = n + m
    this.N = N
    this.T = new Float64Array(m * N)
    this.beta = new Float64Array(m)
    this.d = new Float64Array(N)
    this.lo = new Float64Array(N)
    this.hi = new Float64Array(N).fill(1)
    this.basis = new Int32Array(m)
    this.where = new Int32Array(N)
    this.nz = new Int32Array(N)
    this.cand = new Int32Array(N)
    if (!A || !b || !c) return
    for (let j = n; j < N; j++) this.hi[j] = Number.POSITIVE_INFINITY
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) this.T[i * N + j] = A[i * n + j] ?? 0
      this.T[i * N + n + i] = 1
      this.basis[i] = n + i
      this.where[n + i] = i
    }
    for (let j = 0; j < n; j++) {
      const cj = c[j] ?? 0
      this.d[j] = cj
      this.where[j] = cj > 0 ? -2 : -1
    }
    for (let i = 0; i < m; i++) {
      let s = b[i] ?? 0
      for (let j = 0; j < n; j++) if (this.where[j] === -2) s -= A[i * n + j] ?? 0
      this.beta[i] = s
    }
    for (let j = 0; j < n; j++) if (this.where[j] === -2) this.z += c[j] ?? 0
  }

  /** Make this a copy of `o` (same shape): a child node starts from its parent's basis. */
  copyFrom(o: DualSimplex): void {
    this.T.set(o.T)
    this.beta.set(o.beta)
    this.d.set(o.d)
    this.lo.set(o.lo)
    this.hi.set(o.hi)
    this.basis.set(o.basis)
    this.where.set(o.where)
    this.z = o.z
  }

  /** The value of column j in the current basic solution. */
  value(j: number): number {
    const w = this.where[j] ?? -1
    return w >= 0 ? (this.beta[w] ?? 0) : w === -2 ? (this.hi[j] ?? 0) : (this.lo[j] ?? 0)
  }

  /** Fix column j at v (lo = hi = v); a nonbasic column moves there and the basic values follow. */
  fix(j: number, v: number): void {
    const w = this.where[j] ?? -1
    if (w < 0) {
      const delta = v - this.value(j)
      if (delta !== 0) {
        const { T, N, m } = this
        for (let i = 0; i < m; i++) this.beta[i] = (this.beta[i] ?? 0) - (T[i * N + j] ?? 0) * delta
        this.z += (this.d[j] ?? 0) * delta
      }
      this.where[j] = -1
    }
    this.lo[j] = v
    this.hi[j] = v
  }

  /**
   * Dual simplex pivots until the basic solution is within its bounds. "optimal": the basis is
   * primal and dual feasible; "infeasible": a row cannot be repaired; "limit": out of pivots.
   */
  solve(maxPivots: number): "optimal" | "infeasible" | "limit" {
    const { T, N, m, beta, d, lo, hi, where } = this
    const PTOL = 1e-9
    for (let it = 0; it < maxPivots; it++) {
      // Leaving row: the largest bound violation.
      let r = -1
      let worst = PTOL
      for (let i = 0; i < m; i++) {
        const j = this.basis[i] ?? 0
        const x = beta[i] ?? 0
        const v = Math.max((lo[j] ?? 0) - x, x - (hi[j] ?? 0))
        if (v > worst) {
          worst = v
          r = i
        }
      }
      if (r < 0) return "optimal"
      const leave = this.basis[r] ?? 0
      const up = (beta[r] ?? 0) < (lo[leave] ?? 0) // the leaving variable must increase
      const target = up ? (lo[leave] ?? 0) : (hi[leave] ?? 0)
      const row = r * N
      // Ratio test (Harris' two passes): the smallest |d_j / α_j| among the columns that move
      // the leaving variable the right way, then among near-ties the largest |α_j| for stability.
      const cand = this.cand
      let count = 0
      let bound = Number.POSITIVE_INFINITY
      for (let j = 0; j < N; j++) {
        const a = T[row + j] ?? 0
        const wj = where[j] ?? 0
        if (wj >= 0 || Math.abs(a) < PTOL || lo[j] === hi[j]) continue
        const atLo = wj === -1
        if (up ? (atLo ? a >= 0 : a <= 0) : atLo ? a <= 0 : a >= 0) continue
        cand[count++] = j
        const q = (Math.abs(d[j] ?? 0) + 1e-9) / Math.abs(a)
        if (q < bound) bound = q
      }
      if (!count) return "infeasible"
      let enter = -1
      let bestA = 0
      for (let q = 0; q < count; q++) {
        const j = cand[q] ?? 0
        const a = T[row + j] ?? 0
        if (Math.abs(d[j] ?? 0) / Math.abs(a) <= bound && Math.abs(a) > bestA) {
          bestA = Math.abs(a)
          enter = j
        }
      }
      if (enter < 0) return "infeasible"
      const alpha = T[row + enter] ?? 0
      const step = ((beta[r] ?? 0) - target) / alpha
      const xEnter = this.value(enter)
      for (let i = 0; i < m; i++) beta[i] = (beta[i] ?? 0) - (T[i * N + enter] ?? 0) * step
      beta[r] = xEnter + step
      this.z += (d[enter] ?? 0) * step
      // Pivot on (r, enter), over the pivot row's nonzeros only (the rows of groups are sparse).
      const inv = 1 / alpha
      const nz = this.nz
      let nnz = 0
      for (let j = 0; j < N; j++) {
        const a = T[row + j] ?? 0
        if (a === 0) continue
        T[row + j] = a * inv
        nz[nnz++] = j
      }
      T[row + enter] = 1
      for (let i = 0; i < m; i++) {
        if (i === r) continue
        const f = T[i * N + enter] ?? 0
        if (f === 0) continue
        const base = i * N
        for (let q = 0; q < nnz; q++) {
          const j = nz[q] ?? 0
          T[base + j] = (T[base + j] ?? 0) - f * (T[row + j] ?? 0)
        }
        T[base + enter] = 0
      }
      const fd = d[enter] ?? 0
      if (fd !== 0)
        for (let q = 0; q < nnz; q++) {
          const j = nz[q] ?? 0
          d[j] = (d[j] ?? 0) - fd * (T[row + j] ?? 0)
        }
      d[enter] = 0
      this.basis[r] = enter
      where[enter] = r
      where[leave] = up ? -1 : -2
    }
    return "limit"
  }

  /** The dual value of row i (≥ 0 for a ≤ row at an optimal basis; clamped at 0). */
  dual(i: number): number {
    return Math.max(0, -(this.d[this.n + i] ?? 0))
  }
}
