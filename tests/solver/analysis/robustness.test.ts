import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { loadRound } from "../../../src/app/round.ts"
import { keyFigures } from "../../../src/model/keyFigures.ts"
import { robustness } from "../../../src/solver/analysis/robustness.ts"
import { factorOf, loadUncertainty, seeded, triangular } from "../../../src/solver/analysis/uncertainty.ts"
import { branchAndBound } from "../../../src/solver/bb.ts"
import { compile } from "../../../src/solver/compile.ts"
import { Rules } from "../../../src/solver/rules.ts"

const dir = join(import.meta.dirname, "..", "..", "..", "scenarios", "ofs-2025-26")
const { proposals } = loadRound(dir)
const model = loadUncertainty(join(dir, "uncertainty.json"))
const DEFAULT = Rules.parse({ limits: { service: 100000, anlaeg: 87500 } })

describe("the uncertainty model", () => {
  it("covers every proposal, each with a sentence quoted verbatim from its risk section", () => {
    for (const p of proposals) {
      const u = model.proposals[p.id]
      expect(u, p.id).toBeDefined()
      expect(p.risk).toContain(u?.source)
      const d = factorOf(model, p.id).dist
      expect(d.min).toBeLessThanOrEqual(d.mode)
      expect(d.mode).toBeLessThanOrEqual(d.max)
    }
  })
})

describe("robustness", () => {
  it("is reproducible by seed and changes with it", () => {
    const a = robustness(proposals, DEFAULT, model, { draws: 150, seed: 7 })
    const b = robustness(proposals, DEFAULT, model, { draws: 150, seed: 7 })
    const c = robustness(proposals, DEFAULT, model, { draws: 150, seed: 8 })
    expect(b.realised).toEqual(a.realised)
    expect(b.frequencies).toEqual(a.frequencies)
    expect(c.realised).not.toEqual(a.realised)
  })

  it("agrees draw by draw with cold branch-and-bound re-solves of the same draws", async () => {
    const N = 12
    const r = robustness(proposals, DEFAULT, model, { draws: N, seed: 3, alternatives: 0 })
    const random = seeded(3)
    const problem = compile(proposals, DEFAULT)
    const counts = new Map<string, number>()
    let still = 0
    const realised: number[] = []
    for (let d = 0; d < N; d++) {
      const f = new Map(proposals.map((p) => [p.id, triangular(factorOf(model, p.id).dist, random())]))
      const drawn = {
        ...problem,
        groups: problem.groups.map((g) => ({
          ...g,
          options: g.options.map((o) => ({
            ...o,
            value: Math.round(o.value * 1000 * (f.get(g.proposal) ?? 1)),
          })),
        })),
      }
      // The cold branch-and-bound on the drawn problem: independent of the warm search under test.
      const cold = branchAndBound(drawn)
      const h = {
        objective: cold.objective,
        chosen: drawn.groups.filter((_, gi) => (cold.choice?.[gi] ?? -1) >= 0).map((g) => g.proposal),
      }
      const mine = r.nominal.choices.reduce((s, c) => {
        const v = proposals.find((p) => p.id === c.proposal)?.variants.find((x) => x.id === c.variant)
        return s + Math.round(-(v ? keyFigures(v).permanentEffect : 0) * 1000 * (f.get(c.proposal) ?? 1))
      }, 0)
      realised.push(mine / 1000)
      if (mine >= (h.objective ?? 0)) still++
      for (const id of h.chosen) counts.set(id, (counts.get(id) ?? 0) + 1)
    }
    expect(r.stillBest).toBe(still / N)
    for (const fr of r.frequencies) expect(fr.share, fr.proposal).toBe((counts.get(fr.proposal) ?? 0) / N)
    expect(r.realised.mean).toBeCloseTo(realised.reduce((a, b) => a + b, 0) / N, 6)
  })

  it("the mean realised saving of the nominal optimum approaches its exact expectation", () => {
    const r = robustness(proposals, DEFAULT, model, { draws: 1500, seed: 11, alternatives: 0 })
    const exact = r.nominal.choices.reduce((s, c) => {
      const v = proposals.find((p) => p.id === c.proposal)?.variants.find((x) => x.id === c.variant)
      const d = factorOf(model, c.proposal).dist
      return s - (v ? keyFigures(v).permanentEffect : 0) * ((d.min + d.mode + d.max) / 3)
    }, 0)
    expect(Math.abs(r.realised.mean - exact)).toBeLessThan(0.003 * exact)
    expect(r.expected).toBeCloseTo(exact, 6)
    expect(r.shortfall).toBeCloseTo(79157 - r.realised.mean, 9)
    expect(r.realised.p10).toBeLessThanOrEqual(r.realised.p50)
    expect(r.realised.p50).toBeLessThanOrEqual(r.realised.p90)
  })

  it("an override replaces a proposal's distribution", () => {
    const r = robustness(proposals, DEFAULT, model, {
      draws: 50,
      uncertainty: { BC32: { min: 1, mode: 1, max: 1 } },
      alternatives: 0,
    })
    expect(r.model.entries.find((e) => e.proposal === "BC32")).toMatchObject({
      from: "override",
      min: 1,
      max: 1,
    })
  })
})
