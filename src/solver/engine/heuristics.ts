import { keepsEveryRule, type Model, packageValue } from "./model.ts"

/** The exchange search reads the clock once per this many + 1 pairs looked at (a mask). */
const CLOCK_EVERY = 4095
const never = () => false

/**
 * Primal heuristics: packages that keep every rule, found before and during the search so that
 * it has a good value to prune against. Each returns a package (one option or −1 per group) that
 * `keepsEveryRule` accepted, or null.
 */
export class Heuristics {
  /** Options by value per unit of surrogate weight, best first (positive values only). */
  private readonly byEfficiency: Int32Array
  private readonly W: Float64Array

  constructor(
    private readonly m: Model,
    weight: Float64Array,
    /** Whether the caller's time is up: the long loops (`improve`, `swap`) stop early with what they have. */
    private readonly late: () => boolean = never,
  ) {
    // Every option that may be chosen, group by group.
    const ks = Array.from(m.opts)
    const eff = (k: number) => (m.value[k] ?? 0) / ((weight[k] ?? 0) + 1e-12)
    ks.sort((a, b) => eff(b) - eff(a))
    this.byEfficiency = Int32Array.from(ks)
    this.W = new Float64Array(m.R)
  }

  /** Whether option k can join `pick` (row sums `W`): its group is empty, it fits every max, the links allow it. */
  private canAdd(pick: Int32Array, k: number): boolean {
    const { m, W } = this
    const g = m.groupOf[k] ?? 0
    if ((pick[g] ?? -1) >= 0) return false
    const base = k * m.R
    for (let r = 0; r < m.R; r++) if ((W[r] ?? 0) + (m.coef[base + r] ?? 0) > (m.max[r] ?? 0)) return false
    for (const l of m.links[g] ?? []) {
      const other = (pick[l.other] ?? -1) >= 0
      if (l.kind === "excludes" && other) return false
      if (l.kind === "requires" && !other) return false
    }
    return true
  }

  private add(pick: Int32Array, k: number, sign: 1 | -1): void {
    const { m, W } = this
    const base = k * m.R
    for (let r = 0; r < m.R; r++) W[r] = (W[r] ?? 0) + sign * (m.coef[base + r] ?? 0)
    pick[m.groupOf[k] ?? 0] = sign > 0 ? k : -1
  }

  private sums(pick: Int32Array): void {
    this.W.fill(0)
    for (const k of pick) if (k >= 0) this.add(pick, k, 1)
  }

  /** Add options by efficiency while they fit; required groups first, each with its lightest fitting option. */
  private fill(pick: Int32Array, skip = -1): void {
    const { m } = this
    for (let g = 0; g < m.G; g++)
      if (m.required[g] && (pick[g] ?? -1) < 0)
        for (let i = this.byEfficiency.length - 1; i >= 0; i--) {
          const k = this.byEfficiency[i] ?? 0
          if (m.groupOf[k] === g && this.canAdd(pick, k)) {
            this.add(pick, k, 1)
            break
          }
        }
    for (const k of this.byEfficiency) {
      if (k === skip || (m.value[k] ?? 0) <= 0) continue
      if (this.canAdd(pick, k)) this.add(pick, k, 1)
    }
  }

  private accept(pick: Int32Array): Int32Array | null {
    return keepsEveryRule(this.m, pick) ? Int32Array.from(pick) : null
  }

  /** The classic greedy: options by surrogate efficiency. */
  greedy(): Int32Array | null {
    const pick = new Int32Array(this.m.G).fill(-1)
    this.W.fill(0)
    this.fill(pick)
    return this.accept(pick)
  }

  /**
   * Lagrangian rounding: start from the Lagrangian's package, drop the least efficient options
   * until every max holds, then fill up greedily.
   */
  repair(lagrangian: Int32Array): Int32Array | null {
    const { m } = this
    const pick = Int32Array.from(lagrangian)
    this.sums(pick)
    const over = () => {
      for (let r = 0; r < m.R; r++) if ((this.W[r] ?? 0) > (m.max[r] ?? 0)) return true
      return false
    }
    for (let i = this.byEfficiency.length - 1; i >= 0 && over(); i--) {
      const k = this.byEfficiency[i] ?? 0
      if (pick[m.groupOf[k] ?? 0] === k) this.add(pick, k, -1)
    }
    if (over()) return null
    // Links the Lagrangian ignored: drop an option whose required partner is missing or excluded one present.
    for (let g = 0; g < m.G; g++) {
      const k = pick[g] ?? -1
      if (k < 0) continue
      for (const l of m.links[g] ?? []) {
        const other = (pick[l.other] ?? -1) >= 0
        if ((l.kind === "requires" && !other) || (l.kind === "excludes" && other)) {
          this.add(pick, k, -1)
          break
        }
      }
    }
    this.fill(pick)
    return this.accept(pick)
  }

  /**
   * Exchange local search (1-opt swaps): replace a chosen option by a more valuable one of an
   * empty group or of its own group when the row sums stay within bounds, the least efficient
   * chosen options first, first improvement; then fill up greedily. Stops after `budget` pairs
   * looked at. The result keeps every rule (it is checked); links make it return `start`.
   */
  swap(start: Int32Array, budget = 1_000_000): Int32Array {
    const { m, W } = this
    if (m.links.some((l) => l.length > 0)) return start
    const pick = Int32Array.from(start)
    this.sums(pick)
    let work = 0
    for (let improved = true; improved && work < budget; ) {
      improved = false
      for (let i = this.byEfficiency.length - 1; i >= 0 && work < budget; i--) {
        const a = this.byEfficiency[i] ?? 0
        const ga = m.groupOf[a] ?? 0
        if (pick[ga] !== a) continue
        const va = m.value[a] ?? 0
        for (const b of this.byEfficiency) {
          if (++work >= budget) break
          // The clock now and then: the whole budget takes tens of milliseconds.
          if ((work & CLOCK_EVERY) === 0 && this.late()) {
            work = budget
            break
          }
          if ((m.value[b] ?? 0) <= va) continue
          const gb = m.groupOf[b] ?? 0
          if (gb !== ga && (pick[gb] ?? -1) >= 0) continue
          let ok = true
          for (let r = 0; r < m.R && ok; r++) {
            const w = (W[r] ?? 0) - (m.coef[a * m.R + r] ?? 0) + (m.coef[b * m.R + r] ?? 0)
            ok = w <= (m.max[r] ?? 0) && w >= (m.min[r] ?? 0)
          }
          if (!ok || (gb !== ga && m.required[ga])) continue
          this.add(pick, a, -1)
          this.add(pick, b, 1)
          improved = true
          break
        }
      }
    }
    this.fill(pick)
    return packageValue(m, pick) > packageValue(m, start) && keepsEveryRule(m, pick) ? pick : start
  }

  /**
   * Local search: take one option out and refill greedily; keep the change when the package is
   * better and keeps every rule; repeat until no single change helps (at most `rounds` rounds);
   * then at most `swaps` exchanges (`swap`).
   */
  improve(start: Int32Array, rounds = 20, swaps = 1_000_000): Int32Array {
    const { m } = this
    let best = Int32Array.from(start)
    let bestV = packageValue(m, best)
    for (let round = 0; round < rounds && !this.late(); round++) {
      let improved = false
      // The least efficient chosen options first: they are the likeliest to be worth swapping.
      const chosen: number[] = []
      for (let i = this.byEfficiency.length - 1; i >= 0 && chosen.length < 40; i--) {
        const k = this.byEfficiency[i] ?? 0
        if (best[m.groupOf[k] ?? 0] === k) chosen.push(k)
      }
      for (const k of chosen) {
        if (this.late()) break
        const pick = Int32Array.from(best)
        this.sums(pick)
        this.add(pick, k, -1)
        this.fill(pick, k)
        const v = packageValue(m, pick)
        if (v > bestV && keepsEveryRule(m, pick)) {
          best = pick
          bestV = v
          improved = true
          break
        }
      }
      if (!improved) break
    }
    return this.swap(best, swaps)
  }
}
