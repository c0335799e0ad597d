import { describe, expect, it } from "vitest"
import { Catalog } from "../../src/app/catalog.ts"
import { mergedWhole, type RulesPatch } from "../../src/app/rulesPatch.ts"
import { solve } from "../../src/solver/index.ts"
import { Rules } from "../../src/solver/rules.ts"
import { inUnit, money } from "../../src/web/format.ts"
import {
  changesSentence,
  optimumText,
  ruleChanges,
  rulesSummary,
  savedAtText,
  versionOptimumText,
} from "../../src/web/ruleText.ts"

const catalog = new Catalog()
const base = Rules.parse(catalog.defaultScenario.rules)
/** The user scenario's rules as the service gives them: the patch merged over the base scenario's. */
const user = (patch: RulesPatch) => mergedWhole(base, patch)

describe("a user scenario's changes in words", () => {
  it("names exclusions and limit changes in the unit shown, at the pool price level", () => {
    const rules = user({ exclude: ["BC05"], limits: { anlaeg: 80000 } })
    expect(changesSentence(ruleChanges(base, rules, "tkr", 2026, 2027))).toBe(
      "Uden BC05; puljen til anlæg 80.000 (1.000 kr., 2026 p/l)",
    )
    expect(changesSentence(ruleChanges(base, rules, "mio", 2026, 2027))).toBe(
      "Uden BC05; puljen til anlæg 80,0 (mio. kr., 2026 p/l)",
    )
  })

  it("names locks, a removed limit, the payback rule and a proposal cap", () => {
    const rules = user({
      locks: [{ proposal: "BC07" }, { proposal: "BC10", variant: "scenario-2" }],
      limits: { service: null, perYear: [{ area: "anlaeg", year: 2027, max: 30000 }] },
      payback: { maxYears: null },
      maxProposals: 12,
    })
    expect(ruleChanges(base, rules, "tkr", 2026, 2027)).toEqual([
      "låst: BC07, BC10 (scenario-2)",
      "ingen grænse for puljen til service",
      "puljen til anlæg i 2027 30.000 (1.000 kr., 2026 p/l)",
      "intet krav om tilbagebetalingstid",
      "højst 12 forslag",
    ])
    // And back: what the base scenario has that the user scenario took away.
    expect(ruleChanges(rules, base, "tkr", 2026, 2027)).toEqual([
      "ikke længere låst: BC07, BC10 (scenario-2)",
      "puljen til service 100.000 (1.000 kr., 2026 p/l)",
      "ingen grænse for puljen til anlæg i 2027",
      "tilbagebetalingstid højst 6 år",
      "intet loft over antal forslag",
    ])
  })

  it("states a payback limit as the rule does, not rounded to one decimal", () => {
    const rules = user({ payback: { maxYears: 2.25 } })
    expect(ruleChanges(base, rules, "tkr", 2026, 2027)).toEqual(["tilbagebetalingstid højst 2,25 år"])
    expect(rulesSummary(rules, "tkr", 2026, 2027)).toContain("tilbagebetalingstid højst 2,25 år")
  })

  it("names committee quotas, dependencies and the objective item by item", () => {
    const rules = user({
      committees: [
        { committee: "Børne- og Ungdomsudvalget", measure: "count", max: 3 },
        { committee: "Socialudvalget", measure: "poolCost", min: 1000, max: 5000 },
        { committee: "Økonomiudvalget", measure: "saving", min: 2500 },
      ],
      dependencies: [
        { kind: "requires", proposal: "BC07", other: "BC08" },
        { kind: "excludes", proposal: "BC05", other: "BC06" },
      ],
      objective: { kind: "cumulatedNetEffect", untilYear: 2030 },
    })
    expect(ruleChanges(base, rules, "mio", 2026, 2027)).toEqual([
      "Børne- og Ungdomsudvalget højst 3 forslag",
      "Socialudvalget mindst 1,0 og højst 5,0 fra puljerne (mio. kr., 2026 p/l)",
      "Økonomiudvalget mindst 2,5 i besparelse pr. år (mio. kr., 2027 p/l)",
      "BC07 kræver BC08",
      "BC05 og BC06 udelukker hinanden",
      "målet er størst samlet nettobesparelse til og med 2030",
    ])
    expect(ruleChanges(base, rules, "tkr", 2026, 2027)[1]).toBe(
      "Socialudvalget mindst 1.000 og højst 5.000 fra puljerne (1.000 kr., 2026 p/l)",
    )
    // And back: the quotas and dependencies are gone, the objective is the default one.
    expect(ruleChanges(rules, base, "mio", 2026, 2027)).toEqual([
      "ingen kvote på antal forslag for Børne- og Ungdomsudvalget",
      "ingen kvote på puljemidler for Socialudvalget",
      "ingen kvote på besparelse for Økonomiudvalget",
      "BC07 kræver ikke længere BC08",
      "BC05 og BC06 udelukker ikke længere hinanden",
      "målet er størst besparelse pr. år ved fuld indfasning",
    ])
    // A quota changed names its new bounds; an exclusion written the other way round is the same rule.
    const changed = mergedWhole(rules, {
      committees: [
        { committee: "Børne- og Ungdomsudvalget", measure: "count", min: 1, max: 4 },
        ...rules.committees.slice(1),
      ],
      dependencies: [rules.dependencies[0], { kind: "excludes", proposal: "BC06", other: "BC05" }],
    } as RulesPatch)
    expect(ruleChanges(rules, changed, "mio", 2026, 2027)).toEqual([
      "Børne- og Ungdomsudvalget mindst 1 og højst 4 forslag",
    ])
  })

  it("says nothing of what a patch repeats from the base scenario (the page saves whole lists)", () => {
    for (const s of catalog.scenarios) {
      const r = Rules.parse(s.rules)
      const repeated = mergedWhole(r, {
        exclude: [...r.exclude],
        locks: [...r.locks],
        limits: { ...(r.limits.anlaeg === undefined ? {} : { anlaeg: r.limits.anlaeg }) },
      })
      expect(ruleChanges(r, repeated, "mio", 2026, 2027), s.id).toEqual([])
    }
    expect(changesSentence([])).toBe("Ingen ændringer")
  })

  it("sums up a scenario's rules in one line", () => {
    expect(rulesSummary(base, "tkr", 2026, 2027)).toBe(
      "service 100.000 og anlæg 87.500 (1.000 kr., 2026 p/l); tilbagebetalingstid højst 6 år",
    )
    const rules = user({ limits: { service: null }, payback: { maxYears: null }, exclude: ["BC05"] })
    expect(rulesSummary(rules, "mio", 2026, 2027)).toBe(
      "service uden grænse og anlæg 87,5 (mio. kr., 2026 p/l); intet krav om tilbagebetalingstid; udelukket: BC05",
    )
    // Every other rule is named too: per-year caps, a combined pool, a cap on proposals, variants,
    // the payback basis, quotas, dependencies and the objective.
    const all = user({
      limits: { combined: 150000, perYear: [{ area: "anlaeg", year: 2027, max: 30000 }] },
      payback: { basis: "service", exempt: ["BC10"] },
      locks: [{ proposal: "BC07" }],
      maxProposals: 12,
      variants: { BC10: ["scenario-2"] },
      committees: [{ committee: "Socialudvalget", measure: "count", max: 3 }],
      dependencies: [{ kind: "requires", proposal: "BC07", other: "BC08" }],
      objective: { kind: "cumulatedNetEffect", untilYear: 2030 },
    })
    expect(rulesSummary(all, "tkr", 2026, 2027).split("; ")).toEqual([
      "service 100.000 og anlæg 87.500, tilsammen 150.000 (1.000 kr., 2026 p/l)",
      "tilbagebetalingstid højst 6 år (undtaget BC10)",
      "låst: BC07",
      "puljen til anlæg i 2027 30.000 (1.000 kr., 2026 p/l)",
      "tilbagebetalingstid regnet på serviceeffektivisering",
      "højst 12 forslag",
      "BC10 kun i scenario-2",
      "Socialudvalget højst 3 forslag",
      "BC07 kræver BC08",
      "målet er størst samlet nettobesparelse til og med 2030",
    ])
  })
})

describe("a version of a user scenario in words", () => {
  it("says when it was saved in Copenhagen's time, summer and winter", () => {
    expect(savedAtText("2026-12-03T07:25:02.123Z")).toBe("3.12.2026 kl. 08.25")
    expect(savedAtText("2026-06-30T22:05:00Z")).toBe("1.7.2026 kl. 00.05")
  })

  it("says its optimum in the unit shown, or why there is none", () => {
    const r = solve(catalog.proposals, base, { prices: catalog.prices })
    if (r.status !== "optimal") throw new Error(r.status)
    const text = optimumText(r, "tkr", 2027)
    expect(text).toMatch(/^[\d.]+ \(1\.000 kr\., 2027 p\/l\) om året med \d+ forslag: BC\d\d/)
    expect(text).toContain(`med ${r.package.chosen.length} forslag`)
    const none = solve(catalog.proposals, user({ locks: [{ proposal: "BC24" }] }), { prices: catalog.prices })
    expect(none.status).toBe("infeasible")
    expect(optimumText(none, "mio", 2027)).toMatch(/^ingen pakke opfylder reglerne: /)
  })
})

describe("an old version's optimum as 'Vis' shows it", () => {
  const today = solve(catalog.proposals, base, { prices: catalog.prices })
  const savedAt = "2026-12-03T07:25:02.123Z"

  it("gives the figures stored with it, as saved at its time, not today's", () => {
    const figures = {
      objective: 79_157,
      poolUse: { service: 99_181, anlaeg: 86_792, priceLevel: 2026 },
      violations: [],
    }
    expect(versionOptimumText({ figures, savedAt }, today, "mio", 2027)).toBe(
      "Tallene som gemt 3.12.2026 kl. 08.25: 79,2 mio. kr. (2027 p/l) om året; puljeforbrug service 99,2 og anlæg 86,8 (mio. kr., 2026 p/l)",
    )
    expect(versionOptimumText({ figures, savedAt }, today, "tkr", 2027)).toBe(
      "Tallene som gemt 3.12.2026 kl. 08.25: 79.157 (1.000 kr., 2027 p/l) om året; puljeforbrug service 99.181 og anlæg 86.792 (1.000 kr., 2026 p/l)",
    )
  })

  it("without stored figures says that what it shows is computed today under the version's rules", () => {
    expect(versionOptimumText({ figures: null, savedAt }, today, "tkr", 2027)).toBe(
      `Ingen tal gemt med versionen (ingen pakke, da den blev gemt); beregnet i dag under versionens regler: ${optimumText(today, "tkr", 2027)}`,
    )
  })
})

describe("amounts in running text", () => {
  it("puts the unit 1.000 kr. in brackets, so that it cannot be read as a second number", () => {
    expect(money(24_411, "tkr", 2027)).toBe("24.411 (1.000 kr., 2027 p/l)")
    expect(money(24_411, "mio", 2027)).toBe("24,4 mio. kr. (2027 p/l)")
    expect(inUnit("+1.250", "tkr")).toBe("+1.250 (1.000 kr.)")
    expect(inUnit("-54,7", "mio")).toBe("-54,7 mio. kr.")
  })
})
