/** A piece of a group's upper concave hull: `dw` more weight for `dv` more value. */
export interface HullSegment {
  readonly dw: number
  readonly dv: number
  /** Value at no weight (an option with weight 0). */
  readonly free: boolean
}

/**
 * Incremental segments of the upper concave hull of a group's (weight, value) points, starting
 * from the origin (choosing nothing). Taking the segments in order, each a fraction at most, is
 * the LP relaxation of "at most one of these options". Points with value ≤ 0 never help.
 */
export const hullSegments = (pts: readonly { w: number; v: number }[]): HullSegment[] => {
  const useful = pts.filter((p) => p.v > 0 && Number.isFinite(p.w)).sort((a, b) => a.w - b.w || b.v - a.v)
  const out: HullSegment[] = []
  let cw = 0
  let cv = 0
  const zero = useful.filter((p) => p.w <= 0)
  if (zero.length) {
    cv = Math.max(...zero.map((p) => p.v))
    out.push({ dw: 0, dv: cv, free: true })
  }
  let rest = useful.filter((p) => p.w > 0 && p.v > cv)
  while (rest.length) {
    // Next hull point: the steepest slope from the current point; ties go to the heavier point.
    let bestP: { w: number; v: number } | undefined
    let bestS = Number.NEGATIVE_INFINITY
    for (const p of rest) {
      const s = (p.v - cv) / (p.w - cw)
      if (s > bestS + 1e-15 || (Math.abs(s - bestS) <= 1e-15 && bestP && p.w > bestP.w)) {
        bestS = s
        bestP = p
      }
    }
    if (!bestP || bestS <= 0) break
    out.push({ dw: bestP.w - cw, dv: bestP.v - cv, free: false })
    cw = bestP.w
    cv = bestP.v
    const cur = bestP
    rest = rest.filter((p) => p.w > cur.w && p.v > cur.v)
  }
  return out
}

/**
 * `hullSegments` of the options `ks[from]` … `ks[end − 1]` (weights `weight`, values `value`)
 * without an object per point: the segments are written to `dw` / `dv` from index `at` on, their
 * count returned. `pw`, `pv`, `alive`: scratch of at least `end − from`. The small search builds a relaxation per
 * capacity on every solve, and the points' objects were a good part of that.
 */
export const hullInto = (
  ks: Int32Array,
  from: number,
  end: number,
  weight: Float64Array,
  value: Float64Array,
  dw: Float64Array,
  dv: Float64Array,
  at: number,
  pw: Float64Array,
  pv: Float64Array,
  alive: Uint8Array,
): number => {
  // The useful points by weight, then value descending (insertion sort: stable, as sort is).
  let n = 0
  for (let i = from; i < end; i++) {
    const k = ks[i] ?? 0
    const w = weight[k] ?? 0
    const v = value[k] ?? 0
    if (!(v > 0 && Number.isFinite(w))) continue
    let j = n++
    while (j > 0 && ((pw[j - 1] ?? 0) > w || ((pw[j - 1] ?? 0) === w && (pv[j - 1] ?? 0) < v))) {
      pw[j] = pw[j - 1] ?? 0
      pv[j] = pv[j - 1] ?? 0
      j--
    }
    pw[j] = w
    pv[j] = v
  }
  let out = at
  let cw = 0
  let cv = 0
  let zero = false
  for (let i = 0; i < n; i++)
    if ((pw[i] ?? 0) <= 0) {
      cv = zero ? Math.max(cv, pv[i] ?? 0) : (pv[i] ?? 0)
      zero = true
    }
  if (zero) {
    dw[out] = 0
    dv[out++] = cv
  }
  let left = 0
  for (let i = 0; i < n; i++) {
    const keep = (pw[i] ?? 0) > 0 && (pv[i] ?? 0) > cv
    alive[i] = keep ? 1 : 0
    if (keep) left++
  }
  while (left > 0) {
    let best = -1
    let bestS = Number.NEGATIVE_INFINITY
    for (let i = 0; i < n; i++) {
      if (!alive[i]) continue
      const s = ((pv[i] ?? 0) - cv) / ((pw[i] ?? 0) - cw)
      if (
        s > bestS + 1e-15 ||
        (Math.abs(s - bestS) <= 1e-15 && best >= 0 && (pw[i] ?? 0) > (pw[best] ?? 0))
      ) {
        bestS = s
        best = i
      }
    }
    if (best < 0 || bestS <= 0) break
    const bw = pw[best] ?? 0
    const bv = pv[best] ?? 0
    dw[out] = bw - cw
    dv[out++] = bv - cv
    cw = bw
    cv = bv
    left = 0
    for (let i = 0; i < n; i++) {
      if (!alive[i]) continue
      if ((pw[i] ?? 0) > bw && (pv[i] ?? 0) > bv) left++
      else alive[i] = 0
    }
  }
  return out - at
}
