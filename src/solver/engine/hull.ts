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
