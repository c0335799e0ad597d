import { describe, expect, it } from "vitest"
import { ruleDa } from "../../src/model/wording.ts"
import { compile } from "../../src/solver/compile.ts"
import { Rules } from "../../src/solver/rules.ts"
import { randomInstance } from "../support/generate.ts"

describe("compile", () => {
  it("gives the same problem from its kept rows as from a fresh copy of the data, whatever was compiled before", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const inst = randomInstance(seed, 6 + (seed % 15))
      const rules = Rules.parse(inst.rules)
      const first = compile(inst.proposals, rules)
      // Other rules in between: other variants in, other bounds, other pools.
      // Each changes the groups (kept per shape of the rules), not only the rows.
      const p0 = inst.proposals[0]
      for (const other of [
        Rules.parse({ ...inst.rules, exclude: [p0?.id ?? ""] }),
        Rules.parse({ limits: { service: 1, anlaeg: 7, combined: 3 } }),
        Rules.parse({ ...inst.rules, locks: [{ proposal: p0?.id ?? "", variant: p0?.variants[0]?.id }] }),
        Rules.parse({ ...inst.rules, payback: { maxYears: 2, basis: "service", exempt: [p0?.id ?? ""] } }),
        Rules.parse({ ...inst.rules, payback: { maxYears: null } }),
        Rules.parse({ ...inst.rules, payback: { ...rules.payback, basis: "service" } }),
        Rules.parse({ ...inst.rules, objective: { kind: "cumulatedNetEffect", untilYear: 2028 } }),
        // The same shape at another pool price level: other rows under another key.
        Rules.parse({ ...inst.rules, poolPriceLevel: 2027 }),
      ])
        expect(compile(inst.proposals, other)).toEqual(compile(structuredClone(inst.proposals), other))
      const again = compile(inst.proposals, rules)
      // A deep copy of the proposals is another array: nothing is kept for it yet.
      const fresh = compile(structuredClone(inst.proposals), rules)
      expect(again, `seed ${seed}`).toEqual(first)
      expect(fresh, `seed ${seed}`).toEqual(first)
      // Another bound on the same rows is rounded on its own.
      const half = Rules.parse({
        ...inst.rules,
        limits: { ...rules.limits, service: Math.floor((rules.limits.service ?? 0) / 2) },
      })
      const c = compile(inst.proposals, half).constraints.find((x) => x.rule === "limit:service")
      const d = compile(structuredClone(inst.proposals), half).constraints.find(
        (x) => x.rule === "limit:service",
      )
      expect(c).toEqual(d)
    }
  })
  it("words every limit as the wording does, whatever limits were worded before", () => {
    // The texts are kept per area, price level, year and amount: each combination in turn.
    for (const q of [2026, 2027])
      for (const year of [undefined, 2026, 2027])
        for (const area of ["service", "anlaeg"] as const)
          for (const max of [100, 250, 100]) {
            const rules = Rules.parse({
              poolPriceLevel: q,
              limits: year === undefined ? { [area]: max } : { perYear: [{ area, year, max }] },
            })
            const id = year === undefined ? `limit:${area}` : `limit:${area}:${year}`
            const item = compile(randomInstance(1, 6).proposals, rules).rules.find((r) => r.id === id)
            expect(item?.text).toBe(ruleDa.limit(area, max, q, year))
          }
  })
})
