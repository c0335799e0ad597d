import type { Problem } from "./compile.ts"

/** What an engine returns: the choice per group (option index, or -1 for none). */
export interface EngineResult {
  readonly status: "optimal" | "feasible" | "infeasible" | "timeout"
  readonly choice: readonly number[] | null
  readonly objective: number | null
  /** Proven upper bound on the objective (equal to it when optimal; -Infinity when proven infeasible). */
  readonly bound: number
  /** The relaxation bound at the root, before branching. */
  readonly rootBound: number
  readonly nodes: number
  readonly millis: number
}

export interface EngineOptions {
  /** Stop the search after this many milliseconds and report what is proven. */
  readonly timeLimitMs?: number
  /** Stop at the first feasible package (used to test feasibility). */
  readonly firstFeasible?: boolean
}

const EPS = 1e-7

/**
 * Exact branch-and-bound for the multiple-choice, multi-dimensional knapsack with side rules.
 *
 * Bounding: the pool limits (and every other ≤ rule with non-negative coefficients) are
 * aggregated into one surrogate constraint with multipliers from a subgradient search on the
 * Lagrangian dual at the root; at each node the LP relaxation of that single-constraint
 * multiple-choice knapsack is solved greedily over the groups' convex hulls (Dantzig bound).
 * Any non-negative multipliers give a valid bound, so pruning never loses the optimum.
 * Feasibility is exact: all sums are integers. Other rules (minimums, rules with negative
 * coefficients, dependencies) are enforced by the search and pruned with suffix bounds.
 */
export const branchAndBound = (problem: Problem, options: EngineOptions = {}): EngineResult => {
  const t0 = performance.now()
  const deadline = options.timeLimitMs === undefined ? Infinity : t0 + options.timeLimitMs
  const G = problem.groups.length

  // Capacity rules: max only, all coefficients ≥ 0. The rest are "general" rules.
  const caps = problem.constraints.filter((c) => c.max !== undefined && c.min === undefined && c.coefs.every((r) => r.every((x) => x >= 0)))
  const general = problem.constraints.filter((c) => !caps.includes(c))
  const R = caps.length
  const capOf = caps.map((c) => c.max ?? 0)

  // Options that alone break a capacity rule can never be chosen.
  const opts: number[][] = problem.groups.map((g, gi) =>
    g.options.map((_, oi) => oi).filter((oi) => caps.every((c, r) => (c.coefs[gi]?.[oi] ?? 0) <= (capOf[r] ?? 0))),
  )

  // Multipliers u ≥ 0 on normalised capacity rules (weight / capacity), by subgradient on the Lagrangian dual.
  const norm = (r: number, gi: number, oi: number) => {
    const cap = capOf[r] ?? 0
    const w = caps[r]?.coefs[gi]?.[oi] ?? 0
    return cap > 0 ? w / cap : w > 0 ? Infinity : 0
  }
  const value = (gi: number, oi: number) => problem.groups[gi]?.options[oi]?.value ?? 0
  const u = lagrangeMultipliers(problem, opts, R, norm, value)

  // Surrogate weight of each option and its groups' LP hull segments.
  const sw = problem.groups.map((_, gi) => (problem.groups[gi]?.options ?? []).map((_, oi) => {
    let s = 0
    for (let r = 0; r < R; r++) s += (u[r] ?? 0) * norm(r, gi, oi)
    return s
  }))

  // Search order: groups that must be chosen first, then by best efficiency.
  const eff = (gi: number) =>
    Math.max(0, ...(opts[gi] ?? []).map((oi) => value(gi, oi) / ((sw[gi]?.[oi] ?? 0) + 1e-9)))
  const order = problem.groups.map((_, i) => i).sort((a, b) => {
    const ma = problem.groups[a]?.mustChoose ? 1 : 0
    const mb = problem.groups[b]?.mustChoose ? 1 : 0
    return mb - ma || eff(b) - eff(a)
  })
  const pos = new Array<number>(G)
  order.forEach((gi, d) => {
    pos[gi] = d
  })

  // Hull segments, globally sorted by efficiency; each knows its group's depth.
  interface Seg { depth: number; dw: number; dv: number; free: boolean }
  const segs: Seg[] = []
  order.forEach((gi, d) => {
    const pts = (opts[gi] ?? []).map((oi) => ({ w: sw[gi]?.[oi] ?? 0, v: value(gi, oi) }))
    for (const s of hullSegments(pts)) segs.push({ depth: d, ...s })
  })
  segs.sort((a, b) => (a.free === b.free ? b.dv * a.dw - a.dv * b.dw : a.free ? -1 : 1))

  const surrogateBound = (depth: number, rem: number): number => {
    let cap = rem
    let add = 0
    for (const s of segs) {
      if (s.depth < depth) continue
      if (s.free) {
        add += s.dv
        continue
      }
      if (s.dw <= cap) {
        cap -= s.dw
        add += s.dv
      } else {
        add += (s.dv * cap) / s.dw
        break
      }
    }
    return add
  }

  // Suffix sums of the smallest and largest contribution of undecided groups to each general rule.
  const genLo = general.map((c) => suffix(order, (gi) => extremum(c.coefs[gi] ?? [], opts[gi] ?? [], Math.min, problem.groups[gi]?.mustChoose ?? false)))
  const genHi = general.map((c) => suffix(order, (gi) => extremum(c.coefs[gi] ?? [], opts[gi] ?? [], Math.max, problem.groups[gi]?.mustChoose ?? false)))

  // Dependencies touching each group, seen from that group.
  const deps: { kind: "requires" | "excludes"; self: "a" | "b"; other: number }[][] = problem.groups.map(() => [])
  for (const d of problem.dependencies) {
    deps[d.a]?.push({ kind: d.kind, self: "a", other: d.b })
    if (d.b >= 0) deps[d.b]?.push({ kind: d.kind, self: "b", other: d.a })
  }

  const choice = new Array<number>(G).fill(-1)
  const W = new Array<number>(R).fill(0)
  const Gv = new Array<number>(general.length).fill(0)
  let best: number[] | null = null
  let bestValue = -Infinity
  let nodes = 0
  let stopped = false
  let openBound = -Infinity

  const remCap = () => {
    let s = 0
    for (let r = 0; r < R; r++) s += (u[r] ?? 0) * (1 - (W[r] ?? 0) / Math.max(capOf[r] ?? 0, 1e-300))
    return Math.max(0, s)
  }
  const rootBound = surrogateBound(0, remCap())

  const depsOk = (gi: number, oi: number, depth: number): boolean => {
    for (const d of deps[gi] ?? []) {
      if (d.other < 0) {
        if (oi >= 0) return false // requires a proposal that cannot be funded
        continue
      }
      if ((pos[d.other] ?? 0) >= depth) continue // decided later; checked then
      const otherChosen = (choice[d.other] ?? -1) >= 0
      const selfChosen = oi >= 0
      if (d.kind === "excludes" && selfChosen && otherChosen) return false
      if (d.kind === "requires") {
        if (d.self === "a" && selfChosen && !otherChosen) return false
        if (d.self === "b" && !selfChosen && otherChosen) return false
      }
    }
    return true
  }
  const generalOk = (depthAfter: number): boolean => {
    for (let k = 0; k < general.length; k++) {
      const c = general[k]
      const cur = Gv[k] ?? 0
      if (c?.max !== undefined && cur + (genLo[k]?.[depthAfter] ?? 0) > c.max) return false
      if (c?.min !== undefined && cur + (genHi[k]?.[depthAfter] ?? 0) < c.min) return false
    }
    return true
  }

  const apply = (gi: number, oi: number, sign: 1 | -1) => {
    for (let r = 0; r < R; r++) W[r] = (W[r] ?? 0) + sign * (caps[r]?.coefs[gi]?.[oi] ?? 0)
    for (let k = 0; k < general.length; k++) Gv[k] = (Gv[k] ?? 0) + sign * (general[k]?.coefs[gi]?.[oi] ?? 0)
  }
  const fits = (gi: number, oi: number) => {
    for (let r = 0; r < R; r++) if ((W[r] ?? 0) + (caps[r]?.coefs[gi]?.[oi] ?? 0) > (capOf[r] ?? 0)) return false
    return true
  }

  const dfs = (depth: number, V: number): void => {
    nodes++
    if ((nodes & 255) === 0 && performance.now() > deadline) stopped = true
    const bound = V + surrogateBound(depth, remCap())
    if (stopped) {
      openBound = Math.max(openBound, bound)
      return
    }
    if (best !== null && bound < bestValue + 1 - EPS * Math.max(1, Math.abs(bound))) return
    if (depth === G) {
      if (V > bestValue || best === null) {
        bestValue = V
        best = [...choice]
        if (options.firstFeasible) stopped = true
      }
      return
    }
    const gi = order[depth] ?? 0
    const group = problem.groups[gi]
    const tries = [...(opts[gi] ?? [])].sort((a, b) => value(gi, b) - value(gi, a))
    if (!group?.mustChoose) tries.push(-1)
    for (const oi of tries) {
      if (oi >= 0 && !fits(gi, oi)) continue
      if (!depsOk(gi, oi, depth)) continue
      if (oi >= 0) apply(gi, oi, 1)
      choice[gi] = oi
      if (generalOk(depth + 1)) dfs(depth + 1, V + (oi >= 0 ? value(gi, oi) : 0))
      choice[gi] = -1
      if (oi >= 0) apply(gi, oi, -1)
    }
  }
  dfs(0, 0)

  const millis = performance.now() - t0
  if (!stopped || (options.firstFeasible && best !== null))
    return best === null
      ? { status: "infeasible", choice: null, objective: null, bound: -Infinity, rootBound, nodes, millis }
      : { status: options.firstFeasible ? "feasible" : "optimal", choice: best, objective: bestValue, bound: options.firstFeasible ? rootBound : bestValue, rootBound, nodes, millis }
  const bound = Math.max(openBound, bestValue)
  return best === null
    ? { status: "timeout", choice: null, objective: null, bound: openBound, rootBound, nodes, millis }
    : { status: "feasible", choice: best, objective: bestValue, bound, rootBound, nodes, millis }
}

const suffix = (order: readonly number[], f: (gi: number) => number): number[] => {
  const out = new Array<number>(order.length + 1).fill(0)
  for (let d = order.length - 1; d >= 0; d--) out[d] = (out[d + 1] ?? 0) + f(order[d] ?? 0)
  return out
}

/** The smallest (largest) contribution a group can make to a rule; "none" counts as 0 unless the group must be chosen. */
const extremum = (coefs: readonly number[], allowed: readonly number[], pick: (...x: number[]) => number, must: boolean) => {
  const xs = allowed.map((oi) => coefs[oi] ?? 0)
  if (!must) xs.push(0)
  return xs.length ? pick(...xs) : 0
}

/**
 * Incremental segments of the upper concave hull of a group's (weight, value) points from the
 * origin (choosing nothing). "free" segments add value at no weight.
 */
export const hullSegments = (pts: readonly { w: number; v: number }[]): { dw: number; dv: number; free: boolean }[] => {
  const useful = pts.filter((p) => p.v > 0 && Number.isFinite(p.w)).sort((a, b) => a.w - b.w || b.v - a.v)
  const out: { dw: number; dv: number; free: boolean }[] = []
  let cw = 0
  let cv = 0
  // Best value at zero weight is free.
  const zero = useful.filter((p) => p.w <= 0)
  if (zero.length) {
    cv = Math.max(...zero.map((p) => p.v))
    out.push({ dw: 0, dv: cv, free: true })
  }
  let rest = useful.filter((p) => p.w > 0 && p.v > cv)
  while (rest.length) {
    // Next hull point: the steepest slope from the current point; ties go to the heavier point.
    let bestP: { w: number; v: number } | undefined
    let bestS = -Infinity
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

/** Subgradient search for Lagrange multipliers on the normalised capacity rules. */
const lagrangeMultipliers = (
  problem: Problem,
  opts: readonly number[][],
  R: number,
  norm: (r: number, gi: number, oi: number) => number,
  value: (gi: number, oi: number) => number,
): number[] => {
  if (R === 0) return []
  const G = problem.groups.length
  const maxV = Math.max(1, ...problem.groups.flatMap((g) => g.options.map((o) => Math.abs(o.value))))
  let u = new Array<number>(R).fill(maxV / Math.max(1, G))
  let bestU = [...u]
  let bestL = Infinity
  let step = 2
  let since = 0
  for (let it = 0; it < 120; it++) {
    let L = 0
    const grad = new Array<number>(R).fill(1)
    for (let r = 0; r < R; r++) L += u[r] ?? 0
    for (let gi = 0; gi < G; gi++) {
      let bv = 0
      let bo = -1
      for (const oi of opts[gi] ?? []) {
        let red = value(gi, oi)
        for (let r = 0; r < R; r++) red -= (u[r] ?? 0) * norm(r, gi, oi)
        if (red > bv) {
          bv = red
          bo = oi
        }
      }
      L += bv
      if (bo >= 0) for (let r = 0; r < R; r++) grad[r] = (grad[r] ?? 0) - norm(r, gi, bo)
    }
    if (L < bestL - 1e-9) {
      bestL = L
      bestU = [...u]
      since = 0
    } else if (++since >= 8) {
      step /= 2
      since = 0
      u = [...bestU]
    }
    let g2 = 0
    for (const g of grad) g2 += g * g
    if (g2 < 1e-18 || step < 1e-6) break
    const t = (step * Math.max(bestL * 0.02, 1e-6)) / g2
    u = u.map((x, r) => Math.max(0, x - t * (grad[r] ?? 0)))
  }
  return bestU
}
