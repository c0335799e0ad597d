import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { loadRound } from "../../src/app/round.ts"
import { solveResultJson } from "../../src/solver/resultJson.ts"
import { Rules } from "../../src/solver/rules.ts"
import { solve } from "../../src/solver/solve.ts"

const dir = join(import.meta.dirname, "..", "..", "scenarios", "ofs-2025-26")
const { proposals } = loadRound(dir)
const LOCKABLE = ["BC05", "BC07", "BC08", "BC20", "BC26", "BC32", "BC34", "BC35", "BC38", "BC41"]

/** A small deterministic generator (the what-ifs must be the same on every run). */
const lcg = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
}

describe("the JSON text of a solve's answer", () => {
  it("is JSON.stringify's, character for character, over what-ifs that share chosen lines", () => {
    const rnd = lcg(7)
    const seen = new Set<string>()
    for (let i = 0; i < 150; i++) {
      const locks = [...new Set([0, 1].map(() => LOCKABLE[Math.floor(rnd() * LOCKABLE.length)] as string))]
      const rules = Rules.parse({
        // Pools from none at all (nothing fits: an empty package) to more than every proposal needs.
        limits: { service: Math.floor(rnd() * 160_000), anlaeg: Math.floor(rnd() * 140_000) },
        locks: locks.slice(0, Math.floor(rnd() * 3)).map((proposal) => ({ proposal })),
        ...(i % 3 === 0 ? { objective: { kind: "cumulatedNetEffect", untilYear: 2029 } } : {}),
      })
      const r = solve(proposals, rules)
      seen.add(r.status)
      // Twice: the second time every line's text comes from what the first one kept.
      expect(solveResultJson(r)).toBe(JSON.stringify(r))
      expect(solveResultJson(r)).toBe(JSON.stringify(r))
    }
    expect(seen).toContain("optimal")
    expect(seen).toContain("infeasible")
  })

  it("shares a chosen line between packages only while it is the same, and no one can change it", () => {
    const a = solve(proposals, Rules.parse({ limits: { service: 90_000, anlaeg: 80_000 } }))
    const b = solve(proposals, Rules.parse({ limits: { service: 91_000, anlaeg: 80_000 } }))
    if (!("package" in a) || !("package" in b)) throw new Error("expected packages")
    const line = a.package.chosen[0]
    expect(b.package.chosen).toContain(line)
    expect(Object.isFrozen(line)).toBe(true)
    expect(() => {
      ;(line as { value: number }).value = 1
    }).toThrow(TypeError)
  })
})
