import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Catalog } from "../../src/app/catalog.ts"
import { evaluate } from "../../src/solver/evaluate.ts"
import { Rules } from "../../src/solver/rules.ts"
import { breaksPayback, meters } from "../../src/web/meters.ts"
import {
  type CompareSlot,
  compareStale,
  decodeState,
  emptyState,
  encodeState,
  entries,
  forgetSaved,
  type Known,
  newestFirst,
  type PageState,
  packageChange,
  restoreRequest,
  setExclude,
  setLock,
  setVariant,
  toggle,
  withPackage,
} from "../../src/web/state.ts"
import type { PageProposal } from "../../src/web/types.ts"

const catalog = new Catalog()
const proposals: PageProposal[] = catalog.summaries.map((summary) => ({
  summary,
  figures: catalog.detail(summary.id).figures,
}))
const byId = new Map(proposals.map((p) => [p.summary.id, p]))
const known: Known = {
  scenarios: catalog.scenarios.map((s) => s.id),
  defaultScenario: catalog.defaultScenario.id,
  variants: new Map(proposals.map((p) => [p.summary.id, p.summary.variants.map((v) => v.id)])),
}
const ids = proposals.map((p) => p.summary.id)

describe("package state", () => {
  it("toggles, locks, excludes and changes variants consistently", () => {
    let s = emptyState("ofs-2025-26")
    s = toggle(s, "BC05", true)
    s = setVariant(s, "BC10", "scenario-2")
    s = setLock(s, "BC07", true)
    expect(entries(s)).toEqual([
      { proposal: "BC05", variant: "base" },
      { proposal: "BC07", variant: "base" },
      { proposal: "BC10", variant: "scenario-2" },
    ])
    expect(s.locks).toEqual(["BC07"])
    // Excluding a locked proposal drops it and its lock; choosing it again lifts the exclusion.
    s = setExclude(s, "BC07", true)
    expect(s.picks.BC07).toBeUndefined()
    expect(s.locks).toEqual([])
    expect(s.exclude).toEqual(["BC07"])
    s = toggle(s, "BC07", true)
    expect(s.exclude).toEqual([])
    // Toggling a proposal off and on keeps no stale variant choice out of the package.
    s = toggle(toggle(s, "BC10", false), "BC10", true)
    expect(s.picks.BC10).toBe("base")
  })

  it("falls back to the base scenario when the chosen user scenario is deleted, keeping the package", () => {
    const s: PageState = {
      ...setExclude(toggle(emptyState("payback-waived"), "BC05", true), "BC06", true),
      saved: "k7m2",
    }
    const after = forgetSaved(s, "k7m2")
    expect(after).toEqual({ ...s, saved: undefined })
    expect(encodeState(after)).toBe("#scenarie=payback-waived&pakke=BC05&udeluk=BC06")
    // Another user scenario's deletion changes nothing.
    expect(forgetSaved(s, "other")).toBe(s)
  })

  it("reports what entered and left, a variant change as both", () => {
    const before = toggle(toggle(emptyState("x"), "BC05", true), "BC10", true)
    const after = withPackage(before, [
      { proposal: "BC10", variant: "scenario-2" },
      { proposal: "BC34", variant: "base" },
    ])
    expect(packageChange(before, after)).toEqual({
      entered: [
        { proposal: "BC10", variant: "scenario-2" },
        { proposal: "BC34", variant: "base" },
      ],
      left: [
        { proposal: "BC05", variant: "base" },
        { proposal: "BC10", variant: "base" },
      ],
    })
  })
})

describe("the share link", () => {
  const stateArb = fc
    .record({
      scenario: fc.constantFrom(...known.scenarios),
      picks: fc.subarray(ids),
      bc10: fc.constantFrom("base", "scenario-2", null),
      locks: fc.subarray(ids),
      exclude: fc.subarray(ids),
      unit: fc.constantFrom("mio" as const, "tkr" as const),
      saved: fc.option(fc.stringMatching(/^[a-z0-9]{1,12}$/), { nil: undefined }),
    })
    .map((r) => {
      let s: PageState = { ...emptyState(r.scenario), unit: r.unit, ...(r.saved ? { saved: r.saved } : {}) }
      for (const id of r.picks) s = toggle(s, id, true)
      if (r.bc10) s = setVariant(s, "BC10", r.bc10)
      for (const id of r.locks) s = setLock(s, id, true)
      for (const id of r.exclude) s = setExclude(s, id, true)
      return s
    })

  it("decodes to the state it was encoded from", () => {
    fc.assert(
      fc.property(stateArb, (s) => {
        const d = decodeState(encodeState(s), known)
        expect(d.problems).toEqual([])
        expect(d.state).toEqual(s)
      }),
    )
  })

  it("reads as the CLI writes a package", () => {
    const s = setLock(
      setVariant(toggle(emptyState("ofs-2025-26"), "BC05", true), "BC10", "scenario-2"),
      "BC05",
      true,
    )
    expect(encodeState(s)).toBe("#scenarie=ofs-2025-26&pakke=BC05,BC10:scenario-2&laas=BC05")
  })

  it("drops and names what does not exist, and falls back to the default scenario", () => {
    const d = decodeState("#scenarie=nope&pakke=BC05,BC99,BC10:scenario-9,bc06&enhed=tkr", known)
    expect(entries(d.state)).toEqual([
      { proposal: "BC05", variant: "base" },
      { proposal: "BC06", variant: "base" },
    ])
    expect(d.state.scenario).toBe(known.defaultScenario)
    expect(d.state.unit).toBe("tkr")
    expect(d.problems).toEqual([
      "ukendt scenarie nope",
      "ukendt forslag BC99",
      "ukendt variant scenario-9 af BC10",
    ])
  })
})

describe("the meters", () => {
  const rules = Rules.parse(catalog.defaultScenario.rules)
  const packageArb = fc
    .tuple(fc.subarray(ids), fc.constantFrom("base", "scenario-2"))
    .map(([list, bc10]) =>
      list.map((proposal) => ({ proposal, variant: proposal === "BC10" ? bc10 : "base" })),
    )
  const index = catalog.prices.priceIndex
  const poolLevel = (r: { poolPriceLevel?: number | undefined }) =>
    r.poolPriceLevel ?? catalog.prices.poolPriceLevel

  it("agree with the solver's package figures, per pool and per year, to far below 1.000 kr.", () => {
    fc.assert(
      fc.property(packageArb, (pkg) => {
        const m = meters(byId, pkg, rules.limits, poolLevel(rules), index)
        const server = evaluate(catalog.proposals, rules, pkg, { timeLimitMs: 50 })
        const pool = server.package.totals.pool
        for (const meter of m.pools) {
          if (meter.area === "combined") continue
          expect(meter.used).toBeCloseTo(pool[meter.area], 6)
          expect(meter.over).toBe(server.broken.some((b) => b.rule === `limit:${meter.area}`))
        }
        for (const meter of m.years)
          if (meter.area !== "combined" && meter.year !== null)
            expect(meter.used).toBeCloseTo(pool.byYear[meter.year]?.[meter.area] ?? 0, 6)
        expect(m.saving === -server.package.permanentEffect).toBe(true)
      }),
      { numRuns: 40 },
    )
  })

  it("decide an overrun exactly as the solver does at the very edge of a limit", () => {
    // BC34 alone costs 55.744 (table p/l) of service: the limit that holds it exactly is 55.744 / 1,028.
    const pkg = [{ proposal: "BC34", variant: "base" }]
    const table = byId.get("BC34")?.figures[0]?.poolCostTable.service.total ?? 0
    const edge = table / 1.028
    for (const limit of [Math.floor(edge), edge, Math.ceil(edge), edge - 1e-9, edge + 1e-9]) {
      const r = Rules.parse({ ...catalog.defaultScenario.rules, limits: { service: limit } })
      const m = meters(byId, pkg, r.limits, poolLevel(r), index)
      const server = evaluate(catalog.proposals, r, pkg, { timeLimitMs: 50 })
      expect(m.pools[0]?.over, `limit ${limit}`).toBe(server.broken.some((b) => b.rule === "limit:service"))
    }
    const at = (limit: number) => {
      const r = Rules.parse({ limits: { service: limit } })
      return meters(byId, pkg, r.limits, poolLevel(r), index).pools[0]?.over
    }
    expect(at(Math.ceil(edge))).toBe(false)
    expect(at(Math.floor(edge))).toBe(true)
  })

  it("show yearly limits where the rules set them", () => {
    const limits = Rules.parse({ limits: { perYear: [{ area: "service", year: 2027, max: 10000 }] } }).limits
    const m = meters(byId, [{ proposal: "BC34", variant: "base" }], limits, 2026, index)
    const y2027 = m.years.find((x) => x.area === "service" && x.year === 2027)
    expect(y2027?.limit).toBe(10000)
    expect(y2027?.over).toBe(y2027 !== undefined && y2027.used > 10000)
    expect(m.years.find((x) => x.area === "anlaeg" && x.year === 2027)?.limit).toBeNull()
  })

  it("flag the payback rule as the solver reads it", () => {
    const bc10 = byId.get("BC10")?.figures[0]
    if (!bc10) throw new Error("BC10 has no figures")
    expect(breaksPayback("BC10", bc10, rules.payback)).toBe(true)
    expect(breaksPayback("BC10", bc10, { ...rules.payback, exempt: ["BC10"] })).toBe(false)
    expect(breaksPayback("BC10", bc10, { ...rules.payback, maxYears: null })).toBe(false)
    const flagged = proposals.filter(
      (p) => p.figures[0] && breaksPayback(p.summary.id, p.figures[0], rules.payback),
    )
    const server = evaluate(
      catalog.proposals,
      rules,
      flagged.map((p) => ({ proposal: p.summary.id, variant: "base" })),
      { timeLimitMs: 50 },
    )
    expect(server.broken.filter((b) => b.rule === "payback").length).toBe(flagged.length)
  })
})

describe("the compare panel's result", () => {
  const slot = (label: string, over: Partial<CompareSlot> = {}): CompareSlot => ({
    label,
    scenario: "ofs-2025-26",
    rulesTitle: "OFS 2025-26: standardpuljer",
    package: [{ proposal: "BC34", variant: "base" }],
    ...over,
  })
  const judged = [slot("Pakke A"), slot("Nuværende")] as const

  it("holds while the slots are the ones it judged", () => {
    expect(compareStale(judged, [slot("Pakke A"), slot("Nuværende")])).toBeNull()
  })

  it("is stale once the current package, its rules or package A change, and says why in Danish", () => {
    const bc05 = { package: [{ proposal: "BC05", variant: "base" }] }
    expect(compareStale(judged, [slot("Pakke A"), slot("Nuværende", bc05)])).toBe(
      "den nuværende pakke er ændret",
    )
    expect(
      compareStale(judged, [
        slot("Pakke A"),
        slot("Nuværende", { scenario: "payback-waived", rulesTitle: "Uden krav" }),
      ]),
    ).toBe('reglerne er skiftet fra "OFS 2025-26: standardpuljer" til "Uden krav"')
    // A user scenario saved over under the same name: other rules, same title.
    const user = { rules: { exclude: ["BC05"] }, rulesTitle: "Forhandling" }
    expect(
      compareStale(
        [slot("Pakke A"), slot("Nuværende", user)],
        [slot("Pakke A"), slot("Nuværende", { ...user, rules: { exclude: ["BC05", "BC06"] } })],
      ),
    ).toBe('reglerne i "Forhandling" er ændret')
    expect(compareStale(judged, [slot("Pakke A", bc05), slot("Nuværende", bc05)])).toBe(
      "pakke A er gemt igen, og den nuværende pakke er ændret",
    )
  })
})

describe("restoring a version of a user scenario", () => {
  const version = (n: number, body: Record<string, unknown>) => ({
    id: "s1",
    version: n,
    name: `Forhandling v${n}`,
    note: "",
    figures: null,
    dataHash: "h",
    confidential: false,
    savedAt: "2026-12-03T07:25:02.123Z",
    savedBy: null,
    body,
  })
  const v1 = version(1, {
    title: "Forhandling v1",
    description: "",
    basedOn: "payback-waived",
    rules: { exclude: ["BC05"] },
  })

  it("saves the version's base scenario and rules under the current title, only over the version opened", () => {
    expect(restoreRequest(v1, "Forhandling", 3)).toEqual({
      title: "Forhandling",
      description: "",
      basedOn: "payback-waived",
      rules: { exclude: ["BC05"] },
      baseVersion: 3,
    })
  })

  it("lists the versions newest first", () => {
    expect(newestFirst([v1, version(3, {}), version(2, {})]).map((v) => v.version)).toEqual([3, 2, 1])
  })
})
