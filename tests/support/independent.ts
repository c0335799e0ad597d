import { cumulatedNetImpact, permanentEffect } from "../../src/model/cashflow.ts"
import { paybackYears } from "../../src/model/payback.ts"
import type { Proposal, Variant } from "../../src/model/schema.ts"
import type { Rules } from "../../src/solver/rules.ts"

/**
 * An independent reading of the rules, written without the solver's compiler: pool limits are
 * checked in integers by cross-multiplying with the OFS index (service 1,028, anlæg 1,022,
 * 2027 p/l → 2026 p/l), so that a test never depends on the code it checks.
 */
const SERVICE = 1028n
const ANLAEG = 1022n

const implSum = (v: Variant, area: "service" | "anlaeg", year?: number) =>
  v.lines
    .filter((l) => l.section === "implementation" && l.area === area)
    .reduce(
      (s, l) => s + l.values.reduce((a, x, i) => a + (year === undefined || v.years[i] === year ? x : 0), 0),
      0,
    )

/** limit is an integer number of 1.000 kr. in 2026 p/l. cost2027/1,028 ≤ limit ⟺ 1000·cost ≤ 1028·limit. */
const within = (service: bigint, anlaeg: bigint, area: "service" | "anlaeg" | "combined", limit: number) => {
  const L = BigInt(limit)
  if (area === "service") return service * 1000n <= L * SERVICE
  if (area === "anlaeg") return anlaeg * 1000n <= L * ANLAEG
  return service * 1000n * ANLAEG + anlaeg * 1000n * SERVICE <= L * SERVICE * ANLAEG
}
const atLeast = (service: bigint, anlaeg: bigint, limit: number) =>
  service * 1000n * ANLAEG + anlaeg * 1000n * SERVICE >= BigInt(limit) * SERVICE * ANLAEG

export type Pick = ReadonlyMap<string, Variant>

/** The objective value of a package and whether it keeps every rule (limits must be integers). */
export const judge = (
  proposals: readonly Proposal[],
  rules: Rules,
  pick: Pick,
): { feasible: boolean; value: number } => {
  const value = [...pick.values()].reduce(
    (s, v) =>
      s +
      (rules.objective.kind === "permanentEffect"
        ? -permanentEffect(v)
        : -cumulatedNetImpact(v, rules.objective.untilYear)),
    0,
  )
  const no = { feasible: false, value }
  const sum = (area: "service" | "anlaeg", year?: number, keep: (id: string) => boolean = () => true) =>
    [...pick.entries()].reduce((s, [id, v]) => s + (keep(id) ? BigInt(implSum(v, area, year)) : 0n), 0n)
  const L = rules.limits
  if (L.service !== undefined && !within(sum("service"), 0n, "service", L.service)) return no
  if (L.anlaeg !== undefined && !within(0n, sum("anlaeg"), "anlaeg", L.anlaeg)) return no
  if (L.combined !== undefined && !within(sum("service"), sum("anlaeg"), "combined", L.combined)) return no
  for (const y of L.perYear)
    if (!within(sum("service", y.year), sum("anlaeg", y.year), y.area, y.max)) return no
  const max = rules.payback.maxYears
  for (const [id, v] of pick) {
    if (rules.exclude.includes(id)) return no
    const allowed = rules.variants[id]
    if (allowed && !allowed.includes(v.id)) return no
    if (max !== null && !rules.payback.exempt.includes(id)) {
      const pb = paybackYears(v, rules.payback.basis)
      if (pb === null || pb > max) return no
    }
  }
  for (const l of rules.locks) {
    const v = pick.get(l.proposal)
    if (!v || (l.variant !== undefined && v.id !== l.variant)) return no
  }
  const committee = new Map(proposals.map((p) => [p.id, p.committee]))
  for (const q of rules.committees) {
    const inC = (id: string) => committee.get(id) === q.committee
    const ids = [...pick.keys()].filter(inC)
    if (q.measure === "count") {
      if (q.max !== undefined && ids.length > q.max) return no
      if (q.min !== undefined && ids.length < q.min) return no
    } else if (q.measure === "saving") {
      const saving = ids.reduce((s, id) => s - permanentEffect(pick.get(id) as Variant), 0)
      if (q.max !== undefined && saving > q.max) return no
      if (q.min !== undefined && saving < q.min) return no
    } else {
      const s = sum("service", undefined, inC)
      const a = sum("anlaeg", undefined, inC)
      if (q.max !== undefined && !within(s, a, "combined", q.max)) return no
      if (q.min !== undefined && !atLeast(s, a, q.min)) return no
    }
  }
  for (const d of rules.dependencies) {
    if (d.kind === "requires" && pick.has(d.proposal) && !pick.has(d.other)) return no
    if (d.kind === "excludes" && pick.has(d.proposal) && pick.has(d.other)) return no
  }
  if (rules.maxProposals !== undefined && pick.size > rules.maxProposals) return no
  return { feasible: true, value }
}

/** Every package (at most one variant per proposal) that keeps the rules, best first: value and variant per proposal. */
export const allPackages = (proposals: readonly Proposal[], rules: Rules) => {
  const out: { value: number; pick: Map<string, string> }[] = []
  const pick = new Map<string, Variant>()
  const go = (i: number) => {
    const p = proposals[i]
    if (!p) {
      const j = judge(proposals, rules, pick)
      if (j.feasible) out.push({ value: j.value, pick: new Map([...pick].map(([k, v]) => [k, v.id])) })
      return
    }
    go(i + 1)
    for (const v of p.variants) {
      pick.set(p.id, v)
      go(i + 1)
      pick.delete(p.id)
    }
  }
  go(0)
  return out.sort((a, b) => b.value - a.value)
}

/** The best value of any package that keeps the rules, by enumeration, or null. */
export const bruteForce = (proposals: readonly Proposal[], rules: Rules): number | null =>
  allPackages(proposals, rules)[0]?.value ?? null
