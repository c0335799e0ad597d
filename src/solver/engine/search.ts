import { infeasible } from "./answers.ts"
import {
  bestScale,
  capacityWeights,
  HullBound,
  Lagrangian,
  lagrangeMultipliers,
  surrogateWeights,
} from "./bounds.ts"
import { corePackage } from "./core.ts"
import { Heuristics } from "./heuristics.ts"
import { Neighbourhoods } from "./lns.ts"
import { NodeLp } from "./lpbound.ts"
import { buildModel, groupOptions, keepsEveryRule, type Model, packageValue } from "./model.ts"
import { decisions, NodeQueue, type Path } from "./nodes.ts"
import {
  type Knapsack,
  type KnapsackOptions,
  type KnapsackResult,
  type StopReason,
  validateKnapsack,
} from "./problem.ts"
import { solveSmall } from "./small.ts"
import { heaviestSuffix, SearchState } from "./state.ts"

/** Relative tolerance of the bound comparisons (the bounds are computed in floating point). */
const EPS = 1e-7
/** Nodes of one depth-first plunge before the search returns to the best-bound open node. */
const PLUNGE = 2000
/** An LP-rounding package (repaired, filled) is tried at every this many nodes that solve their own LP. */
const ROUND_EVERY = 16
/**
 * Core problems tried once the search is seen to be large: groups in the core, then the node
 * budget and the share of the time left of a core of at most a quarter of the groups (a core of
 * 80 groups solved to optimality is often the optimum of a 1.000-group problem at 2 capacities)
 * and of a larger one (hardly smaller than the problem: the search itself does as well).
 */
const CORE_SIZES = [40, 80, 160]
/**
 * At three or more capacities also a core of this many groups, with the budget of the smaller
 * ones when it is at most a third of the groups: at 1.000 × 10 the LNS steps after the cores
 * improve by a few units each, and a core of 320 fixed by the root LP starts from elsewhere
 * (a core of 80 on 300 groups with that budget took the time of the node RINS, and lost).
 */
const LARGE_CORE = 320
/**
 * The share of the time left of that core when it is at most a third of the groups: at 1.000 ×
 * 10 its search still improves where the LNS steps after it have stalled (seed 4: 363.232 with
 * three quarters, 363.103 with a quarter).
 */
const LARGE_CORE_SHARE = 3 / 4
/**
 * The share of the smaller narrow cores when that one follows: the core of 160 finds its
 * packages (1.000 × 10 seeds 2 and 3) in an eighth of the time left as in a quarter, and the
 * rest goes to the core of 320.
 */
const BEFORE_LARGE_SHARE = 1 / 8
const CORE_NODES = 100_000
const CORE_SHARE = 1 / 4
const WIDE_CORE_NODES = 20_000
const WIDE_CORE_SHARE = 1 / 20
/** RINS: groups in its core, its node budget, and the nodes searched between two. */
const RINS_SIZE = 40
const RINS_NODES = 10_000
const RINS_GAP = 20_000
/**
 * At two capacities, the surrogate constraint of the multipliers' direction is joined by
 * surrogates with one multiplier scaled by these factors: each is a valid relaxation, and the
 * least of their LP bounds follows the node's own best direction, close to the node's LP (a
 * 1.000-group problem is proven in 3-40 k nodes instead of not in millions).
 */
const TILTS = [1.01, 1.03, 1.1]
/**
 * LNS (three or more capacities): groups per neighbourhood, the node budget of one, what a sub-search's
 * set-up counts for in nodes, and its budget: a share of the search's nodes (plus an allowance
 * for the start), halved by every LNS_FADE fruitless steps in a row. The sub-searches bound every
 * node by its LP (`lpBound`): with it a neighbourhood of 60 groups × 10 capacities is searched
 * to the end in a few hundred nodes, where the Lagrangian and surrogate bounds alone ran out of
 * their 2.000 nodes in half the steps, and the larger neighbourhoods hold the exchanges of a few
 * large options for many small ones that 30 groups could not. A sub-search node with the LP
 * counts as LNS_LP_NODE nodes (it takes about four times as long as one without), so that the
 * search keeps its share of the time and its bound.
 */
const LNS_SIZE = 60
const LNS_NODES = 2000
const LNS_SETUP = 200
const LNS_LP_NODE = 4
const LNS_SHARE = 2
const LNS_ALLOWANCE = 20_000
const LNS_FADE = 30
/** RINS at every this many nodes whose own LP is fractional (where LNS runs). */
const NODE_RINS_EVERY = 50
/**
 * Only where there are at least this many groups: on 100 groups at 10 capacities (or the
 * OR-Library's 100 × 5) the search often proves its answer within a second, and neighbourhoods
 * of a third of the problem cost the proof more than they find.
 */
const LNS_GROUPS = 180
/** Exchanges looked at when a leaf of the search improves the incumbent (the search is waiting). */
const LEAF_SWAPS = 100_000
/** Subgradient iterations at the root: fewer for small problems, where set-up dominates. */
const iterations = (m: Model) => (m.K * m.C < 1000 ? 60 : 150)
/**
 * Subgradient iterations of the refined multipliers of a heavy search without the root LP. The
 * root's 150 iterations end about 2 above the LP at 1.000 × 10 (363.554,3 against 363.551,1);
 * run until the step rule stops them (before 300) they end about 1 above it, in 3-10 ms.
 * Their reduced values choose the cores and the LNS neighbourhoods where the LP's would, and
 * their Lagrangian bounds the root. (The search keeps the root's: with the refined ones as its
 * own, its order and fixing change and 300 × 10 lost up to 126 in a package.)
 */
const REFINED_ITERATIONS = 400

/**
 * Solve a multiple-choice multi-dimensional knapsack exactly, or as far as the limits allow.
 *
 * The search: presolve; multipliers and packages from a Lagrangian subgradient search (with
 * Lagrangian rounding, greedy and local search for the first packages); reduced-cost fixing;
 * then branch and bound over the groups in a fixed order, depth-first plunges of a few thousand
 * nodes restarted from the open node with the best bound, each node bounded by the Lagrangian,
 * the surrogate LP (Martello-Toth; at two capacities also tilted surrogates) and each binding
 * capacity's LP, or the node's own LP. "optimal" is said only when no open node can hold a
 * better package.
 */
export const solveKnapsack = (problem: Knapsack, options: KnapsackOptions = {}): KnapsackResult =>
  solveAbove(problem, options)

/**
 * The search for a package worth more than `cutoff` (the engine's own sub-searches: a core
 * whose package only helps when the whole beats the incumbent). Nodes whose bound is not above
 * the cutoff are pruned, so the answer is the optimum only when it beats the cutoff ("optimal");
 * when none does, a package not above the cutoff ("feasible") or none ("infeasible"), with the
 * cutoff as the bound. Without a cutoff it is `solveKnapsack`.
 */
export const solveAbove = (
  problem: Knapsack,
  options: KnapsackOptions = {},
  cutoff = Number.NEGATIVE_INFINITY,
): KnapsackResult => {
  const t0 = performance.now()
  validateKnapsack(problem)
  const m = buildModel(problem)
  if (m === "infeasible") return infeasible(t0, 0, Number.NEGATIVE_INFINITY)
  return solveSmall(m, options, t0) ?? new Search(m, options, t0, cutoff).run()
}

class Search {
  private readonly st: SearchState
  private readonly order: Int32Array
  /** Options to try at each depth, best value first; −1 (none) last unless the group must take one. */
  private readonly tries: Int32Array[]
  private readonly heaviest: Float64Array
  private readonly lag: Lagrangian
  private readonly surWeight: Float64Array
  /** The capacities' multipliers the surrogate weights are made with. */
  private readonly u: Float64Array
  private sur: HullBound
  /** At two capacities, once the search is heavy: surrogates tilted off the multipliers' direction. */
  private tilted: { hull: HullBound; u: Float64Array; w: Float64Array }[] = []
  /** Each capacity's own LP bound, built when first needed. */
  private capBounds: (HullBound | null)[]
  /** Options fixed out since the hull bounds were built (they stay valid, only weaker). */
  private fixedSince = 0
  private readonly heur: Heuristics
  /** The LP bound per node, where several capacities make it worth its cost (else null). */
  private lp: NodeLp | null = null
  /** The next node's LP tableau is rebuilt from the root's (the search jumped to another node). */
  private lpRebuild = true
  private lpSolves = 0
  /** Nodes whose own LP was fractional (every NODE_RINS_EVERY-th gets a RINS). */
  private fractional = 0
  private readonly lpOrder: Int32Array[] = []
  /** Scratch for lpTries: the scores of the options being ordered. */
  private readonly lpScore: Float64Array
  /** LNS: its neighbourhoods, the nodes its sub-searches took, its steps in a row that found nothing. */
  private hoods: Neighbourhoods | null = null
  private lnsNodes = 0
  private lnsFails = 0
  /** The incumbent's value at the last RINS, and the node count before which none runs again. */
  private rinsFrom = Number.NEGATIVE_INFINITY
  private rinsAt = 0
  private readonly queue = new NodeQueue()
  /** The Lagrangian's packages from the subgradient search, for Lagrangian rounding. */
  private readonly lagPicks: Int32Array[] = []
  private heavy = false
  /** Reduced values the core problems are chosen by: the root LP's when it is solved, else the refined Lagrangian's. */
  private coreRed: Float64Array | null = null
  /** The refined multipliers (a heavy search without the root LP), or null. */
  private refined: Float64Array | null = null
  private best: Int32Array | null = null
  private bestValue = Number.NEGATIVE_INFINITY
  private nodes = 0
  private budget = 0
  private stopped: StopReason | "firstFeasible" | null = null
  private readonly deadline: number
  private readonly nodeLimit: number

  constructor(
    private readonly m: Model,
    private readonly options: KnapsackOptions,
    private readonly t0: number,
    /** Only packages worth more than this are sought (−∞: any). */
    private readonly cutoff = Number.NEGATIVE_INFINITY,
  ) {
    this.deadline = options.timeLimitMs === undefined ? Number.POSITIVE_INFINITY : t0 + options.timeLimitMs
    this.nodeLimit = options.nodeLimit ?? Number.POSITIVE_INFINITY
    const u = lagrangeMultipliers(
      m,
      iterations(m),
      (pick, it) => {
        if (it % 10 === 9) this.lagPicks.push(Int32Array.from(pick))
      },
      this.late,
    )
    this.surWeight = surrogateWeights(m, u)
    this.order = searchOrder(m, this.surWeight)
    this.st = new SearchState(m, this.order)
    this.heaviest = heaviestSuffix(m, this.order)
    this.tries = Array.from(this.order, (g) => {
      const ks = Array.from(groupOptions(m, g)).sort((a, b) => (m.value[b] ?? 0) - (m.value[a] ?? 0))
      if (!m.required[g]) ks.push(-1)
      return Int32Array.from(ks)
    })
    // The same direction, scaled to its best: a tighter Lagrangian for the fixing and the children.
    this.u = u
    const scale = bestScale(m, this.surWeight, u)
    this.lag = new Lagrangian(
      m,
      u.map((x) => x * scale),
      this.st,
    )
    this.sur = new HullBound(m, this.st, this.surWeight)
    this.capBounds = new Array<HullBound | null>(m.C).fill(null)
    this.heur = new Heuristics(m, this.surWeight, this.late)
    let widest = 0
    for (const t of this.tries) widest = Math.max(widest, t.length)
    this.lpScore = new Float64Array(widest)
    this.offer(this.heur.greedy())
    if (m.K * m.C > 2000) this.heavyHeuristics()
    else if (options.lpBound && NodeLp.fits(m)) this.lp = new NodeLp(m, this.st, undefined, this.late)
  }

  /**
   * The costlier heuristics (Lagrangian rounding, local search) and bound (the LP), run once the search shows it is
   * not a small one: on a city's round the search is done before they would pay off.
   */
  private heavyHeuristics(): void {
    this.heavy = true
    if (this.m.C === 2)
      for (const f of TILTS)
        for (const v of [
          Float64Array.of((this.u[0] ?? 0) * f, this.u[1] ?? 0),
          Float64Array.of(this.u[0] ?? 0, (this.u[1] ?? 0) * f),
        ]) {
          const w = surrogateWeights(this.m, v)
          this.tilted.push({ hull: new HullBound(this.m, this.st, w), u: v, w })
        }
    // Likewise the LP bound per node: called between plunges, so the next node rebuilds its tableau.
    if (NodeLp.fits(this.m)) {
      this.lp ??= new NodeLp(this.m, this.st, undefined, this.late)
      this.coreRed = this.lp.rootReduced()
    } else {
      this.refined = lagrangeMultipliers(this.m, REFINED_ITERATIONS, undefined, this.late)
      this.coreRed = new Lagrangian(this.m, this.refined, this.st).red
    }
    for (const p of this.lagPicks) if (!this.late()) this.offer(this.heur.repair(p))
    if (this.best) this.offer(this.heur.improve(this.best))
    if (this.options.firstFeasible) return
    const large = this.m.C >= 3
    // Whether the large core runs narrow (at most a third of the groups).
    const largeNarrow = large && LARGE_CORE * 3 <= this.m.G
    for (const size of large ? [...CORE_SIZES, LARGE_CORE] : CORE_SIZES) {
      // A core of half the groups or more is hardly smaller than the problem.
      if (size * 2 >= this.m.G || this.stopped || this.late()) break
      // Each core gets a share of the time left, and never more than its node budget; straight
      // to the full search, which prunes by the cutoff (the small one would not).
      const left = this.deadline - performance.now()
      if (left < 20) break
      const narrow = size * 4 <= this.m.G || (size === LARGE_CORE && size * 3 <= this.m.G)
      const nodeLimit = narrow ? CORE_NODES : WIDE_CORE_NODES
      const share = !narrow
        ? WIDE_CORE_SHARE
        : size === LARGE_CORE
          ? LARGE_CORE_SHARE
          : largeNarrow
            ? BEFORE_LARGE_SHARE
            : CORE_SHARE
      const options = this.subOptions(nodeLimit, left * share)
      const pick = corePackage(
        this.m,
        this.coreRed ?? this.lag.red,
        this.st.fixedOut,
        size,
        options,
        solveAbove,
        undefined,
        this.bestValue,
      )
      if (pick && this.offer(pick)) this.offer(this.heur.improve(pick))
    }
  }

  /**
   * RINS between plunges: a core around the incumbent (the groups where it and the reduced
   * values disagree, then the least sure), solved under a small budget. Run again only after
   * the incumbent improved and RINS_GAP more nodes were searched.
   */
  private rins(): void {
    const { m } = this
    this.rinsFrom = this.bestValue
    this.rinsAt = this.nodes + RINS_GAP
    const left = this.deadline - performance.now()
    if (!this.best || left < 20 || RINS_SIZE * 2 >= m.G || this.options.firstFeasible || this.late()) return
    const options = this.subOptions(RINS_NODES, left / 20)
    const pick = corePackage(
      m,
      this.coreRed ?? this.lag.red,
      this.st.fixedOut,
      RINS_SIZE,
      options,
      solveAbove,
      this.best,
      this.bestValue,
    )
    if (pick && this.offer(pick)) this.offer(this.heur.improve(pick, 5, LEAF_SWAPS))
  }

  /**
   * LNS between plunges (where `neighbourhoods` says it runs): neighbourhoods of
   * the incumbent solved one after another while their sub-searches' nodes stay below
   * LNS_SHARE × (the search's nodes + LNS_ALLOWANCE), a deterministic budget; every LNS_FADE
   * steps in a row that find nothing halve it, so that a search that is proving its incumbent
   * optimal is left to do so.
   */
  private lns(): void {
    const hoods = this.neighbourhoods()
    if (!hoods || !this.best) return
    while (!this.stopped && !this.late() && this.lnsRoom(this.lnsFails)) {
      const left = this.deadline - performance.now()
      if (left < 5) break
      const pick = hoods.step(this.best, this.bestValue, this.lnsOptions(left), this.lnsSolve)
      if (pick && this.offer(pick)) this.lnsFails = 0
      else this.lnsFails++
    }
  }

  /**
   * RINS at a node of the search whose own LP is fractional (Danna, Rothberg and Le Pape's
   * setting; `rins` only ever uses the root's): the groups where the node's LP and the incumbent
   * disagree, filled up with the doubt order to an LNS neighbourhood, solved as an LNS step and
   * under the LNS budget (not halved by its fruitless steps). Deeper in the tree the LP differs
   * from the incumbent in other groups than the root's does, so these neighbourhoods reach
   * packages that the doubt and related ones, all drawn around the root's reduced values, do
   * not: at 300 × 10 the incumbent moves in 35 groups at once to a better one.
   */
  private nodeRins(lp: NodeLp, depth: number): void {
    const hoods = this.neighbourhoods()
    if (!hoods || !this.best || !this.lnsRoom(0) || this.late()) return
    const left = this.deadline - performance.now()
    if (left < 5) return
    const groups = lp.disagreement(depth, this.best)
    this.offer(hoods.holding(groups, this.best, this.bestValue, this.lnsOptions(left), this.lnsSolve))
  }

  /**
   * The LNS's neighbourhoods, or null where it does not run: below three capacities (at two the
   * search proves its answers, and the surrogate's greedy and the cores find its packages), on
   * fewer than LNS_GROUPS groups, without an incumbent, and inside a sub-search (those have a
   * cutoff: neighbourhoods would nest).
   */
  private neighbourhoods(): Neighbourhoods | null {
    const { m } = this
    if (!this.best || m.C < 3 || this.options.firstFeasible || this.cutoff > Number.NEGATIVE_INFINITY)
      return null
    if (m.G < LNS_GROUPS || !Neighbourhoods.fits(m, LNS_SIZE)) return null
    this.hoods ??= new Neighbourhoods(m, this.coreRed ?? this.lag.red, this.st.fixedOut, LNS_SIZE)
    return this.hoods
  }

  /**
   * Whether the LNS sub-searches' nodes are below their budget: LNS_SHARE × (the search's nodes
   * + LNS_ALLOWANCE), halved by every LNS_FADE of `fails` (fruitless steps in a row).
   */
  private lnsRoom(fails: number): boolean {
    return this.lnsNodes < LNS_SHARE * (this.nodes + LNS_ALLOWANCE) * 0.5 ** (fails / LNS_FADE)
  }

  /** An LNS sub-search's options: its node budget, the time left, and the LP bound per node. */
  private lnsOptions(left: number): KnapsackOptions {
    return { ...this.subOptions(LNS_NODES, left), lpBound: true }
  }

  /**
   * An LNS sub-search, its nodes counted in the LNS budget. The neighbourhoods keep the model's
   * rows, so their sub-searches have the LP where the search has, and a node with it counts as
   * LNS_LP_NODE.
   */
  private readonly lnsSolve = (p: Knapsack, o: KnapsackOptions, c?: number): KnapsackResult => {
    const r = solveAbove(p, o, c)
    this.lnsNodes += r.nodes * (this.lp ? LNS_LP_NODE : 1) + LNS_SETUP
    return r
  }

  /**
   * A sub-search's options (cores, RINS, LNS): its node limit, `millis` of the time left (when
   * there is a limit), the full search, and the caller's stop, so that a stop asked reaches it.
   */
  private subOptions(nodeLimit: number, millis: number): KnapsackOptions {
    const { shouldStop } = this.options
    return {
      nodeLimit,
      smallSearch: false,
      ...(Number.isFinite(millis) && { timeLimitMs: Math.max(1, millis) }),
      ...(shouldStop && { shouldStop }),
    }
  }

  /** Whether the time is up or a stop was asked (read by every long part: subgradient, root LP, heuristics). */
  private readonly late = (): boolean =>
    performance.now() > this.deadline || this.options.shouldStop?.() === true

  /** Whether the search must stop now for the time or a stop asked (it says so when it must). */
  private lateStop(): boolean {
    if (this.late()) this.stopped = "timeLimit"
    return this.stopped !== null
  }

  /** Σ u_r (1 − W_r / cap_r): what is left of the surrogate constraint's capacity. */
  private surCapacity(u = this.u): number {
    const { m, st } = this
    let s = 0
    for (let r = 0; r < m.C; r++) {
      const cap = m.max[r] ?? 0
      s += (u[r] ?? 0) * (cap > 0 ? 1 - (st.W[r] ?? 0) / cap : 0)
    }
    return s
  }

  /** The value a package must reach to be better than the incumbent. */
  private cut(): number {
    const v = Math.max(this.bestValue, this.cutoff)
    if (v === Number.NEGATIVE_INFINITY) return v
    return this.m.integral ? v + 1 - EPS * Math.max(1, Math.abs(v)) : v + EPS * Math.max(1, Math.abs(v))
  }

  /** Take a package as the incumbent when it is better; tighten the fixing with it. */
  private offer(pick: Int32Array | null): boolean {
    if (!pick) return false
    const v = packageValue(this.m, pick)
    if (this.best && v <= this.bestValue) return false
    this.best = Int32Array.from(pick)
    this.bestValue = v
    if (this.options.firstFeasible) {
      this.stopped = "firstFeasible"
      return true
    }
    this.fixedSince += this.lag.fix(this.cut())
    return true
  }

  /** Rebuild the hull bounds without the options fixed out since they were built. */
  private refreshBounds(): void {
    // Worth rebuilding only when a good share of the options went.
    if (this.fixedSince * 10 <= this.m.K) return
    this.fixedSince = 0
    this.sur = new HullBound(this.m, this.st, this.surWeight)
    for (const t of this.tilted) t.hull = new HullBound(this.m, this.st, t.w)
    this.capBounds.fill(null)
  }

  private capBound(r: number): HullBound {
    let b = this.capBounds[r]
    if (!b) {
      b = new HullBound(this.m, this.st, capacityWeights(this.m, r))
      this.capBounds[r] = b
    }
    return b
  }

  private checkStop(): void {
    if (this.nodes >= this.nodeLimit) this.stopped = "nodeLimit"
    else if (
      // Nodes of a large search are dearer, an LP node most: the clock is read more often.
      (this.nodes & (this.lp ? 0 : this.heavy ? 15 : 255)) === 0 &&
      this.late()
    )
      this.stopped = "timeLimit"
  }

  /** The bound of the node at `depth` (the state holds its decisions), at most `inherited`. */
  private nodeBound(depth: number, inherited: number, slack: number, cut: number): number {
    const { st, m, lp } = this
    let bound = Math.min(inherited, st.V + slack + (this.lag.sufBest[depth] ?? 0))
    if (bound < cut) return bound
    // The surrogate's capacity is in the unscaled multipliers its weights were made with.
    bound = Math.min(bound, st.V + this.sur.bound(depth, this.surCapacity()))
    if (bound < cut) return bound
    for (const t of this.tilted) {
      bound = Math.min(bound, st.V + t.hull.bound(depth, this.surCapacity(t.u)))
      if (bound < cut) return bound
    }
    if (lp) {
      bound = Math.min(bound, lp.bound(depth, !this.lpRebuild))
      this.lpRebuild = false
      // An LP optimum in whole options is a package, and the best one below this node.
      if (lp.integral) {
        const pick = lp.package(depth)
        if (keepsEveryRule(m, pick)) this.offer(pick)
      } else if (lp.own && ++this.lpSolves % ROUND_EVERY === 0) {
        const pick = this.heur.repair(lp.package(depth))
        if (pick && this.offer(pick)) this.offer(this.heur.improve(pick, 5))
      }
      if (!lp.integral && lp.own && ++this.fractional % NODE_RINS_EVERY === 0) this.nodeRins(lp, depth)
      return bound
    }
    if (!this.best) return bound
    for (let r = 0; r < m.C; r++) {
      if (!st.capacityBinds(r, depth, this.heaviest)) continue
      bound = Math.min(bound, st.V + this.capBound(r).bound(depth, (m.max[r] ?? 0) - (st.W[r] ?? 0)))
      if (bound < cut) return bound
    }
    return bound
  }

  private dfs(depth: number, path: Path | null, inherited: number): void {
    const { st, m } = this
    this.nodes++
    this.budget--
    st.newNode()
    if (!this.stopped) this.checkStop()
    if (depth === m.G) {
      if (st.V >= this.cut()) {
        const pick = Int32Array.from(st.pick)
        this.offer(pick)
        if (!this.stopped && this.heavy) this.offer(this.heur.improve(pick, 5, LEAF_SWAPS))
      }
      return
    }
    const slack = this.lag.slack(st.W)
    const bound = this.nodeBound(depth, inherited, slack, this.cut())
    if (bound < this.cut()) return
    const g = this.order[depth] ?? 0
    const lpOrder = this.lp && depth <= this.lp.lastDepth
    for (const k of lpOrder ? this.lpTries(depth) : (this.tries[depth] ?? [])) {
      if (k >= 0 ? st.fixedOut[k] || !st.fits(k) : st.mustTake[g]) continue
      if (!st.linksOk(g, k >= 0)) continue
      let childBound = Math.min(bound, this.lag.childBound(depth, k, slack))
      if (this.lp) childBound = Math.min(childBound, this.lp.childBound(depth, k))
      if (childBound < this.cut()) continue
      if (k >= 0) st.apply(k)
      if (st.rowsReachable(depth + 1)) {
        const child: Path = { k, depth: depth + 1, parent: path }
        if (this.stopped || this.budget <= 0) this.park(child, childBound)
        else this.dfs(depth + 1, child, childBound)
      }
      if (k >= 0) st.undo(k)
    }
  }

  /** The options to try at `depth`, the LP's favourite first (a dive that follows LP rounding). */
  private lpTries(depth: number): Int32Array {
    const lp = this.lp as NodeLp
    const from = this.tries[depth] ?? new Int32Array()
    // One buffer per depth: a node's children are tried before any other node at its depth.
    let ks = this.lpOrder[depth]
    if (!ks) {
      ks = new Int32Array(from.length)
      this.lpOrder[depth] = ks
    }
    const score = this.lpScore
    let taken = 0
    for (let i = 0; i < from.length; i++) {
      const k = from[i] ?? -1
      if (k >= 0) taken += lp.x(depth, k)
    }
    // Insertion sort by LP value, stable: the value order stays among equal scores.
    for (let i = 0; i < from.length; i++) {
      const k = from[i] ?? -1
      const x = k >= 0 ? lp.x(depth, k) : 1 - taken
      let j = i
      for (; j > 0 && (score[j - 1] ?? 0) < x; j--) {
        ks[j] = ks[j - 1] ?? -1
        score[j] = score[j - 1] ?? 0
      }
      ks[j] = k
      score[j] = x
    }
    return ks
  }

  /**
   * Put a child (its decisions applied to the state) in the queue with its own bound, not just
   * its parent's, so that the bound reported when the search stops is as tight as it can be.
   */
  private park(child: Path, inherited: number): void {
    const { st } = this
    st.newNode()
    const bound =
      child.depth === this.m.G
        ? st.V
        : this.nodeBound(child.depth, inherited, this.lag.slack(st.W), this.cut())
    if (bound >= this.cut()) this.queue.push({ bound, path: child })
  }

  /**
   * A bound as reported: with whole values every package is worth a whole number, so the bound
   * is rounded down (within the tolerance the search prunes with).
   */
  private whole(bound: number): number {
    return this.m.integral && Number.isFinite(bound)
      ? Math.floor(bound + EPS * Math.max(1, Math.abs(bound)))
      : bound
  }

  private stopReason(): StopReason | null {
    return this.stopped === "firstFeasible" ? null : this.stopped
  }

  private restore(path: Path | null): void {
    this.lpRebuild = true
    this.st.reset()
    for (const k of decisions(path)) if (k >= 0) this.st.apply(k)
  }

  run(): KnapsackResult {
    const { st } = this
    this.refreshBounds()
    st.newNode()
    const slack = this.lag.slack(st.W)
    if (!st.rowsReachable(0)) return infeasible(this.t0, 0, Number.NEGATIVE_INFINITY)
    // The relaxation bounds only packages better than the incumbent (fixing left the rest out),
    // so −Infinity here means that none is better, not that none exists.
    let relaxed = this.nodeBound(0, Number.POSITIVE_INFINITY, slack, Number.NEGATIVE_INFINITY)
    // Any multipliers bound the root; the refined ones (a heavy search's) are a little tighter.
    if (this.refined) relaxed = Math.min(relaxed, new Lagrangian(this.m, this.refined, st).bound(0))
    const rootBound = Math.max(relaxed, this.bestValue)
    if (!this.stopped && relaxed >= this.cut()) this.queue.push({ bound: relaxed, path: null })
    while (this.queue.size && !this.stopped) {
      if (this.queue.topBound < this.cut() || this.lateStop()) break
      if (!this.heavy && this.nodes > PLUNGE) this.heavyHeuristics()
      else if (this.heavy && this.bestValue > this.rinsFrom && this.nodes >= this.rinsAt) this.rins()
      if (this.heavy) this.lns()
      if (this.queue.topBound < this.cut()) break
      // Heuristics and sub-searches read the clock too: no plunge starts after it.
      if (this.lateStop()) break
      const node = this.queue.pop()
      if (!node) break
      this.refreshBounds()
      this.restore(node.path)
      this.budget = PLUNGE
      this.dfs(node.path?.depth ?? 0, node.path, node.bound)
    }
    const open = this.queue.topBound >= this.cut() && this.queue.size > 0
    const millis = performance.now() - this.t0
    const base = { rootBound, nodes: this.nodes, millis }
    if (!this.best) {
      // With a cutoff: none above it, which is what the bound says.
      if (!open) return { ...infeasible(this.t0, this.nodes, rootBound), bound: this.cutoff }
      return {
        status: "timeout",
        package: null,
        objective: null,
        bound: this.whole(this.queue.topBound),
        gap: null,
        stoppedBy: this.stopReason(),
        ...base,
      }
    }
    const pkg = [...this.best].filter((k) => k >= 0).sort((a, b) => a - b)
    const objective = this.bestValue
    // Below the cutoff nothing is proven but that no package beats the cutoff.
    if (!open && this.stopped !== "firstFeasible" && objective >= this.cutoff)
      return {
        status: "optimal",
        package: pkg,
        objective,
        bound: objective,
        gap: 0,
        stoppedBy: null,
        ...base,
      }
    const bound = this.whole(
      this.stopped === "firstFeasible"
        ? Math.max(rootBound, objective)
        : Math.max(objective, this.cutoff, Math.min(rootBound, open ? this.queue.topBound : objective)),
    )
    return {
      status: "feasible",
      package: pkg,
      objective,
      bound,
      gap: (bound - objective) / Math.max(1, Math.abs(bound)),
      stoppedBy: this.stopReason(),
      ...base,
    }
  }
}

/**
 * The order in which groups are decided: required groups first, then by the geometric mean of
 * value and surrogate efficiency, so that large, efficient groups (which shape the bound most)
 * are decided first.
 */
export const searchOrder = (m: Model, weight: Float64Array): Int32Array => {
  const key = new Float64Array(m.G)
  for (let g = 0; g < m.G; g++)
    for (let o = m.optFrom[g] ?? 0; o < (m.optFrom[g + 1] ?? 0); o++) {
      const k = m.opts[o] ?? 0
      const v = Math.max(0, m.value[k] ?? 0)
      key[g] = Math.max(key[g] ?? 0, v / Math.sqrt((weight[k] ?? 0) + 1e-9))
    }
  return Int32Array.from({ length: m.G }, (_, g) => g).sort(
    (a, b) => (m.required[b] ?? 0) - (m.required[a] ?? 0) || (key[b] ?? 0) - (key[a] ?? 0),
  )
}
