import { infeasible, optimal } from "./answers.ts"
import { keepShape } from "./arena.ts"
import { lagrangeMultipliers, surrogateWeights } from "./bounds.ts"
import { deadlineOf, nodeCapOf, spent } from "./budget.ts"
import { hullInto } from "./hull.ts"
import { arenaOf, keepsEveryRule, type Model } from "./model.ts"
import type { KnapsackOptions, KnapsackResult } from "./problem.ts"
import { solveSingle } from "./single.ts"
import { heaviestSuffix, SearchState } from "./state.ts"

/**
 * The search for small problems (a city's round: about 30 proposals). There the full search's
 * set-up (subgradient search, several hull bounds, heuristics) costs far more than the few dozen
 * nodes it then visits, so this one sets up almost nothing: one depth-first branch and bound over
 * the groups, each node bounded by the LP (Dantzig, sharpened à la Martello-Toth at the critical
 * option) of every capacity on its own and, when there are several, of a surrogate of them. The
 * first dive, best option first in order of efficiency, is the greedy package. It either proves
 * its answer (optimal or infeasible) or gives up (null), and the full search then starts over.
 */

/** Problems with at most this many options are tried here first. */
export const SMALL_OPTIONS = 64
/** Nodes the small search may visit before it hands the problem to the full search. */
export const SMALL_NODES = 10_000
/**
 * Subgradient iterations for the surrogate's multipliers (only with two or more capacities):
 * fewer leave the surrogate weak enough to double the nodes (measured on the real data and on
 * budget-like problems of 40-64 options), more rarely pay for themselves.
 */
const ITERATIONS = 15
/** Every relaxation is computed at one node in SURVEY_MASK + 1 (the root among them). */
const SURVEY_MASK = 31
/** Relative tolerance of the bound comparisons (the bounds are computed in floating point). */
const EPS = 1e-7

/**
 * One LP relaxation of the rest of the problem: a single knapsack constraint (one capacity, or
 * the surrogate of all of them), its options' weights, and the groups' hull segments in order of
 * efficiency, best first.
 */
class Relaxation {
  /**
   * Each segment's weight and value (the depth of its group is in `undLo`, `undHi`): segment i
   * at `off` + i of arrays shared by a search's relaxations (a typed array costs ~100 bytes of
   * heap per solve, and a search of a round with per-year limits has a dozen relaxations).
   */
  readonly dw: Float64Array
  readonly dv: Float64Array
  /** The option of a segment that is a whole single option (its group has no other), or −1. */
  readonly single: Int32Array
  /** Where this relaxation's segments start in `dw`, `dv`, `single`, and how many it has. */
  readonly off: number
  readonly n: number
  /**
   * The segment of each option that is a segment of its own (its group has no other), or −1:
   * option k at `kOff` + k. Segments are numbered in their order (by efficiency), at most 64 of
   * them: a set of segments is a 64-bit mask in two words (segments 0 … 31, 32 … 63), walked set
   * bit by set bit.
   */
  private readonly segOf: Int32Array
  private readonly kOff: number
  /** Per depth d, the segments of the groups at depth ≥ d (the undecided): undLo / undHi[dOff + d]. */
  private readonly undLo: Int32Array
  private readonly undHi: Int32Array
  private readonly dOff: number

  /**
   * The `j`-th relaxation of a search, in `tables` (see `RelaxTables`). `scratch`: room for the
   * segments before they are sorted, shared by a search's relaxations.
   */
  constructor(
    m: Model,
    order: Int32Array,
    weight: Float64Array,
    scratch: Scratch,
    tables: RelaxTables,
    j: number,
  ) {
    // At most one segment per option: the hull of a group never has more points than options.
    const { depth, dw, dv, single, idx } = scratch
    let n = 0
    for (let d = 0; d < order.length; d++) {
      const g = order[d] ?? 0
      const from = m.optFrom[g] ?? 0
      const end = m.optFrom[g + 1] ?? 0
      if (end - from === 1) {
        const k = m.opts[from] ?? 0
        if ((m.value[k] ?? 0) <= 0) continue
        depth[n] = d
        dw[n] = Math.max(0, weight[k] ?? 0)
        dv[n] = m.value[k] ?? 0
        single[n++] = k
        continue
      }
      const added = hullInto(
        m.opts,
        from,
        end,
        weight,
        m.value,
        dw,
        dv,
        n,
        scratch.pw,
        scratch.pv,
        scratch.alive,
      )
      for (let i = n; i < n + added; i++) {
        depth[i] = d
        single[i] = -1
      }
      n += added
    }
    // Insertion sort by efficiency dv / dw, weightless segments first (in their order, as the
    // insertion sort leaves them): those are placed at once and only the others are sorted, among
    // themselves (a capacity of one year weighs only the options that pay in that year).
    let weightless = 0
    for (let i = 0; i < n; i++) if ((dw[i] ?? 0) <= 0) weightless++
    let z = 0
    let end = weightless
    for (let i = 0; i < n; i++) {
      if ((dw[i] ?? 0) <= 0) {
        idx[z++] = i
        continue
      }
      let j = end++
      while (j > weightless && better(dv, dw, i, idx[j - 1] ?? 0)) {
        idx[j] = idx[j - 1] ?? 0
        j--
      }
      idx[j] = i
    }
    const K = m.K
    const off = j * K
    this.dw = tables.dw
    this.dv = tables.dv
    this.single = tables.single
    this.off = off
    this.n = n
    for (let i = 0; i < n; i++) {
      const s = idx[i] ?? 0
      this.dw[off + i] = dw[s] ?? 0
      this.dv[off + i] = dv[s] ?? 0
      this.single[off + i] = single[s] ?? 0
    }
    this.segOf = tables.segOf
    this.kOff = off
    this.segOf.fill(-1, off, off + K)
    for (let i = 0; i < n; i++) {
      const k = this.single[off + i] ?? -1
      if (k >= 0) this.segOf[off + k] = i
    }
    // Segment i at depth d is in the masks of every depth ≤ d.
    const D = order.length
    const dOff = j * (D + 1)
    this.undLo = tables.undLo
    this.undHi = tables.undHi
    this.dOff = dOff
    for (let i = 0; i < n; i++) {
      const d = dOff + (depth[idx[i] ?? 0] ?? 0)
      if (i < 32) this.undLo[d] = (this.undLo[d] ?? 0) | (1 << i)
      else this.undHi[d] = (this.undHi[d] ?? 0) | (1 << (i - 32))
    }
    for (let d = dOff + D - 1; d >= dOff; d--) {
      this.undLo[d] = (this.undLo[d] ?? 0) | (this.undLo[d + 1] ?? 0)
      this.undHi[d] = (this.undHi[d] ?? 0) | (this.undHi[d + 1] ?? 0)
    }
  }

  /**
   * What the groups at depth ≥ `from` can add within `capacity`, in the LP relaxation; the
   * options in `outLo`, `outHi` (a mask of options: undecided ones that no longer fit the
   * capacities) are left out. Only the segments left are visited, in order, bit by bit. At the
   * critical option (the first that does not fit whole) the optimum either leaves it out (the LP
   * of the rest) or takes it whole, paid for by the least efficient part taken so far
   * (Martello-Toth). The capacity is taken from io[CAPACITY] and the bound given in io[RESULT]:
   * a double passed to or returned from a call V8 does not inline is boxed on the heap, and this
   * runs a few times a node.
   */
  bound(from: number, outLo: number, outHi: number, io: Float64Array): void {
    const { segOf, kOff } = this
    let lo = this.undLo[this.dOff + from] ?? 0
    let hi = this.undHi[this.dOff + from] ?? 0
    // The options left out, lowest first (x & −x: the lowest set bit), as segments.
    for (let w = 0; w < 2; w++)
      for (let x = w === 0 ? outLo : outHi; x !== 0; x &= x - 1) {
        const seg = segOf[kOff + w * 32 + 31 - Math.clz32(x & -x)] ?? -1
        if (seg < 0) continue
        if (seg < 32) lo &= ~(1 << seg)
        else hi &= ~(1 << (seg - 32))
      }
    io[CAPACITY] = Math.max(io[CAPACITY] ?? 0, 0)
    this.lp(lo, hi, io)
  }

  /** The LP over the segments in the mask `lo`, `hi`, sharpened at a critical single option (see `bound`). */
  private lp(loIn: number, hiIn: number, io: Float64Array): void {
    const { dw, dv, single, off } = this
    let lo = loIn
    let hi = hiIn
    let cap = io[CAPACITY] ?? 0
    let add = 0
    let lastEff = -1
    while ((lo | hi) !== 0) {
      let i: number
      if (lo !== 0) {
        const b = lo & -lo
        i = 31 - Math.clz32(b)
        lo ^= b
      } else {
        const b = hi & -hi
        i = 63 - Math.clz32(b)
        hi ^= b
      }
      const w = dw[off + i] ?? 0
      const v = dv[off + i] ?? 0
      if (w <= cap) {
        cap -= w
        add += v
        if (w > 0) lastEff = v / w
        continue
      }
      if ((single[off + i] ?? -1) < 0) {
        io[RESULT] = add + (v * cap) / w
        return
      }
      const takeIt = lastEff >= 0 ? add + v - (w - cap) * lastEff : Number.NEGATIVE_INFINITY
      io[CAPACITY] = cap
      this.greedy(lo, hi, io)
      io[RESULT] = Math.max(takeIt, add + (io[RESULT] ?? 0))
      return
    }
    io[RESULT] = add
  }

  /** The plain LP over the segments in the mask `lo`, `hi` (the rest, after a critical option): from io[CAPACITY] into io[RESULT]. */
  private greedy(loIn: number, hiIn: number, io: Float64Array): void {
    const { dw, dv, off } = this
    let lo = loIn
    let hi = hiIn
    let cap = io[CAPACITY] ?? 0
    let add = 0
    while ((lo | hi) !== 0) {
      let i: number
      if (lo !== 0) {
        const b = lo & -lo
        i = 31 - Math.clz32(b)
        lo ^= b
      } else {
        const b = hi & -hi
        i = 63 - Math.clz32(b)
        hi ^= b
      }
      const w = dw[off + i] ?? 0
      const v = dv[off + i] ?? 0
      if (w > cap) {
        io[RESULT] = add + (v * cap) / w
        return
      }
      cap -= w
      add += v
    }
    io[RESULT] = add
  }

  /**
   * The efficiency of the critical segment of the LP at the root (the first that does not fit
   * whole), or 0 when everything fits: the LP's dual price of the capacity.
   */
  criticalEfficiency(capacity: number): number {
    let cap = Math.max(capacity, 0)
    for (let i = this.off; i < this.off + this.n; i++) {
      const w = this.dw[i] ?? 0
      if (w <= cap) cap -= w
      else return (this.dv[i] ?? 0) / w
    }
    return 0
  }
}

/**
 * Room for one relaxation's segments (one per option at most) before they are sorted, and for
 * the search's set-up: read only after it is written, within one constructor or `greedy`, so one
 * set for the process serves every small search (at most SMALL_OPTIONS options) and a solve
 * allocates none of it.
 */
interface Scratch {
  readonly depth: Int32Array
  readonly dw: Float64Array
  readonly dv: Float64Array
  readonly single: Int32Array
  readonly idx: Int32Array
  /** For `hullInto`: a group's points and which are left. */
  readonly pw: Float64Array
  readonly pv: Float64Array
  readonly alive: Uint8Array
  /** A capacity's weights while its relaxation is made. */
  readonly weight: Float64Array
  /** Options and their keys while they are sorted (by weight per capacity, by efficiency in `greedy`). */
  readonly options: Int32Array
  readonly keys: Float64Array
}

const SCRATCH: Scratch = {
  depth: new Int32Array(SMALL_OPTIONS),
  dw: new Float64Array(SMALL_OPTIONS),
  dv: new Float64Array(SMALL_OPTIONS),
  single: new Int32Array(SMALL_OPTIONS),
  idx: new Int32Array(SMALL_OPTIONS),
  pw: new Float64Array(SMALL_OPTIONS),
  pv: new Float64Array(SMALL_OPTIONS),
  alive: new Uint8Array(SMALL_OPTIONS),
  weight: new Float64Array(SMALL_OPTIONS),
  options: new Int32Array(SMALL_OPTIONS),
  keys: new Float64Array(SMALL_OPTIONS),
}

/**
 * The tables of a search's relaxations, one block each: segments and options of the j-th at
 * j·K … j·K + K − 1, its depths at j·(G + 1) … j·(G + 1) + G.
 */
interface RelaxTables {
  readonly dw: Float64Array
  readonly dv: Float64Array
  readonly single: Int32Array
  readonly segOf: Int32Array
  readonly undLo: Int32Array
  readonly undHi: Int32Array
}

const relaxTablesOf = (m: Model, count: number): RelaxTables => {
  const a = arenaOf(m)
  const n = count * m.K
  const d = count * (m.G + 1)
  return { dw: a.f64(n), dv: a.f64(n), single: a.i32(n), segOf: a.i32(n), undLo: a.i32(d), undHi: a.i32(d) }
}

/** Whether segment a is more efficient than segment b (weightless first, then dv / dw). */
const better = (dv: Float64Array, dw: Float64Array, a: number, b: number): boolean => {
  const wa = dw[a] ?? 0
  const wb = dw[b] ?? 0
  if (wa <= 0 || wb <= 0) return wa <= 0 && wb > 0
  return (dv[a] ?? 0) * wb > (dv[b] ?? 0) * wa
}

/**
 * Solve a small presolved problem exactly: optimal or infeasible, proven; null when it needs
 * more than SMALL_NODES nodes (or the caller's node limit), when time runs out or a stop is
 * asked, when only a first package is wanted or the caller asks for the full search: the full
 * search then takes the problem. When it answers, it hands the model's arena to the next solve:
 * the model is not to be used after that.
 */
export const solveSmall = (m: Model, options: KnapsackOptions, t0: number): KnapsackResult | null => {
  if (options.firstFeasible || options.smallSearch === false || m.K > SMALL_OPTIONS) return null
  // A plain 0-1 knapsack needs none of the small search's set-up.
  const single = solveSingle(m, options, t0)
  if (single !== undefined) return single
  const search = new SmallSearch(m, options, t0)
  const r = search.run(t0)
  if (r) arenaOf(m).release()
  keepShape(search)
  return r
}

/** The slots of `SmallSearch.io` (see `SmallSearch.bound` and `Relaxation.bound`). */
const LIMIT = 0
const CAP0 = 1
const BOUND = 2
const CAPACITY = 3
const RESULT = 4

class SmallSearch {
  private readonly st: SearchState
  private readonly order: Int32Array
  /**
   * Options to try at each depth, best value first; −1 (none) last unless the group must take
   * one: tries[tryFrom[d]] … tries[tryFrom[d + 1] − 1] (one array: views cost ~30 ns each).
   */
  private readonly tries: Int32Array
  private readonly tryFrom: Int32Array
  private readonly relax: Relaxation[]
  /** Per relaxation, 1 once it was the tightest at a node where all were computed (see `bound`). */
  private readonly inUse: Uint8Array
  /** Per relaxation, the capacity row it stands for, or −1 for the surrogate. */
  private readonly row: Int32Array
  /** Per depth and capacity, the most the undecided groups can add (see `heaviestSuffix`). */
  private readonly heaviest: Float64Array
  private readonly u: Float64Array
  /** u_q / max_q per capacity (0 where max_q ≤ 0), and Σ u_q over those with max_q > 0: see `capacityOf`. */
  private readonly uPerMax: Float64Array
  private readonly uOpen: number
  /** The first relaxation's weight of each option. */
  private readonly main: Float64Array
  /**
   * The Lagrangian of the first relaxation at its LP dual price λ: each option's reduced value
   * v − λ·weight, and per depth the sum of the best reduced value of every group from there on.
   * V + λ·(capacity left) + sufBest[d] bounds a node in O(1), and a child in O(1) more.
   */
  private readonly red: Float64Array
  private readonly sufBest: Float64Array
  /** What `bound` takes and gives (io[LIMIT], io[CAP0], io[BOUND]), and a relaxation's bound (io[CAPACITY], io[RESULT]). */
  private readonly io: Float64Array
  /** Per depth, the bound of the node's parent (see `dfs`). */
  private readonly inherit: Float64Array
  private lambda = 0
  /**
   * The options that fit the capacities on top of what is decided, as a 64-bit mask in two
   * words (options 0 … 31, 32 … 63); kept per node, recomputed only when an option is taken.
   */
  private fitLo = -1
  private fitHi = -1
  /** Per capacity r, the options' weights in increasing order: capW[r * K + i]. */
  private readonly capW: Float64Array
  /** Per capacity r, the mask of its i lightest options: pmLo / pmHi[r * (K + 1) + i]. */
  private readonly pmLo: Int32Array
  private readonly pmHi: Int32Array
  /** Per depth d, the mask of the options of the groups at depth ≥ d (the undecided ones). */
  private readonly undLo: Int32Array
  private readonly undHi: Int32Array
  private readonly best: Int32Array
  private bestValue = Number.NEGATIVE_INFINITY
  private found = false
  private cut = Number.NEGATIVE_INFINITY
  private nodes = 0
  private stopped = false
  private readonly nodeCap: number
  private readonly deadline: number

  constructor(
    private readonly m: Model,
    private readonly options: KnapsackOptions,
    t0: number,
  ) {
    const { C, G } = m
    const a = arenaOf(m)
    this.nodeCap = nodeCapOf(SMALL_NODES, options)
    this.deadline = deadlineOf(t0, options)
    // The surrogate of the capacities (when there are several) orders the groups; one capacity
    // orders them itself; without capacities the weightless "surrogate" bounds by value alone.
    this.u = C >= 2 ? lagrangeMultipliers(m, ITERATIONS) : a.f64(C).fill(1)
    const surrogate = C >= 2 ? surrogateWeights(m, this.u, a.f64(m.K)) : C === 0 ? a.f64(m.K) : null
    const main = surrogate ?? capacity(m, 0)
    this.uPerMax = a.f64(C)
    let uOpen = 0
    for (let q = 0; q < C; q++) {
      const c = m.max[q] ?? 0
      if (c <= 0) continue
      this.uPerMax[q] = (this.u[q] ?? 0) / c
      uOpen += this.u[q] ?? 0
    }
    this.uOpen = uOpen
    this.main = main
    this.order = orderGroups(m, main)
    this.st = new SearchState(m, this.order)
    this.tries = a.i32(m.K + G)
    this.tryFrom = a.i32(G + 1)
    let at = 0
    for (let d = 0; d < G; d++) {
      const g = this.order[d] ?? 0
      this.tryFrom[d] = at
      // Best value first: a stable insertion sort (as the sort with a comparator it replaces,
      // which cost a view, a closure and a copy per group with several options).
      const start = at
      for (let i = m.optFrom[g] ?? 0; i < (m.optFrom[g + 1] ?? 0); i++) {
        const k = m.opts[i] ?? 0
        const v = m.value[k] ?? 0
        let j = at++
        while (j > start && (m.value[this.tries[j - 1] ?? 0] ?? 0) < v) {
          this.tries[j] = this.tries[j - 1] ?? 0
          j--
        }
        this.tries[j] = k
      }
      if (!m.required[g]) this.tries[at++] = -1
    }
    this.tryFrom[G] = at
    // The surrogate first: it is the tightest where several capacities bind.
    const scratch = SCRATCH
    const tables = relaxTablesOf(m, C + (surrogate ? 1 : 0))
    const relax: Relaxation[] = surrogate
      ? [new Relaxation(m, this.order, surrogate, scratch, tables, 0)]
      : []
    const row: number[] = surrogate ? [-1] : []
    // A capacity's weights are read only while its relaxation is made: one array serves them all.
    const rowWeight = C >= 2 ? scratch.weight : main
    for (let r = 0; r < C; r++) {
      const w = C === 1 ? main : capacity(m, r, rowWeight)
      relax.push(new Relaxation(m, this.order, w, scratch, tables, relax.length))
      row.push(r)
    }
    this.relax = relax
    this.row = a.i32(row.length)
    this.row.set(row)
    this.inUse = a.u8(row.length)
    this.inUse[0] = 1
    // Only a capacity beside the first relaxation is ever skipped as not binding.
    this.heaviest = relax.length > 1 ? heaviestSuffix(m, this.order) : a.f64(0)
    this.best = a.i32(G).fill(-1)
    this.red = a.f64(m.K)
    this.sufBest = a.f64(G + 1)
    this.inherit = a.f64(G + 1)
    this.io = a.f64(5)
    const K = m.K
    this.capW = a.f64(C * K)
    this.pmLo = a.i32(C * (K + 1))
    this.pmHi = a.i32(C * (K + 1))
    const ks = scratch.options
    for (let r = 0; r < C; r++) {
      // Stable insertion sort by weight (a sort with a comparator costs more on a few dozen
      // options): the weightless options (many, in a capacity of one year) go straight between
      // the negative and the positive ones, in their order; only those two parts are sorted.
      const w = this.capW
      const base = r * K
      let negative = 0
      let zero = 0
      for (let k = 0; k < K; k++) {
        const x = m.coef[k * m.R + r] ?? 0
        if (x < 0) negative++
        else if (x === 0) zero++
      }
      let z = negative
      let endNeg = 0
      let endPos = negative + zero
      for (let k = 0; k < K; k++) {
        const x = m.coef[k * m.R + r] ?? 0
        if (x === 0) {
          w[base + z] = x
          ks[z++] = k
          continue
        }
        const from = x < 0 ? 0 : negative + zero
        let j = x < 0 ? endNeg++ : endPos++
        while (j > from && (w[base + j - 1] ?? 0) > x) {
          w[base + j] = w[base + j - 1] ?? 0
          ks[j] = ks[j - 1] ?? 0
          j--
        }
        w[base + j] = x
        ks[j] = k
      }
      let lo = 0
      let hi = 0
      for (let i = 0; i < K; i++) {
        const k = ks[i] ?? 0
        if (k < 32) lo |= 1 << k
        else hi |= 1 << (k - 32)
        this.pmLo[r * (K + 1) + i + 1] = lo
        this.pmHi[r * (K + 1) + i + 1] = hi
      }
    }
    this.undLo = a.i32(G + 1)
    this.undHi = a.i32(G + 1)
    for (let d = G - 1; d >= 0; d--) {
      let lo = this.undLo[d + 1] ?? 0
      let hi = this.undHi[d + 1] ?? 0
      const g = this.order[d] ?? 0
      for (let i = m.optFrom[g] ?? 0; i < (m.optFrom[g + 1] ?? 0); i++) {
        const k = m.opts[i] ?? 0
        if (k < 32) lo |= 1 << k
        else hi |= 1 << (k - 32)
      }
      this.undLo[d] = lo
      this.undHi[d] = hi
    }
  }

  /** Recompute the mask of the options that fit (`fitLo`, `fitHi`) from the state's row sums. */
  private refit(): void {
    const { m, st, capW, pmLo, pmHi } = this
    const K = m.K
    let lo = -1
    let hi = -1
    for (let r = 0; r < m.C; r++) {
      const w = st.W[r] ?? 0
      const cap = m.max[r] ?? 0
      const base = r * K
      // The options that fit are the lightest few: find how many, with the test `fits` makes.
      let a = 0
      let b = K
      while (a < b) {
        const mid = (a + b) >> 1
        if (w + (capW[base + mid] ?? 0) <= cap) a = mid + 1
        else b = mid
      }
      lo &= pmLo[r * (K + 1) + a] ?? 0
      hi &= pmHi[r * (K + 1) + a] ?? 0
    }
    this.fitLo = lo
    this.fitHi = hi
  }

  /** Whether option k fits the capacities at this node (see `fitLo`). */
  private fitsHere(k: number): boolean {
    return (((k < 32 ? this.fitLo : this.fitHi) >>> (k & 31)) & 1) === 1
  }

  /** What is left of the j-th relaxation's capacity at this node. */
  private capacityOf(j: number): number {
    this.capacityInto(j, CAPACITY)
    return this.io[CAPACITY] ?? 0
  }

  /** `capacityOf(j)` into io[slot] (a double returned by a call V8 does not inline is boxed: see `bound`). */
  private capacityInto(j: number, slot: number): void {
    const { m, st } = this
    const r = this.row[j] ?? -1
    if (r >= 0) {
      this.io[slot] = (m.max[r] ?? 0) - (st.W[r] ?? 0)
      return
    }
    // The surrogate's: Σ u_q (1 − W_q / max_q) over the capacities with room, as Σ u − Σ (u / max)·W.
    let cap = this.uOpen
    for (let q = 0; q < m.C; q++) cap -= (this.uPerMax[q] ?? 0) * (st.W[q] ?? 0)
    this.io[slot] = cap
  }

  /** The Lagrangian of the first relaxation at its root LP's dual price (see `red`). */
  private lagrangian(): void {
    const { m } = this
    const first = this.relax[0]
    this.lambda = first ? first.criticalEfficiency(this.capacityOf(0)) : 0
    for (let k = 0; k < m.K; k++) this.red[k] = (m.value[k] ?? 0) - this.lambda * (this.main[k] ?? 0)
    for (let d = m.G - 1; d >= 0; d--) {
      const g = this.order[d] ?? 0
      let b = m.required[g] ? Number.NEGATIVE_INFINITY : 0
      for (let i = m.optFrom[g] ?? 0; i < (m.optFrom[g + 1] ?? 0); i++)
        b = Math.max(b, this.red[m.opts[i] ?? 0] ?? 0)
      this.sufBest[d] = (this.sufBest[d + 1] ?? 0) + (Number.isFinite(b) ? b : 0)
    }
  }

  /**
   * The first package: options by value per unit of the first relaxation's weight, each taken
   * when its group is still free and it fits; kept when it keeps every rule.
   */
  private greedy(): void {
    const { m, st } = this
    // Where every group has one option, the first relaxation (the same weights) has them in this
    // order already: its segments are the options of positive value, by efficiency.
    const first = this.relax[0]
    if (first && atMostOneEach(m)) {
      for (let i = first.off; i < first.off + first.n; i++) {
        const k = first.single[i] ?? 0
        if (st.fits(k)) st.apply(k)
      }
      if (keepsEveryRule(m, st.pick)) this.take()
      st.reset()
      return
    }
    const ks = SCRATCH.options
    const eff = SCRATCH.keys
    let n = 0
    for (let g = 0; g < m.G; g++) {
      for (let o = m.optFrom[g] ?? 0; o < (m.optFrom[g + 1] ?? 0); o++) {
        const k = m.opts[o] ?? 0
        if ((m.value[k] ?? 0) <= 0) continue
        const w = this.main[k] ?? 0
        const e = w > 0 ? (m.value[k] ?? 0) / w : Number.POSITIVE_INFINITY
        let j = n++
        while (j > 0 && (eff[j - 1] ?? 0) < e) {
          ks[j] = ks[j - 1] ?? 0
          eff[j] = eff[j - 1] ?? 0
          j--
        }
        ks[j] = k
        eff[j] = e
      }
    }
    for (let i = 0; i < n; i++) {
      const k = ks[i] ?? 0
      if ((st.pick[m.groupOf[k] ?? 0] ?? -1) < 0 && st.fits(k)) st.apply(k)
    }
    if (keepsEveryRule(m, st.pick)) this.take()
    st.reset()
  }

  /** The state's package as the incumbent. */
  private take(): void {
    const { m, st } = this
    this.found = true
    this.bestValue = st.V
    this.best.set(st.pick)
    const v = st.V
    this.cut = m.integral ? v + 1 - EPS * Math.max(1, Math.abs(v)) : v + EPS * Math.max(1, Math.abs(v))
  }

  /**
   * The bound of what the node at `depth` (the state holds its decisions) can reach, at most
   * `io[LIMIT]`, into `io[BOUND]`; `io[CAP0]`: the first relaxation's capacity left at this node
   * (`capacityOf(0)`). In and out through a typed array: V8 does not always inline this into
   * `dfs`, and a double passed to or returned from a call that is not inlined is boxed on the
   * heap, 16 bytes each.
   */
  private bound(depth: number): void {
    const { st, io } = this
    const cap0 = io[CAP0] ?? 0
    // The undecided options that no longer fit: the relaxations leave them out.
    const lo = ~this.fitLo & (this.undLo[depth] ?? 0)
    const hi = ~this.fitHi & (this.undHi[depth] ?? 0)
    // Now and then every relaxation is computed and the tightest is kept in use; in between only
    // those in use (skipping one only weakens the bound, never makes it wrong).
    const survey = (this.nodes & SURVEY_MASK) === 1
    let b = io[LIMIT] ?? 0
    let tightest = -1
    let tight = Number.POSITIVE_INFINITY
    for (let j = 0; j < this.relax.length; j++) {
      const r = this.row[j] ?? -1
      if (!survey && !this.inUse[j]) continue
      // Beside the surrogate, a capacity that everything undecided fits at once adds nothing.
      if (j > 0 && r >= 0 && !st.capacityBinds(r, depth, this.heaviest)) continue
      const rel = this.relax[j]
      if (!rel) continue
      if (j === 0) io[CAPACITY] = cap0
      else this.capacityInto(j, CAPACITY)
      rel.bound(depth, lo, hi, io)
      const x = st.V + (io[RESULT] ?? 0)
      if (x < tight) {
        tight = x
        tightest = j
      }
      b = Math.min(b, x)
      if (b < this.cut && !survey) {
        io[BOUND] = b
        return
      }
    }
    if (tightest >= 0) this.inUse[tightest] = 1
    io[BOUND] = b
  }

  /**
   * A node at `depth`, bounded by its parent at `inherit[depth]`: a bound passed as an argument
   * to the recursive call would be boxed on the heap, about 16 bytes a node.
   */
  private dfs(depth: number): void {
    const { st, m } = this
    const inherited = this.inherit[depth] ?? Number.POSITIVE_INFINITY
    if (spent(++this.nodes, this.nodeCap, this.deadline, this.options)) this.stopped = true
    if (this.stopped) return
    if (depth === m.G) {
      if (!this.found || st.V > this.bestValue) this.take()
      return
    }
    // The surrogate's capacity sums over every capacity: computed once per node.
    this.capacityInto(0, CAP0)
    const cap0 = this.io[CAP0] ?? 0
    const slack = this.lambda * cap0
    const lag = st.V + slack + (this.sufBest[depth] ?? 0)
    if (lag < this.cut) return
    this.io[LIMIT] = Math.min(inherited, lag)
    this.bound(depth)
    const bound = this.io[BOUND] ?? 0
    if (bound < this.cut) return
    const g = this.order[depth] ?? 0
    const end = this.tryFrom[depth + 1] ?? 0
    const rest = st.V + slack + (this.sufBest[depth + 1] ?? 0)
    for (let i = this.tryFrom[depth] ?? 0; i < end && !this.stopped; i++) {
      const k = this.tries[i] ?? -1
      if (rest + (k >= 0 ? (this.red[k] ?? 0) : 0) < this.cut) continue
      if (k >= 0 && !this.fitsHere(k)) continue
      if (!st.linksOk(g, k >= 0)) continue
      if (k < 0) {
        if (st.rowsReachable(depth + 1)) {
          this.inherit[depth + 1] = bound
          this.dfs(depth + 1)
        }
      } else {
        const { fitLo, fitHi } = this
        st.apply(k)
        if (st.rowsReachable(depth + 1)) {
          this.refit()
          this.inherit[depth + 1] = bound
          this.dfs(depth + 1)
        }
        st.undo(k)
        this.fitLo = fitLo
        this.fitHi = fitHi
      }
      if (bound < this.cut) break
    }
  }

  run(t0: number): KnapsackResult | null {
    const { st, m } = this
    if (!st.rowsReachable(0)) return done("infeasible", null, Number.NEGATIVE_INFINITY, 0, t0)
    this.lagrangian()
    this.greedy()
    this.refit()
    this.io[LIMIT] = Number.POSITIVE_INFINITY
    this.capacityInto(0, CAP0)
    this.bound(0)
    const rootBound = this.io[BOUND] ?? 0
    this.inherit[0] = rootBound
    this.dfs(0)
    if (this.stopped) return null
    if (!this.found) return done("infeasible", null, Number.NEGATIVE_INFINITY, this.nodes, t0)
    const pkg: number[] = []
    let sorted = true
    for (let g = 0; g < m.G; g++) {
      const k = this.best[g] ?? -1
      if (k < 0) continue
      if (pkg.length && k < (pkg[pkg.length - 1] ?? 0)) sorted = false
      pkg.push(k)
    }
    if (!sorted) pkg.sort((a, b) => a - b)
    return done("optimal", pkg, this.bestValue, this.nodes, t0, Math.max(rootBound, this.bestValue))
  }
}

const done = (
  status: "optimal" | "infeasible",
  pkg: number[] | null,
  objective: number,
  nodes: number,
  t0: number,
  rootBound = Number.NEGATIVE_INFINITY,
): KnapsackResult =>
  status === "optimal" && pkg
    ? optimal(t0, pkg, objective, nodes, rootBound)
    : infeasible(t0, nodes, rootBound)

/** Whether every group has at most one option. */
const atMostOneEach = (m: Model): boolean => {
  for (let g = 0; g < m.G; g++) if ((m.optFrom[g + 1] ?? 0) - (m.optFrom[g] ?? 0) > 1) return false
  return true
}

/** The weights of capacity r, one per option (into `out`, or an array of their own). */
const capacity = (m: Model, r: number, out = arenaOf(m).f64(m.K)): Float64Array => {
  for (let k = 0; k < m.K; k++) out[k] = m.coef[k * m.R + r] ?? 0
  return out
}

/**
 * Groups in the order they are decided: required groups first, then by the geometric mean of
 * value and efficiency (value / √weight) of their best option, as the full search orders them:
 * large, efficient groups, which shape the bound most, are decided first.
 */
const orderGroups = (m: Model, weight: Float64Array | null): Int32Array => {
  const key = arenaOf(m).f64(m.G)
  for (let g = 0; g < m.G; g++) {
    let best = Number.NEGATIVE_INFINITY
    for (let i = m.optFrom[g] ?? 0; i < (m.optFrom[g + 1] ?? 0); i++) {
      const k = m.opts[i] ?? 0
      const v = m.value[k] ?? 0
      const w = weight ? (weight[k] ?? 0) : 0
      const e = v <= 0 ? v : w > 0 ? v / Math.sqrt(w) : v * 1e30
      if (e > best) best = e
    }
    key[g] = (m.required[g] ? 1e300 : 0) + best
  }
  const order = arenaOf(m).i32(m.G)
  for (let i = 0; i < m.G; i++) {
    let j = i
    while (j > 0 && (key[order[j - 1] ?? 0] ?? 0) < (key[i] ?? 0)) {
      order[j] = order[j - 1] ?? 0
      j--
    }
    order[j] = i
  }
  return order
}
