import { describe, expect, it } from "vitest"
import { InvalidInput } from "../../src/app/errors.ts"
import { mergedWhole, mergeRules, RulesPatch } from "../../src/app/rulesPatch.ts"
import { builtInPrices } from "../../src/model/round.ts"
import { Rules } from "../../src/solver/rules.ts"

const base = Rules.parse({
  limits: { service: 100000, anlaeg: 87500 },
  payback: { maxYears: 6, exempt: ["BC10"] },
  locks: [{ proposal: "BC10", variant: "scenario-2" }],
  variants: { BC10: ["base", "scenario-2"] },
  maxProposals: 20,
})
const INDEX = builtInPrices().priceIndex
const merge = (patch: unknown) => mergeRules(base, RulesPatch.parse(patch), INDEX)

describe("mergeRules: a what-if over a scenario's rules", () => {
  it("leaves the rules alone without a patch", () => {
    expect(mergeRules(base, undefined, INDEX)).toBe(base)
    expect(merge({})).toEqual(base)
  })

  it("merges objects key by key", () => {
    const r = merge({ limits: { service: 120000 }, payback: { basis: "service" } })
    expect(r.limits).toEqual({ service: 120000, anlaeg: 87500, perYear: [] })
    expect(r.payback).toEqual({ maxYears: 6, basis: "service", exempt: ["BC10"] })
  })

  it("replaces arrays", () => {
    expect(merge({ locks: [] }).locks).toEqual([])
    expect(merge({ payback: { exempt: ["BC24"] } }).payback.exempt).toEqual(["BC24"])
  })

  it("null removes a limit, a variant restriction or the proposal cap", () => {
    const r = merge({ limits: { anlaeg: null }, variants: { BC10: null }, maxProposals: null })
    expect(r.limits).toEqual({ service: 100000, perYear: [] })
    expect(r.variants).toEqual({})
    expect(r.maxProposals).toBeUndefined()
  })

  it("payback.maxYears null switches the payback rule off instead of restoring the default", () => {
    expect(merge({ payback: { maxYears: null } }).payback.maxYears).toBeNull()
  })

  it("does not change the scenario's rules", () => {
    const before = structuredClone(base)
    merge({ limits: { service: 1 }, locks: [] })
    expect(base).toEqual(before)
  })

  it("freezes rules it trusts without checking them again, so a change in place cannot keep that trust", () => {
    const own = Rules.parse({ limits: { service: 100000, anlaeg: 87500 }, locks: [{ proposal: "BC05" }] })
    expect(mergeRules(own, RulesPatch.parse({ limits: { service: 90000 } }), INDEX).limits.service).toBe(
      90000,
    )
    expect(Object.isFrozen(own) && Object.isFrozen(own.limits) && Object.isFrozen(own.locks[0])).toBe(true)
    expect(() => {
      ;(own.limits as { service?: number }).service = -5
    }).toThrow(TypeError)
    expect(mergeRules(own, RulesPatch.parse({ maxProposals: 3 }), INDEX).limits.service).toBe(100000)
  })

  it("refuses a patch field that does not exist", () => {
    expect(RulesPatch.safeParse({ limits: { servcie: 1 } }).success).toBe(false)
  })

  it("checks the merged rules as a whole, naming the field under the request's prefix", () => {
    const patch = { poolPriceLevel: 2026.5 } as unknown as RulesPatch
    try {
      mergeRules(base, patch, INDEX, "body.items[2].rules")
      expect.unreachable()
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInput)
      expect((e as InvalidInput).issues.map((i) => i.path)).toEqual(["body.items[2].rules.poolPriceLevel"])
    }
  })

  /** The rules' text, or the paths of the issues that refused them. */
  const outcome = (f: () => Rules): string | string[] => {
    try {
      return JSON.stringify(f())
    } catch (e) {
      if (e instanceof InvalidInput) return e.issues.map((i) => i.path)
      throw e
    }
  }

  it("gives what validating the merged rules as a whole gives (the same text), re-checking only what the patch touched", () => {
    const patches: unknown[] = [
      {},
      { objective: { kind: "cumulatedNetEffect", untilYear: 2029 } },
      { poolPriceLevel: 2027 },
      {
        limits: {
          service: 1,
          anlaeg: null,
          combined: 5,
          perYear: [{ year: 2026, area: "service", max: 10 }],
        },
      },
      { payback: { maxYears: null } },
      { payback: { basis: "service", exempt: [] } },
      { locks: [{ proposal: "BC05" }], exclude: ["BC07"] },
      { variants: { BC10: null, BC05: ["base"] } },
      { committees: [{ committee: "Økonomiudvalget", measure: "saving", min: 100 }] },
      { dependencies: [{ kind: "requires", proposal: "BC05", other: "BC07" }] },
      { maxProposals: null },
      { maxProposals: 3, limits: { service: 50000 }, locks: [] },
    ]
    for (const p of patches) {
      const patch = RulesPatch.parse(p)
      const fast = mergeRules(base, patch, INDEX)
      expect(JSON.stringify(fast), JSON.stringify(p)).toBe(JSON.stringify(mergedWhole(base, patch)))
      // Over rules that are not their own parse (no defaults filled in) the whole is checked.
      const raw = { limits: { service: 1 } } as unknown as Rules
      expect(outcome(() => mergeRules(raw, patch, INDEX))).toEqual(outcome(() => mergedWhole(raw, patch)))
    }
    // A merge that is not valid rules is refused with the whole parse's paths.
    for (const bad of [
      { committees: [{ committee: "Økonomiudvalget", measure: "saving" }] },
      { limits: { service: -1 }, locks: [{ proposal: "BC05" }] },
    ]) {
      const patch = bad as unknown as RulesPatch
      const refused = outcome(() => mergeRules(base, patch, INDEX))
      expect(refused).toEqual(outcome(() => mergedWhole(base, patch)))
      expect(Array.isArray(refused)).toBe(true)
    }
  })
})
