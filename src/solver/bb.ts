import { violations } from "./check.ts"
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
  /** Which limit ended the search early; absent when it ran to the end. */
  readonly stoppedBy?: StopReason
}

/** Why a search ended before it was complete: its time limit (or a stop request) or its node budget. */
export type StopReason = "timeLimit" | "nodeLimit"

export interface EngineOptions {
  /** Stop the search after this many milliseconds and report what is proven. */
  readonly timeLimitMs?: number
  /** Stop the search after this many nodes (a deterministic budget, for tests and what-if previews). */
  readonly nodeLimit?: number
  /** Stop at the first feasible package (used to test feasibility). */
  readonly firstFeasible?: boolean
  /**
   * Asked every 256 nodes beside the clock: true stops the search as the time limit would (a
   * cancelled request). It may also throw, to abandon the search altogether.
   */
  readonly shouldStop?: () => boolean
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
  const deadline = options.timeLimitMs === undefined ? Number.POSITIVE_INFINITY : t0 + options.timeLimitMs
  const nodeLimit = options.nodeLimit ?? Number.POSITIVE_INFINITY
  const groups = problem.groups
  const G = groups.length

  // Capacity rules: max only, all coefficients ≥ 0. The rest are "general" rules.
  const isCap = problem.constraints.map(
    (c) => c.max !== undefined && c.min === undefined && c.coefs.every((r) => r.every((x) => x >= 0)),
  )
  // A capacity rule that every package keeps (even taking the heaviest option of every group)
  // can never cut anything off: leave it out of the search.
  const redundant = problem.constraints.map(
    (c, i) => isCap[i] && c.coefs.reduce((s, row) => s + Math.max(0, ...row), 0) <= (c.max ?? 0),
  )
  const caps = problem.constraints.filter((_, i) => isCap[i] && !redundant[i])
  const general = problem.constraints.filter((_, i) => !isCap[i])
  const R = caps.length
  const capOf = Float64Array.from(caps, (c) => c.max ?? 0)

  // Options that alone break a capacity rule can never be chosen.
  const opts: number[][] = groups.map((g, gi) =>
    g.options
      .map((_, oi) => oi)
      .filter((oi) => caps.every((c, r) => (c.coefs[gi]?.[oi] ?? 0) <= (capOf[r] ?? 0))),
  )
  const value = (gi: number, oi: number) => groups[gi]?.options[oi]?.value ?? 0
  const norm = (r: number, gi: number, oi: number) => {
    const cap = capOf[r] ?? 0
    const w = caps[r]?.coefs[gi]?.[oi] ?? 0
    return cap > 0 ? w / cap : w > 0 ? Number.POSITIVE_INFINITY : 0
  }

  // Flat option table: option k of the search = (group, index); weights row-major [k * R + r].
  const optGroup: number[] = []
  const optIndex: number[] = []
  const optValue: number[] = []
  const optW: number[] = []
  const optSur: number[] = []
  const groupOpts: number[][] = groups.map(() => [])
  groups.forEach((_, gi) => {
    for (const oi of opts[gi] ?? []) {
      const k = optGroup.length
      optGroup.push(gi)
      optIndex.push(oi)
      optValue.push(value(gi, oi))
      for (let r = 0; r < R; r++) optW.push(caps[r]?.coefs[gi]?.[oi] ?? 0)
      groupOpts[gi]?.push(k)
    }
  })
  const K = optGroup.length
  const optN = new Float64Array(K * R)
  for (let k = 0; k < K; k++)
    for (let r = 0; r < R; r++) optN[k * R + r] = norm(r, optGroup[k] ?? 0, optIndex[k] ?? 0)
  const u = lagrangeMultipliers(groupOpts, optValue, optN, R)
  for (let k = 0; k < K; k++) {
    let s = 0
    for (let r = 0; r < R; r++) s += (u[r] ?? 0) * (optN[k * R + r] ?? 0)
    optSur.push(s)
  }

  // Search order: groups that must be chosen first, then by the order key.
  // Order key: the geometric mean of value and surrogate efficiency, so that large, efficient
  // proposals are decided first (they shape the bound most); measured better than either alone.
  const effOf = groups.map((_, gi) => {
    let e = 0
    for (const k of groupOpts[gi] ?? []) {
      const v = Math.max(0, optValue[k] ?? 0)
      e = Math.max(e, Math.sqrt((v * v) / ((optSur[k] ?? 0) + 1e-9)))
    }
    return e
  })
  const eff = (gi: number) => effOf[gi] ?? 0
  const order = groups
    .map((_, i) => i)
    .sort((a, b) => Number(groups[b]?.mustChoose) - Number(groups[a]?.mustChoose) || eff(b) - eff(a))
  const pos = new Int32Array(G)
  order.forEach((gi, d) => {
    pos[gi] = d
  })
  // Options to try at each depth, best value first; -1 (none) last unless the group must be chosen.
  const tries: number[][] = order.map((gi) => {
    const ks = [...(groupOpts[gi] ?? [])].sort((a, b) => (optValue[b] ?? 0) - (optValue[a] ?? 0))
    if (!groups[gi]?.mustChoose) ks.push(-1)
    return ks
  })

  // LP hull segments of each group in the surrogate, globally sorted by efficiency. A segment of
  // a group with one option can be skipped at a node where that option no longer fits; a group
  // with several options keeps its hull unless none of its options fits.
  const segDepth: number[] = []
  const segDw: number[] = []
  const segDv: number[] = []
  const segFree: boolean[] = []
  {
    const all: { depth: number; dw: number; dv: number; free: boolean }[] = []
    order.forEach((gi, d) => {
      const pts = (groupOpts[gi] ?? []).map((k) => ({ w: optSur[k] ?? 0, v: optValue[k] ?? 0 }))
      for (const sg of hullSegments(pts)) all.push({ depth: d, ...sg })
    })
    all.sort((a, b) => (a.free === b.free ? b.dv * a.dw - a.dv * b.dw : a.free ? -1 : 1))
    for (const sg of all) {
      segDepth.push(sg.depth)
      segDw.push(sg.dw)
      segDv.push(sg.dv)
      segFree.push(sg.free)
    }
  }
  const S = segDepth.length
  const W = new Float64Array(R)
  // Rules that can still be broken below the current node (the others have room for every
  // remaining option at once); one list per depth, filled on entering a node.
  const actBuf = Array.from({ length: G + 1 }, () => new Int32Array(R))
  const nAct = new Int32Array(G + 1)
  let curDepth = 0
  const fitsK = (k: number) => {
    const base = k * R
    const act = actBuf[curDepth] as Int32Array
    const n = nAct[curDepth] ?? 0
    for (let i = 0; i < n; i++) {
      const r = act[i] ?? 0
      if ((W[r] ?? 0) + (optW[base + r] ?? 0) > (capOf[r] ?? 0)) return false
    }
    return true
  }
  const groupFits = (gi: number) => {
    for (const k of groupOpts[gi] ?? []) if (fitsNow(k)) return true
    return false
  }
  // Which options still fit, refreshed once per node (fitStamp[k] === node means "computed").
  const fitStamp = new Int32Array(K).fill(-1)
  const fitVal = new Uint8Array(K)
  let stamp = 0
  const fitsNow = (k: number) => {
    if (fitStamp[k] !== stamp) {
      fitStamp[k] = stamp
      fitVal[k] = fitsK(k) ? 1 : 0
    }
    return fitVal[k] === 1
  }
  const single = order.map((gi) => (groupOpts[gi]?.length === 1 ? (groupOpts[gi]?.[0] ?? -1) : -1))

  // The LP bound of the surrogate knapsack over the undecided groups, sharpened the way Martello
  // and Toth sharpen the Dantzig bound: when the critical segment is a whole option (its group has
  // one option), the optimum either leaves it out (the LP of the rest) or takes it whole (paid for
  // by giving up the least efficient part of what the greedy took). The larger of the two is valid.
  const surrogateBound = (depth: number): number => {
    let cap = 0
    for (let r = 0; r < R; r++) cap += (u[r] ?? 0) * (1 - (W[r] ?? 0) / Math.max(capOf[r] ?? 0, 1e-300))
    if (cap < 0) cap = 0
    let add = 0
    let lastEff = -1
    for (let i = 0; i < S; i++) {
      const d = segDepth[i] ?? 0
      if (d < depth) continue
      const one = single[d] ?? -1
      if (one >= 0 ? !fitsNow(one) : !groupFits(order[d] ?? 0)) continue
      const dv = segDv[i] ?? 0
      if (segFree[i]) {
        add += dv
        continue
      }
      const dw = segDw[i] ?? 0
      if (dw <= cap) {
        cap -= dw
        add += dv
        lastEff = dv / dw
        continue
      }
      if (one < 0) return add + (dv * cap) / dw
      const takeIt = lastEff >= 0 ? add + dv - (dw - cap) * lastEff : Number.NEGATIVE_INFINITY
      return Math.max(takeIt, add + greedyFrom(i + 1, depth, cap))
    }
    return add
  }
  const greedyFrom = (start: number, depth: number, capIn: number): number => {
    let cap = capIn
    let add = 0
    for (let i = start; i < S; i++) {
      const d = segDepth[i] ?? 0
      if (d < depth || segFree[i]) continue
      const one = single[d] ?? -1
      if (one >= 0 ? !fitsNow(one) : !groupFits(order[d] ?? 0)) continue
      const dv = segDv[i] ?? 0
      const dw = segDw[i] ?? 0
      if (dw <= cap) {
        cap -= dw
        add += dv
      } else return add + (dv * cap) / dw
    }
    return add
  }

  // Each capacity rule on its own: options sorted by value per unit of that rule's weight.
  // The LP bound of one rule (with options that no longer fit left out) is also valid; the
  // node bound is the smallest of them and the surrogate.
  const perRule: { k: Int32Array; depth: Int32Array }[] = []
  for (let r = 0; r < R; r++) {
    const ks: number[] = []
    order.forEach((gi) => {
      for (const k of groupOpts[gi] ?? []) if ((optValue[k] ?? 0) > 0) ks.push(k)
    })
    ks.sort(
      (a, b) => (optValue[b] ?? 0) * (optW[a * R + r] ?? 0) - (optValue[a] ?? 0) * (optW[b * R + r] ?? 0),
    )
    perRule.push({ k: Int32Array.from(ks), depth: Int32Array.from(ks, (k) => pos[optGroup[k] ?? 0] ?? 0) })
  }
  // (A group with several options is relaxed to "any subset of its options" here: still a valid bound.)
  // Heaviest possible remaining demand on each rule from depth d on: a rule that can take all
  // of it gives no better bound than the surrogate and is skipped at that node.
  const sufMaxW = Array.from({ length: R }, (_, r) =>
    suffix(order, (gi) => Math.max(0, ...(groupOpts[gi] ?? []).map((k) => optW[k * R + r] ?? 0))),
  )
  const ruleBound = (r: number, depth: number, limit: number): number => {
    const pr = perRule[r]
    if (!pr) return Number.POSITIVE_INFINITY
    let cap = (capOf[r] ?? 0) - (W[r] ?? 0)
    if ((sufMaxW[r]?.[depth] ?? 0) <= cap) return Number.POSITIVE_INFINITY
    let add = 0
    let lastEff = -1
    const n = pr.k.length
    for (let i = 0; i < n; i++) {
      const d = pr.depth[i] ?? 0
      if (d < depth) continue
      const k = pr.k[i] ?? 0
      if (!fitsNow(k)) continue
      const w = optW[k * R + r] ?? 0
      const v = optValue[k] ?? 0
      if (w <= cap) {
        cap -= w
        add += v
        if (w > 0) lastEff = v / w
        if (add > limit) return add
        continue
      }
      // Critical option: leave it out (LP of the rest) or take it whole (Martello-Toth).
      const takeIt = lastEff >= 0 ? add + v - (w - cap) * lastEff : Number.NEGATIVE_INFINITY
      let rest = 0
      let c2 = cap
      for (let j = i + 1; j < n; j++) {
        if ((pr.depth[j] ?? 0) < depth) continue
        const k2 = pr.k[j] ?? 0
        if (!fitsNow(k2)) continue
        const w2 = optW[k2 * R + r] ?? 0
        const v2 = optValue[k2] ?? 0
        if (w2 <= c2) {
          c2 -= w2
          rest += v2
        } else {
          rest += (v2 * c2) / w2
          break
        }
      }
      return Math.max(takeIt, add + rest)
    }
    return add
  }

  // Suffix sums of the smallest and largest contribution of undecided groups to each general rule.
  const must = (gi: number) => groups[gi]?.mustChoose ?? false
  const genLo = general.map((c) =>
    suffix(order, (gi) => extremum(c.coefs[gi] ?? [], opts[gi] ?? [], Math.min, must(gi))),
  )
  const genHi = general.map((c) =>
    suffix(order, (gi) => extremum(c.coefs[gi] ?? [], opts[gi] ?? [], Math.max, must(gi))),
  )

  // Dependencies touching each group, seen from that group.
  const deps: { kind: "requires" | "excludes"; self: "a" | "b"; other: number }[][] = groups.map(() => [])
  for (const d of problem.dependencies) {
    deps[d.a]?.push({ kind: d.kind, self: "a", other: d.b })
    if (d.b >= 0) deps[d.b]?.push({ kind: d.kind, self: "b", other: d.a })
  }

  const choice = new Array<number>(G).fill(-1)
  const Gv = new Float64Array(general.length)
  let best: number[] | null = null
  let bestValue = Number.NEGATIVE_INFINITY
  let nodes = 0
  let stopped = false
  let stoppedBy: StopReason | undefined
  const shouldStop = options.shouldStop
  let openBound = Number.NEGATIVE_INFINITY
  let rootBound = 0

  const depsOk = (gi: number, chosen: boolean, depth: number): boolean => {
    for (const d of deps[gi] ?? []) {
      if (d.other < 0) {
        if (chosen) return false // requires a proposal that cannot be funded
        continue
      }
      if ((pos[d.other] ?? 0) >= depth) continue // decided later; checked then
      const otherChosen = (choice[d.other] ?? -1) >= 0
      if (d.kind === "excludes" && chosen && otherChosen) return false
      if (d.kind === "requires") {
        if (d.self === "a" && chosen && !otherChosen) return false
        if (d.self === "b" && !chosen && otherChosen) return false
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
  const apply = (k: number, sign: 1 | -1) => {
    const base = k * R
    for (let r = 0; r < R; r++) W[r] = (W[r] ?? 0) + sign * (optW[base + r] ?? 0)
    const gi = optGroup[k] ?? 0
    const oi = optIndex[k] ?? 0
    for (let j = 0; j < general.length; j++) Gv[j] = (Gv[j] ?? 0) + sign * (general[j]?.coefs[gi]?.[oi] ?? 0)
  }

  const enter = (depth: number) => {
    curDepth = depth
    const act = actBuf[depth] as Int32Array
    let n = 0
    for (let r = 0; r < R; r++) if ((W[r] ?? 0) + (sufMaxW[r]?.[depth] ?? 0) > (capOf[r] ?? 0)) act[n++] = r
    nAct[depth] = n
  }
  // A first package before the search: the search's own first dive, without backtracking.
  // It gives an early stop something to return and the search a value to prune against.
  const greedyDive = () => {
    const taken: number[] = []
    let V = 0
    let depth = 0
    for (; depth < G; depth++) {
      enter(depth)
      const gi = order[depth] ?? 0
      let ok = false
      for (const k of tries[depth] ?? []) {
        const chosen = k >= 0
        if ((chosen && !fitsK(k)) || !depsOk(gi, chosen, depth)) continue
        if (chosen) apply(k, 1)
        choice[gi] = chosen ? (optIndex[k] ?? -1) : -1
        if (generalOk(depth + 1)) {
          if (chosen) {
            taken.push(k)
            V += optValue[k] ?? 0
          }
          ok = true
          break
        }
        choice[gi] = -1
        if (chosen) apply(k, -1)
      }
      if (!ok) break
    }
    if (depth === G) {
      best = [...choice]
      bestValue = V
    }
    for (const k of taken) apply(k, -1)
    choice.fill(-1)
  }

  // A second first package: options by surrogate efficiency (value per unit of the aggregated
  // pools), the classic knapsack greedy, which is near-optimal when there are many small
  // proposals. Kept only when it keeps every rule and beats the dive.
  const greedyByEfficiency = () => {
    const ks = Array.from({ length: K }, (_, k) => k)
      .filter((k) => (optValue[k] ?? 0) > 0 || groups[optGroup[k] ?? 0]?.mustChoose)
      .sort((a, b) => {
        const ma = Number(groups[optGroup[a] ?? 0]?.mustChoose)
        const mb = Number(groups[optGroup[b] ?? 0]?.mustChoose)
        return (
          mb - ma ||
          (optValue[b] ?? 0) / ((optSur[b] ?? 0) + 1e-12) - (optValue[a] ?? 0) / ((optSur[a] ?? 0) + 1e-12)
        )
      })
    enter(0)
    const taken: number[] = []
    let V = 0
    for (const k of ks) {
      const gi = optGroup[k] ?? 0
      if ((choice[gi] ?? -1) >= 0 || !fitsK(k)) continue
      apply(k, 1)
      choice[gi] = optIndex[k] ?? -1
      taken.push(k)
      V += optValue[k] ?? 0
    }
    const ok = V > bestValue && feasibleChoice(choice)
    if (ok) {
      best = [...choice]
      bestValue = V
    }
    for (const k of taken) apply(k, -1)
    choice.fill(-1)
  }
  const feasibleChoice = (c: readonly number[]) => violations(problem, c).length === 0

  const dfs = (depth: number, V: number): void => {
    nodes++
    stamp = nodes
    enter(depth)
    if (!stopped)
      if (nodes > nodeLimit) {
        stopped = true
        stoppedBy = "nodeLimit"
      } else if ((nodes & 255) === 0 && (performance.now() > deadline || shouldStop?.() === true)) {
        stopped = true
        stoppedBy = "timeLimit"
      }
    if (depth === G) {
      if (!stopped || best === null || V > bestValue) {
        if (V > bestValue || best === null) {
          bestValue = V
          best = [...choice]
          if (options.firstFeasible) stopped = true
        }
      }
      return
    }
    let bound = V + surrogateBound(depth)
    if (stopped) {
      openBound = Math.max(openBound, bound)
      return
    }
    const cut = bestValue + 1 - EPS * Math.max(1, Math.abs(bound))
    if (best !== null && bound < cut) return
    if (best !== null)
      for (let i = 0; i < (nAct[depth] ?? 0); i++) {
        bound = Math.min(bound, V + ruleBound(actBuf[depth]?.[i] ?? 0, depth, cut - V))
        if (bound < cut) return
      }
    const gi = order[depth] ?? 0
    for (const k of tries[depth] ?? []) {
      const chosen = k >= 0
      curDepth = depth
      if (chosen && !fitsK(k)) continue
      if (!depsOk(gi, chosen, depth)) continue
      if (chosen) apply(k, 1)
      choice[gi] = chosen ? (optIndex[k] ?? -1) : -1
      if (generalOk(depth + 1)) dfs(depth + 1, V + (chosen ? (optValue[k] ?? 0) : 0))
      choice[gi] = -1
      if (chosen) apply(k, -1)
    }
  }
  stamp = 0
  enter(0)
  rootBound = surrogateBound(0)
  greedyDive()
  greedyByEfficiency()
  dfs(0, 0)

  const millis = performance.now() - t0
  const early = stoppedBy === undefined ? {} : { stoppedBy }
  if (!stopped || (options.firstFeasible && best !== null))
    return best === null
      ? {
          status: "infeasible",
          choice: null,
          objective: null,
          bound: Number.NEGATIVE_INFINITY,
          rootBound,
          nodes,
          millis,
        }
      : {
          status: options.firstFeasible ? "feasible" : "optimal",
          choice: best,
          objective: bestValue,
          bound: options.firstFeasible ? Math.max(rootBound, bestValue) : bestValue,
          rootBound,
          nodes,
          millis,
        }
  return best === null
    ? {
        status: "timeout",
        choice: null,
        objective: null,
        bound: openBound,
        rootBound,
        nodes,
        millis,
        ...early,
      }
    : {
        status: "feasible",
        choice: best,
        objective: bestValue,
        bound: Math.max(openBound, bestValue),
        rootBound,
        nodes,
        millis,
        ...early,
      }
}

const suffix = (order: readonly number[], f: (gi: number) => number): number[] => {
  const out = new Array<number>(order.length + 1).fill(0)
  for (let d = order.length - 1; d >= 0; d--) out[d] = (out[d + 1] ?? 0) + f(order[d] ?? 0)
  return out
}

/** The smallest (largest) contribution a group can make to a rule; "none" counts as 0 unless the group must be chosen. */
const extremum = (
  coefs: readonly number[],
  allowed: readonly number[],
  pick: (...x: number[]) => number,
  must: boolean,
) => {
  const xs = allowed.map((oi) => coefs[oi] ?? 0)
  if (!must) xs.push(0)
  return xs.length ? pick(...xs) : 0
}

/**
 * Incremental segments of the upper concave hull of a group's (weight, value) points from the
 * origin (choosing nothing). "free" segments add value at no weight.
 */
export const hullSegments = (
  pts: readonly { w: number; v: number }[],
): { dw: number; dv: number; free: boolean }[] => {
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

/** Subgradient search for Lagrange multipliers on the normalised capacity rules (any u ≥ 0 is valid). */
const lagrangeMultipliers = (
  groupOpts: readonly (readonly number[])[],
  value: readonly number[],
  wn: Float64Array,
  R: number,
): number[] => {
  if (R === 0) return []
  const G = groupOpts.length
  let maxV = 1
  for (const v of value) maxV = Math.max(maxV, Math.abs(v))
  let u = new Array<number>(R).fill(maxV / Math.max(1, G))
  let bestU = [...u]
  let bestL = Number.POSITIVE_INFINITY
  let step = 2
  let since = 0
  const grad = new Float64Array(R)
  for (let it = 0; it < 60; it++) {
    let L = 0
    grad.fill(1)
    for (let r = 0; r < R; r++) L += u[r] ?? 0
    for (let gi = 0; gi < G; gi++) {
      let bv = 0
      let bk = -1
      for (const k of groupOpts[gi] ?? []) {
        let red = value[k] ?? 0
        for (let r = 0; r < R; r++) red -= (u[r] ?? 0) * (wn[k * R + r] ?? 0)
        if (red > bv) {
          bv = red
          bk = k
        }
      }
      L += bv
      if (bk >= 0) for (let r = 0; r < R; r++) grad[r] = (grad[r] ?? 0) - (wn[bk * R + r] ?? 0)
    }
    if (L < bestL - 1e-9) {
      bestL = L
      bestU = [...u]
      since = 0
    } else if (++since >= 6) {
      step /= 2
      since = 0
      u = [...bestU]
    }
    let g2 = 0
    for (const g of grad) g2 += g * g
    if (g2 < 1e-18 || step < 1e-5) break
    const t = (step * Math.max(bestL * 0.02, 1e-6)) / g2
    u = u.map((x, r) => Math.max(0, x - t * (grad[r] ?? 0)))
  }
  return bestU
}
