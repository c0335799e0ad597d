import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { loadRound } from "../../../src/app/round.ts"
import type { Proposal } from "../../../src/model/schema.ts"
import { explain } from "../../../src/solver/analysis/explain.ts"
import { compile } from "../../../src/solver/compile.ts"
import { Rules, type RulesInput } from "../../../src/solver/rules.ts"
import { solve } from "../../../src/solver/solve.ts"
import { solveWithHighs } from "../../support/highs.ts"

const dir = join(import.meta.dirname, "..", "..", "..", "scenarios", "ofs-2025-26")
const { proposals, scenarios } = loadRound(dir)
const DEFAULT = Rules.parse({ limits: { service: 100000, anlaeg: 87500 } })
const highs = async (rules: RulesInput, ps: readonly Proposal[] = proposals) =>
  (await solveWithHighs(compile(ps, Rules.parse(rules)))).objective
const oracle = highs
/** The rules as a user writes them, solved directly: a path independent of the analysis adapter. */
const direct = async (rules: RulesInput) => {
  const r = solve(proposals, Rules.parse(rules))
  return r.status === "optimal" ? r.objective : null
}
const e = explain(proposals, DEFAULT)

/** The proposals with one variant's implementation cost in an area lowered by `by` (from its largest cell). */
const cheaper = (id: string, area: "service" | "anlaeg", by: number): Proposal[] =>
  proposals.map((p) => {
    if (p.id !== id) return p
    const v = p.variants[0]
    if (!v) return p
    const lines = v.lines.map((l) => ({ ...l, values: [...l.values] }))
    let left = by
    for (const l of lines)
      if (l.section === "implementation" && l.area === area)
        for (let i = 0; i < l.values.length && left > 0; i++) {
          const take = Math.min(left, l.values[i] ?? 0)
          l.values[i] = (l.values[i] ?? 0) - take
          left -= take
        }
    return { ...p, variants: [{ ...v, lines }, ...p.variants.slice(1)] }
  })

describe("explain", () => {
  it("explains every proposal and BC10's variant", () => {
    expect(new Set(e.options.map((o) => o.proposal)).size).toBe(30)
    expect(e.options.filter((o) => o.proposal === "BC10").map((o) => o.variant)).toEqual([
      "base",
      "scenario-2",
    ])
    expect(e.optimum.objective).toBe(79157)
    for (const o of e.options) expect(o.text.length).toBeGreaterThan(20)
  })

  it("every price of forcing out or in equals a solve with the exclusion or lock written as rules; six also by HiGHS", async () => {
    const byHighs = new Set(["BC05", "BC32", "BC06", "BC43", "BC10", "BC24"])
    for (const o of e.options) {
      const oracle = byHighs.has(o.proposal) ? highs : direct
      if (o.status === "chosen") {
        const v = await oracle({ ...DEFAULT, exclude: [o.proposal] })
        expect(o.priceOut).toBe(79157 - (v ?? 0))
        expect(o.withoutIt?.objective).toBe(v)
      } else if (o.status === "notChosen") {
        const v = await oracle({ ...DEFAULT, locks: [{ proposal: o.proposal, variant: o.variant }] })
        expect(o.priceIn).toBe(79157 - (v ?? 0))
      } else {
        const v = await oracle({
          ...DEFAULT,
          payback: { ...DEFAULT.payback, exempt: [o.proposal] },
          locks: [{ proposal: o.proposal, variant: o.variant }],
        })
        const free = await oracle({ ...DEFAULT, payback: { ...DEFAULT.payback, exempt: [o.proposal] } })
        expect(o.exempted?.priceIn).toBe((free ?? 0) - (v ?? 0))
        expect(o.exempted?.objective).toBe(free)
      }
    }
  })

  it("BC10's half-size pilot, forced in under an exemption, costs 4.594 a year", () => {
    const pilot = e.options.find((o) => o.proposal === "BC10" && o.variant === "scenario-2")
    expect(pilot?.status).toBe("ruledOut")
    expect(pilot?.rules?.map((r) => r.rule)).toEqual(["payback"])
    expect(pilot?.exempted?.priceIn).toBe(4594)
    const s2 = scenarios.find((s) => s.id === "bc10-scenario-2")
    if (!s2) throw new Error("no bc10-scenario-2")
    const lock = explain(proposals, s2.rules).rulePrices.find((r) => r.rule === "lock:BC10")
    expect(lock?.priceAgainstNone).toBe(4594)
  })

  it("entry thresholds are exact: a saving or a cost cut one below does not enter, at the threshold it does", async () => {
    for (const id of ["BC15", "BC43", "BC09"]) {
      const o = e.options.find((x) => x.proposal === id)
      expect(o?.status).toBe("notChosen")
      for (const t of o?.costThresholds ?? []) {
        if (t.reduction === null) continue
        expect(await oracle(DEFAULT, cheaper(id, t.area, t.reduction))).toBeGreaterThan(79157)
        expect(await oracle(DEFAULT, cheaper(id, t.area, t.reduction - 1))).toBe(79157)
      }
      const problem = compile(proposals, DEFAULT)
      const gi = problem.groups.findIndex((g) => g.proposal === id)
      const raised = (by: number) => ({
        ...problem,
        groups: problem.groups.map((g, i) =>
          i === gi ? { ...g, options: g.options.map((x) => ({ ...x, value: x.value + by })) } : g,
        ),
      })
      const t = o?.savingThreshold ?? 0
      expect((await solveWithHighs(raised(t))).objective).toBeGreaterThan(79157)
      expect((await solveWithHighs(raised(t - 1))).objective).toBe(79157)
    }
  })

  it("the price of each rule and the gain of more pool agree with HiGHS", async () => {
    const payback = e.rulePrices.find((r) => r.rule === "payback")
    expect(payback?.price).toBe(
      ((await oracle({ ...DEFAULT, payback: { ...DEFAULT.payback, maxYears: null } })) ?? 0) - 79157,
    )
    const service = e.rulePrices.find((r) => r.rule === "limit:service")
    expect(service?.price).toBe(((await oracle({ ...DEFAULT, limits: { anlaeg: 87500 } })) ?? 0) - 79157)
    for (const l of e.limits)
      for (const g of l.gains) {
        const area = l.rule === "limit:service" ? "service" : "anlaeg"
        const v = await oracle({ ...DEFAULT, limits: { ...DEFAULT.limits, [area]: l.max + g.extra } })
        expect(g.gain).toBe((v ?? 0) - 79157)
      }
    expect(e.limits.map((l) => l.binding)).toEqual([true, true])
  })
})

describe("the price of every kind of rule", () => {
  it("lock, exclusion, exemption, quota, per-year limit and dependency: each against HiGHS without it", async () => {
    const rules = Rules.parse({
      limits: { service: 100000, anlaeg: 87500, perYear: [{ area: "service", year: 2026, max: 25000 }] },
      payback: { maxYears: 6, basis: "total", exempt: ["BC10"] },
      locks: [{ proposal: "BC10", variant: "scenario-2" }],
      exclude: ["BC05"],
      committees: [{ committee: "Socialudvalget", measure: "count", max: 1 }],
      dependencies: [{ kind: "excludes", proposal: "BC37", other: "BC41" }],
    })
    const x = explain(proposals, rules)
    const value = x.optimum.objective
    expect(await oracle(rules)).toBe(value)
    const without: Record<string, RulesInput> = {
      "limit:service:2026": { ...rules, limits: { ...rules.limits, perYear: [] } },
      "lock:BC10": { ...rules, locks: [] },
      "exclude:BC05": { ...rules, exclude: [] },
      "quota:0:max": { ...rules, committees: [] },
      "dep:0": { ...rules, dependencies: [] },
      "exempt:BC10": { ...rules, payback: { ...rules.payback, exempt: [] } },
    }
    for (const [rule, r] of Object.entries(without)) {
      const p = x.rulePrices.find((q) => q.rule === rule)
      expect(p, rule).toBeDefined()
      const v = await oracle(r)
      expect(p?.price, rule).toBe(v === null ? null : v - value)
    }
    // The rules bite: each of these has a price.
    for (const rule of ["limit:service:2026", "lock:BC10", "exclude:BC05", "quota:0:max", "dep:0"])
      expect(x.rulePrices.find((q) => q.rule === rule)?.price, rule).toBeGreaterThan(0)
    const perYear = x.limits.find((l) => l.rule === "limit:service:2026")
    for (const g of perYear?.gains ?? []) {
      const v = await oracle({
        ...rules,
        limits: { ...rules.limits, perYear: [{ area: "service", year: 2026, max: 25000 + g.extra }] },
      })
      expect(g.gain).toBe((v ?? 0) - value)
    }
  })
})
