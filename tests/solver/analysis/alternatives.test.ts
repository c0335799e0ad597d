import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { loadDataSet } from "../../../src/model/load.ts"
import { alternatives, coreIndex } from "../../../src/solver/analysis/alternatives.ts"
import { baseOf } from "../../../src/solver/analysis/resolve.ts"
import { branchAndBound } from "../../../src/solver/bb.ts"
import { type CompiledConstraint, compile } from "../../../src/solver/compile.ts"
import { Rules } from "../../../src/solver/rules.ts"
import { randomInstance } from "../../support/generate.ts"
import { allPackages } from "../../support/independent.ts"

const distance = (a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>) =>
  new Set([...a.keys(), ...b.keys()]).size - [...a].filter(([k, v]) => b.get(k) === v).length
const asMap = (cs: readonly { proposal: string; variant: string }[]) =>
  new Map(cs.map((c) => [c.proposal, c.variant]))

describe("alternatives", () => {
  it("k best, diverse alternatives and the core index match brute force on generated instances", () => {
    let checked = 0
    for (let seed = 100; seed < 122; seed++) {
      const inst = randomInstance(seed, 7)
      const rules = Rules.parse(inst.rules)
      const all = allPackages(inst.proposals, rules)
      if (all.length < 3) continue
      const a = alternatives(inst.proposals, rules, {
        k: 4,
        share: 0.2,
        distance: 2,
        diverse: 3,
        coreShare: 0.1,
      })
      // k best: the same values in the same order; ties with the 4th listed too.
      const fourth = all[3]?.value ?? Number.NEGATIVE_INFINITY
      const expected = all.filter((p, i) => i < 4 || p.value === fourth).map((p) => p.value)
      expect(a.best.map((b) => b.package.objective)).toEqual(expected)
      const seen = new Set(a.best.map((b) => JSON.stringify([...asMap(b.package.choices)].sort())))
      expect(seen.size).toBe(a.best.length)
      // Diverse: each the best package at distance ≥ 2 from all before it, within 20 %.
      const top = all[0]?.value ?? 0
      const chosen: Map<string, string>[] = []
      for (const d of a.diverse) {
        const want = all.find((p) => chosen.every((c) => distance(c, p.pick) >= 2))
        expect(d.package.objective).toBe(want?.value)
        chosen.push(asMap(d.package.choices))
      }
      const more = all.find((p) => chosen.every((c) => distance(c, p.pick) >= 2))
      if (a.diverse.length < 3)
        expect(more === undefined || more.value < Math.ceil(top * 0.8 - 1e-9)).toBe(true)
      // Core index: the share of packages within 10 % that contain each proposal.
      const near = all.filter((p) => p.value >= Math.ceil(top * 0.9 - 1e-9))
      expect(a.core.complete).toBe(true)
      expect(a.core.packages).toBe(near.length)
      for (const e of a.core.entries) expect(e.count).toBe(near.filter((p) => p.pick.has(e.proposal)).length)
      checked++
    }
    expect(checked).toBeGreaterThan(10)
  })

  it("the real data: the three best agree with a cold solve with each earlier package cut off", () => {
    const dir = join(import.meta.dirname, "..", "..", "..", "scenarios", "ofs-2025-26")
    const { proposals } = loadDataSet(dir)
    const rules = Rules.parse({ limits: { service: 100000, anlaeg: 87500 } })
    const a = alternatives(proposals, rules, { k: 3 })
    expect(a.best.map((b) => b.package.objective)).toEqual([79157, 79137, 79057])
    // A no-good cut per earlier package (not the partitioning under test) finds the same next value each time.
    const problem = compile(proposals, rules)
    const cuts: CompiledConstraint[] = []
    for (const b of a.best) {
      const r = branchAndBound({ ...problem, constraints: [...problem.constraints, ...cuts] })
      expect(r.objective).toBe(b.package.objective)
      const inPkg = asMap(b.package.choices)
      cuts.push({
        rule: `cut${cuts.length}`,
        coefs: problem.groups.map((g) =>
          g.options.map((o) => (inPkg.get(g.proposal) === o.variant ? -1 : inPkg.has(g.proposal) ? 0 : 1)),
        ),
        min: 1 - inPkg.size,
        scale: 1,
        given: { min: 1 },
      })
    }
    expect(a.core.entries.find((e) => e.proposal === "BC32")?.class).toBe("core")
  })

  it("the core index without a complete enumeration: the same classes, proven by re-solves", () => {
    const dir = join(import.meta.dirname, "..", "..", "..", "scenarios", "ofs-2025-26")
    const { proposals } = loadDataSet(dir)
    const base = baseOf(proposals, Rules.parse({ limits: { service: 100000, anlaeg: 87500 } }))
    const full = coreIndex(base, 79157, 0.02, { solves: 0 })
    const cut = coreIndex(base, 79157, 0.02, { solves: 0 }, { maxNodes: 50 })
    expect(full.index.complete).toBe(true)
    expect(cut.index.complete).toBe(false)
    expect(cut.index.entries.map((e) => e.class)).toEqual(full.index.entries.map((e) => e.class))
    expect(cut.index.entries.every((e) => e.share === null)).toBe(true)
    expect(full.index.entries.filter((e) => e.class === "core").length).toBeGreaterThan(3)
  })
})
