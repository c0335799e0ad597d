import type { Line, Proposal, Variant } from "../../src/model/schema.ts"
import type { Knapsack } from "../../src/solver/engine/problem.ts"
import type { RulesInput } from "../../src/solver/rules.ts"

/** Small seeded PRNG (mulberry32): the same seed gives the same instance on every machine. */
export const rng = (seed: number) => {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1))
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T
  const chance = (p: number) => next() < p
  return { next, int, pick, chance }
}
export type Rng = ReturnType<typeof rng>

const COMMITTEES = [
  "Børne- og Ungdomsudvalget",
  "Socialudvalget",
  "Økonomiudvalget",
  "Teknik- og Miljøudvalget",
]

const line = (
  label: string,
  section: Line["section"],
  area: "service" | "anlaeg",
  values: number[],
): Line => ({
  label,
  section,
  area,
  printedArea: area === "anlaeg" ? "Anlæg" : "Service",
  values,
})

/** A random variant shaped like the real ones: costs in the first years, savings phasing in. */
const variant = (r: Rng, id: string, scale: number): Variant => {
  const n = r.pick([5, 6, 6, 6, 9])
  const years = Array.from({ length: n }, (_, i) => 2026 + i)
  const costYears = r.int(1, 3)
  const lines: Line[] = []
  for (const area of ["service", "anlaeg"] as const) {
    if (area === "anlaeg" && r.chance(0.55)) continue
    const total = Math.round(scale * (0.2 + 3 * r.next()) * 1000)
    lines.push(
      line(
        `Implementering ${area}`,
        "implementation",
        area,
        years.map((_, i) => (i < costYears ? Math.round(total / costYears) : 0)),
      ),
    )
  }
  const full = -Math.round(scale * (0.1 + 1.2 * r.next()) * 1000)
  const start = r.int(0, 2)
  lines.push(
    line(
      "Effektivisering",
      "permanent",
      "service",
      years.map((_, i) => (i < start ? 0 : i === start ? Math.round(full / 2) : full)),
    ),
  )
  if (r.chance(0.4))
    lines.push(
      line(
        "Drift",
        "permanent",
        "service",
        years.map((_, i) => (i < start ? 0 : r.int(10, 200))),
      ),
    )
  return {
    id,
    label: "Tabel",
    unitPrinted: "1.000 kr. 2027 p/l",
    priceLevel: 2027,
    years,
    lines,
    totals: [],
    payback: [],
  }
}

/** n random proposals, ids BC00.., 30% with a second (half-size) variant and a few with a third. */
export const randomProposals = (r: Rng, n: number): Proposal[] =>
  Array.from({ length: n }, (_, i) => {
    const scale = r.pick([0.3, 1, 1, 2, 5, 12])
    const variants = [variant(r, "base", scale)]
    if (r.chance(0.3)) variants.push(variant(r, "half", scale / 2))
    if (r.chance(0.08)) variants.push(variant(r, "pilot", scale / 4))
    return {
      id: `BC${String(i).padStart(2, "0")}`.slice(0, 2) + String(i).padStart(2, "0"),
      title: `Forslag ${i}`,
      committee: r.pick(COMMITTEES),
      administration: "Forvaltning",
      summary: "",
      risk: "",
      adminEffect: null,
      variants,
      anomalies: [],
      source: { firstLine: 1, lastLine: 1 },
    }
  })

/** Total pool cost of all base variants per area, 2026 p/l (what is "applied for"). */
const applied = (ps: readonly Proposal[], area: "service" | "anlaeg") =>
  ps.reduce((s, p) => {
    const v = p.variants[0]
    if (!v) return s
    const c = v.lines
      .filter((l) => l.section === "implementation" && l.area === area)
      .flatMap((l) => l.values)
    return s + c.reduce((a, b) => a + b, 0) / (area === "service" ? 1.028 : 1.022)
  }, 0)

export interface Instance {
  readonly seed: number
  readonly proposals: Proposal[]
  readonly rules: RulesInput
}

/**
 * A random negotiation: n proposals and 1-12 limits, with payback rule, locks, exclusions,
 * committee quotas, dependencies and a maximum count drawn at random (some instances infeasible).
 */
export const randomInstance = (seed: number, n: number, opts: { sideRules?: boolean } = {}): Instance => {
  const r = rng(seed)
  const proposals = randomProposals(r, n)
  const ids = proposals.map((p) => p.id)
  const s = applied(proposals, "service")
  const a = applied(proposals, "anlaeg")
  const limitCount = r.int(1, 12)
  const limits: NonNullable<RulesInput["limits"]> = { perYear: [] }
  limits.service = Math.round(s * (0.15 + 0.7 * r.next()))
  let left = limitCount - 1
  if (left > 0 && r.chance(0.8)) {
    limits.anlaeg = Math.round(a * (0.15 + 0.7 * r.next()))
    left--
  }
  if (left > 0 && r.chance(0.3)) {
    limits.combined = Math.round((s + a) * (0.2 + 0.5 * r.next()))
    left--
  }
  const seen = new Set<string>()
  while (left > 0) {
    const area = r.pick(["service", "anlaeg", "combined"] as const)
    const year = r.int(2026, 2029)
    if (seen.has(`${area}${year}`)) {
      left--
      continue
    }
    seen.add(`${area}${year}`)
    limits.perYear?.push({
      area,
      year,
      max: Math.round(((area === "anlaeg" ? a : s) / 2.5) * (0.2 + 0.8 * r.next())),
    })
    left--
  }
  const rules: RulesInput = {
    limits,
    payback: {
      maxYears: r.pick([4, 6, 6, 8, null]),
      basis: r.pick(["total", "service"] as const),
      exempt: r.chance(0.3) ? [r.pick(ids)] : [],
    },
  }
  const present = [...new Set(proposals.map((p) => p.committee))]
  if (opts.sideRules !== false) {
    if (r.chance(0.3)) rules.locks = [{ proposal: r.pick(ids) }]
    if (r.chance(0.2)) rules.exclude = [r.pick(ids)]
    if (r.chance(0.3))
      rules.committees = [
        r.chance(0.5)
          ? { committee: r.pick(present), measure: "count", max: r.int(1, 4) }
          : {
              committee: r.pick(present),
              measure: r.pick(["poolCost", "saving"] as const),
              ...(r.chance(0.5) ? { max: Math.round(s / 4) } : { min: r.int(100, 3000) }),
            },
      ]
    if (r.chance(0.35))
      rules.dependencies = Array.from({ length: r.int(1, 3) }, () => {
        const x = r.pick(ids)
        let y = r.pick(ids)
        if (y === x) y = ids[(ids.indexOf(x) + 1) % ids.length] ?? x
        return { kind: r.pick(["requires", "excludes"] as const), proposal: x, other: y }
      }).filter((d) => d.proposal !== d.other)
    if (r.chance(0.2)) rules.maxProposals = r.int(1, Math.max(1, Math.floor(n / 2)))
  }
  return { seed, proposals, rules }
}

/**
 * A budget-like knapsack for the engine alone: n proposals whose sizes span two orders of
 * magnitude, 30% with a half-size second variant, value about 0,3 × cost; costs in a service and
 * an anlæg area over five years. `limits` 2: one pool per area (40% of what is applied for);
 * 10: one per area and year (40% of that year's).
 */
export const budgetKnapsack = (seed: number, n: number, limits: 2 | 10): Knapsack => {
  const r = rng(seed)
  const groupOf: number[] = []
  const values: number[] = []
  const cost: number[][] = [] // per option: [area * 5 + year]
  for (let g = 0; g < n; g++) {
    const size = 100 * 10 ** (2 * r.next())
    const anlaeg = r.chance(0.45) ? 0.2 + 0.6 * r.next() : 0
    const spread = r.int(1, 3)
    const start = r.int(0, 5 - spread)
    const variants = r.chance(0.3) ? [1, 0.5] : [1]
    for (const f of variants) {
      const c = size * f
      const row = new Array<number>(10).fill(0)
      for (let y = start; y < start + spread; y++) {
        row[y] = Math.round(((1 - anlaeg) * c) / spread)
        row[5 + y] = Math.round((anlaeg * c) / spread)
      }
      groupOf.push(g)
      values.push(Math.round(0.3 * c * (0.5 + r.next())))
      cost.push(row)
    }
  }
  const sum = (idx: number[]) => (k: number) => idx.reduce((s, i) => s + (cost[k]?.[i] ?? 0), 0)
  const areas = [
    [0, 1, 2, 3, 4],
    [5, 6, 7, 8, 9],
  ]
  const cols = limits === 2 ? areas : Array.from({ length: 10 }, (_, i) => [i])
  const rows = cols.map((idx) => {
    const coefs = values.map((_, k) => sum(idx)(k))
    const applied = coefs.reduce((s, c, k) => s + (groupOf[k - 1] === groupOf[k] ? 0 : c), 0)
    return { coefs, max: Math.round(0.4 * applied) }
  })
  return { groups: n, groupOf, values, rows }
}
