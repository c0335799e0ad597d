import { describe, expect, it } from "vitest"
import { Catalog } from "../../src/app/catalog.ts"
import { mergedWhole, type RulesPatch } from "../../src/app/rulesPatch.ts"
import { Rules } from "../../src/solver/rules.ts"
import { changesSentence, ruleChanges, rulesSummary } from "../../src/web/ruleText.ts"

const catalog = new Catalog()
const base = Rules.parse(catalog.defaultScenario.rules)
/** The user scenario's rules as the service gives them: the patch merged over the base scenario's. */
const user = (patch: RulesPatch) => mergedWhole(base, patch)

describe("a user scenario's changes in words", () => {
  it("names exclusions and limit changes in the unit shown, at the pool price level", () => {
    const rules = user({ exclude: ["BC05"], limits: { anlaeg: 80000 } })
    expect(changesSentence(ruleChanges(base, rules, "tkr", 2026))).toBe(
      "Uden BC05; puljen til anlæg 80.000 (1.000 kr., 2026 p/l)",
    )
    expect(changesSentence(ruleChanges(base, rules, "mio", 2026))).toBe(
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
    expect(ruleChanges(base, rules, "tkr", 2026)).toEqual([
      "låst: BC07, BC10 (scenario-2)",
      "ingen grænse for puljen til service",
      "puljen til anlæg i 2027 30.000 (1.000 kr., 2026 p/l)",
      "intet krav om tilbagebetalingstid",
      "højst 12 forslag",
    ])
    // And back: what the base scenario has that the user scenario took away.
    expect(ruleChanges(rules, base, "tkr", 2026)).toEqual([
      "ikke længere låst: BC07, BC10 (scenario-2)",
      "puljen til service 100.000 (1.000 kr., 2026 p/l)",
      "ingen grænse for puljen til anlæg i 2027",
      "tilbagebetalingstid højst 6 år",
      "intet loft over antal forslag",
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
      expect(ruleChanges(r, repeated, "mio", 2026), s.id).toEqual([])
    }
    expect(changesSentence([])).toBe("Ingen ændringer")
  })

  it("sums up a scenario's rules in one line", () => {
    expect(rulesSummary(base, "tkr", 2026)).toBe(
      "service 100.000 og anlæg 87.500 (1.000 kr., 2026 p/l); tilbagebetalingstid højst 6 år",
    )
    const rules = user({ limits: { service: null }, payback: { maxYears: null }, exclude: ["BC05"] })
    expect(rulesSummary(rules, "mio", 2026)).toBe(
      "service uden grænse og anlæg 87,5 (mio. kr., 2026 p/l); intet krav om tilbagebetalingstid; udelukket: BC05",
    )
  })
})
