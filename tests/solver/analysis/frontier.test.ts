import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { loadDataSet } from "../../../src/model/load.ts"
import { frontier } from "../../../src/solver/analysis/frontier.ts"
import { compile } from "../../../src/solver/compile.ts"
import { Rules } from "../../../src/solver/rules.ts"
import { randomInstance } from "../../support/generate.ts"
import { solveWithHighs } from "../../support/highs.ts"
import { bruteForce } from "../../support/independent.ts"

const dir = join(import.meta.dirname, "..", "..", "..", "scenarios", "ofs-2025-26")
const { proposals } = loadDataSet(dir)
const DEFAULT = Rules.parse({ limits: { service: 100000, anlaeg: 87500 } })

const highsAt = async (rules: Rules) => (await solveWithHighs(compile(proposals, rules))).objective

describe("the exact frontier", () => {
  it("service 97.000-101.000 on the real data: every step checked by HiGHS at the step and 1.000 kr. below", async () => {
    const fr = frontier(proposals, DEFAULT, { pool: "service", from: 97000, to: 101000 })
    expect(fr.unit).toBe("1.000 kr.")
    expect(fr.poolPriceLevel).toBe(2026)
    expect(fr.steps.length).toBeGreaterThan(5)
    for (const [i, s] of fr.steps.entries()) {
      const at = await highsAt({ ...DEFAULT, limits: { ...DEFAULT.limits, service: s.pool } })
      const below = await highsAt({ ...DEFAULT, limits: { ...DEFAULT.limits, service: s.pool - 1 } })
      expect(at).toBe(s.objective)
      if (i > 0) expect(below).toBe(fr.steps[i - 1]?.objective)
      expect(below ?? 0).toBeLessThan(s.objective)
      expect(s.package.poolCost.service).toBeLessThanOrEqual(s.pool)
      expect(s.package.poolCost.service).toBeGreaterThan(s.pool - 1)
    }
    // The default pool (100.000) sits on the step of 79.157.
    const here = fr.steps.filter((s) => s.pool <= 100000).at(-1)
    expect(here?.objective).toBe(79157)
  })

  it("the marginal value of 1 and 10 mio. kr. more service agrees with HiGHS", async () => {
    const fr = frontier(proposals, DEFAULT, { pool: "service", from: 99000, to: 100000 })
    expect(fr.marginal?.objective).toBe(79157)
    for (const m of fr.marginal?.next ?? []) {
      const v = await highsAt({ ...DEFAULT, limits: { ...DEFAULT.limits, service: 100000 + m.extra } })
      expect(m.objective).toBe(v)
      expect(m.gain).toBe((v ?? 0) - 79157)
    }
  })

  it("total: both pools scaled together, checked at each step and below it by HiGHS", async () => {
    const fr = frontier(proposals, DEFAULT, { pool: "total", from: 184000, to: 189000 })
    const share = 100000 / 187500
    expect(fr.serviceShare).toBeCloseTo(share, 12)
    const at = (t: number) =>
      highsAt({
        ...DEFAULT,
        limits: { ...DEFAULT.limits, service: (t * 100000) / 187500, anlaeg: (t * 87500) / 187500 },
      })
    for (const s of fr.steps.slice(1)) {
      expect(await at(s.pool)).toBe(s.objective)
      expect(await at(s.pool - 1)).toBeLessThan(s.objective)
    }
  })

  it("on small generated instances the whole frontier matches brute force at and below every step", () => {
    let checked = 0
    for (let seed = 1; seed <= 30; seed++) {
      const inst = randomInstance(seed, 6)
      const rules = Rules.parse(inst.rules)
      const fr = (() => {
        try {
          return frontier(inst.proposals, rules, { pool: "service" })
        } catch {
          return null
        }
      })()
      if (!fr) continue
      for (const [i, s] of fr.steps.entries()) {
        const with_ = (L: number) =>
          bruteForce(inst.proposals, { ...rules, limits: { ...rules.limits, service: L } })
        expect(with_(s.pool)).toBe(s.objective)
        const below = with_(s.pool - 1)
        if (i > 0) expect(below).toBe(fr.steps[i - 1]?.objective)
        else if (s.pool > 0) expect(below).toBeNull()
        checked++
      }
      if (fr.steps.length === 0)
        expect(
          bruteForce(inst.proposals, { ...rules, limits: { ...rules.limits, service: fr.to } }),
        ).toBeNull()
    }
    expect(checked).toBeGreaterThan(30)
  })
})
