import { createHash } from "node:crypto"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { loadRound } from "../../src/app/round.ts"
import type { Proposal } from "../../src/model/schema.ts"
import { compile } from "../../src/solver/compile.ts"
import { evaluate } from "../../src/solver/evaluate.ts"
import type { SolveResult } from "../../src/solver/result.ts"
import { Rules, type RulesInput } from "../../src/solver/rules.ts"
import { inputHash, RuleError, solve } from "../../src/solver/solve.ts"
import { randomInstance } from "../support/generate.ts"
import { solveWithHighs } from "../support/highs.ts"
import { judge } from "../support/independent.ts"

const dir = join(import.meta.dirname, "..", "..", "scenarios", "ofs-2025-26")
const { proposals, scenarios } = loadRound(dir)
const ids = (r: SolveResult) =>
  r.status === "optimal" || r.status === "feasible"
    ? r.package.chosen.map((c) => `${c.proposal}:${c.variant}`)
    : []
const DEFAULT = Rules.parse({ limits: { service: 100000, anlaeg: 87500 } })

describe("the real OFS 2025-26 data", () => {
  it("has the input hash it always had: sha256 over the proposals' hash, the rules and the engine", () => {
    const proposalsHash = createHash("sha256").update(JSON.stringify(proposals)).digest("hex")
    for (const engine of ["bb", "lp"] as const)
      expect(inputHash(proposals, DEFAULT, engine)).toBe(
        createHash("sha256")
          .update(proposalsHash)
          .update(JSON.stringify(DEFAULT))
          .update(engine)
          .digest("hex"),
      )
  })
  it.each(scenarios.map((s) => [s.id, s] as const))(
    "scenario %s: both engines and HiGHS agree on the package",
    async (_, s) => {
      const bb = solve(proposals, s.rules, { engine: "bb" })
      const lp = solve(proposals, s.rules, { engine: "lp" })
      const oracle = await solveWithHighs(compile(proposals, s.rules))
      expect(bb.status).toBe("optimal")
      expect(lp.status).toBe("optimal")
      expect(ids(lp)).toEqual(ids(bb))
      if (bb.status !== "optimal") return
      expect(bb.objective).toBe(oracle.objective)
      expect(bb.gap).toBe(0)
      expect(bb.rootBound ?? 0).toBeGreaterThanOrEqual(bb.objective)
      const pick = new Map(
        bb.package.chosen.map(
          (c) =>
            [
              c.proposal,
              proposals.find((p) => p.id === c.proposal)?.variants.find((v) => v.id === c.variant),
            ] as const,
        ),
      )
      expect(
        judge(proposals, s.rules, pick as Map<string, NonNullable<ReturnType<typeof pick.get>>>),
      ).toEqual({ feasible: true, value: bb.objective })
    },
  )

  it("the default scenario funds twelve proposals for a yearly saving of 79.157 (1.000 kr., 2027 p/l)", () => {
    const r = solve(proposals, DEFAULT)
    expect(r.status).toBe("optimal")
    if (r.status !== "optimal") return
    expect(r.objective).toBe(79157)
    expect(r.package.permanentEffect).toBe(-79157)
    expect(r.package.chosen.map((c) => c.proposal)).toEqual([
      "BC05",
      "BC07",
      "BC08",
      "BC20",
      "BC26",
      "BC28",
      "BC32",
      "BC34",
      "BC35",
      "BC37",
      "BC38",
      "BC41",
    ])
    // Pool use in 2026 p/l: the chosen implementation costs (2027 p/l) divided by 1,028 / 1,022.
    expect(r.package.poolLeft.service).toBeCloseTo(100000 - r.package.totals.pool.service, 9)
    expect(r.package.totals.pool.service).toBeLessThanOrEqual(100000)
    expect(r.package.totals.pool.anlaeg).toBeLessThanOrEqual(87500)
    expect(r.package.totals.table.service / 1.028).toBeCloseTo(r.package.totals.pool.service, 6)
    const limits = r.package.rules.filter((u) => u.kind === "limit")
    expect(limits.map((u) => u.rule)).toEqual(["limit:service", "limit:anlaeg"])
    expect(limits.every((u) => u.binding)).toBe(true)
  })

  it("BC10 in scenario 2 costs 4.594 a year in permanent effect against the default", () => {
    const s2 = scenarios.find((s) => s.id === "bc10-scenario-2")
    const r = solve(proposals, s2?.rules ?? DEFAULT)
    expect(r.status === "optimal" && r.objective).toBe(74563)
    expect(ids(r)).toContain("BC10:scenario-2")
  })

  it("names the conflict when BC10 is locked under the payback rule, and the conflict is minimal", () => {
    const rules = Rules.parse({ ...DEFAULT, locks: [{ proposal: "BC10" }] })
    const r = solve(proposals, rules)
    expect(r.status).toBe("infeasible")
    if (r.status !== "infeasible") return
    expect(r.conflict.map((c) => c.id).sort()).toEqual(["lock:BC10", "payback"])
    expect(r.conflict.find((c) => c.id === "payback")?.text).toBe(
      "tilbagebetalingstid højst 6 år (totaløkonomi)",
    )
  })

  it("finds a minimal conflict among pools and locks", () => {
    const input: RulesInput = {
      limits: { service: 60000, anlaeg: 87500 },
      locks: [{ proposal: "BC34" }, { proposal: "BC35" }, { proposal: "BC05" }],
    }
    const r = solve(proposals, Rules.parse(input))
    expect(r.status).toBe("infeasible")
    if (r.status !== "infeasible") return
    const conflict = r.conflict.map((c) => c.id).sort()
    expect(conflict).toEqual(["limit:service", "lock:BC34", "lock:BC35"])
    // Minimal: without any one of them the rest can be kept.
    const without = (id: string): RulesInput =>
      id === "limit:service"
        ? { ...input, limits: { anlaeg: 87500 } }
        : { ...input, locks: (input.locks ?? []).filter((l) => `lock:${l.proposal}` !== id) }
    for (const id of conflict) expect(solve(proposals, Rules.parse(without(id))).status, id).toBe("optimal")
  })

  it("rejects rules that name what does not exist, with the path", () => {
    expect(() => solve(proposals, Rules.parse({ locks: [{ proposal: "BC99" }] }))).toThrow(RuleError)
    // Without a throw this test must fail, not pass silently.
    expect(() =>
      solve(proposals, Rules.parse({ locks: [{ proposal: "BC10", variant: "scenario-3" }] })),
    ).toThrow(
      expect.objectContaining({
        issues: [
          {
            path: ["locks", 0, "variant"],
            message: 'BC10 has no variant "scenario-3" (it has base, scenario-2)',
          },
        ],
      }),
    )
  })

  it("evaluates a hand-picked package: broken rules in words, distance to the optimum, best completion", () => {
    const e = evaluate(proposals, DEFAULT, [
      { proposal: "BC10", variant: "scenario-2" },
      { proposal: "BC34", variant: "base" },
    ])
    expect(e.feasible).toBe(false)
    expect(e.broken.map((b) => b.text)).toEqual([
      "BC10:scenario-2 har tilbagebetalingstid 9 år; reglen er højst 6 år",
    ])
    // BC10 scenario 2 saves 2.821 a year, BC34 21.050.
    expect(e.package.objective).toBe(2821 + 21050)
    expect(e.againstOptimum).toBe(2821 + 21050 - 79157)
    expect(e.completion.status).toBe("optimal")
    if (e.completion.status === "optimal") {
      expect(e.completion.package.chosen.map((c) => c.proposal)).toEqual(
        expect.arrayContaining(["BC10", "BC34"]),
      )
      expect(e.completion.objective).toBeLessThanOrEqual(79157)
    }
  })
})

describe("limits are converted exactly, never the costs", () => {
  const one = (service: number): Proposal[] => [
    {
      id: "BC01",
      title: "t",
      committee: "c",
      administration: "a",
      summary: "",
      risk: "",
      adminEffect: null,
      anomalies: [],
      source: { firstLine: 1, lastLine: 1 },
      variants: [
        {
          id: "base",
          label: "l",
          unitPrinted: "1.000 kr. 2027 p/l",
          priceLevel: 2027,
          years: [2026, 2027],
          lines: [
            {
              label: "i",
              section: "implementation",
              area: "service",
              printedArea: "Service",
              values: [service, 0],
            },
            {
              label: "p",
              section: "permanent",
              area: "service",
              printedArea: "Service",
              values: [-service, -service],
            },
          ],
          totals: [],
          payback: [],
        },
      ],
    },
  ]
  const funded = (cost: number, pool: number) => {
    const r = solve(one(cost), Rules.parse({ limits: { service: pool } }))
    return r.status === "optimal" && r.package.chosen.length === 1
  }
  it("a cost of exactly pool × 1,028 fits; one 1.000 kr. more does not", () => {
    expect(funded(1028, 1000)).toBe(true) // 1.028 (2027 p/l) = 1.000 (2026 p/l)
    expect(funded(1029, 1000)).toBe(false)
    expect(funded(1028, 999.999)).toBe(false) // 999,999 × 1,028 = 1.027,99…
    expect(funded(102800, 100000)).toBe(true)
    expect(funded(102801, 100000)).toBe(false)
  })
})

describe("a search stopped early says so and keeps a valid bound", () => {
  it("on a 300-proposal instance after 2.000 nodes: feasible, checked, bound above the true optimum", async () => {
    const inst = randomInstance(77, 300, { sideRules: false })
    const rules = Rules.parse(inst.rules)
    const r = solve(inst.proposals, rules, { nodeLimit: 2000 })
    const oracle = await solveWithHighs(compile(inst.proposals, rules))
    expect(["feasible", "optimal"]).toContain(r.status)
    if (r.status !== "feasible" && r.status !== "optimal") return
    expect(r.objective).toBeLessThanOrEqual(oracle.objective ?? Number.NaN)
    expect(r.bound).toBeGreaterThanOrEqual(oracle.objective ?? Number.NaN)
    if (r.status === "feasible") expect(r.gap).toBeCloseTo((r.bound - r.objective) / r.bound, 12)
  }, 60_000)

  it("on the real data with limits per year, a budget of 3 nodes reports feasible with a bound at or above the optimum", () => {
    const perYear = [2026, 2027, 2028].flatMap((year) => [
      { area: "service" as const, year, max: 25000 },
      { area: "anlaeg" as const, year, max: 25000 },
    ])
    const rules = Rules.parse({ limits: { service: 100000, anlaeg: 87500, perYear } })
    const full = solve(proposals, rules)
    const early = solve(proposals, rules, { nodeLimit: 3 })
    expect(full.status).toBe("optimal")
    expect(early.status).toBe("feasible")
    if (full.status !== "optimal" || early.status !== "feasible") return
    expect(early.bound).toBeGreaterThanOrEqual(full.objective)
    expect(early.objective).toBeLessThanOrEqual(full.objective)
    expect(early.gap).toBeGreaterThan(0)
  })
})
