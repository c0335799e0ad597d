import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { loadDataSet } from "../../src/model/load.ts"
import { compile } from "../../src/solver/compile.ts"
import { ceil, floor, fromNumber, mul } from "../../src/solver/engine/rational.ts"
import { solveKnapsack } from "../../src/solver/engine/search.ts"
import { lower, resolve, toEngineResult, WhatIfError } from "../../src/solver/lower.ts"
import { Rules } from "../../src/solver/rules.ts"
import { solve } from "../../src/solver/solve.ts"
import { rng } from "../support/generate.ts"

const dir = join(import.meta.dirname, "..", "..", "scenarios", "ofs-2025-26")
const { proposals } = loadDataSet(dir)
const BASE = {
  limits: { service: 100000, anlaeg: 87500, perYear: [{ area: "service" as const, year: 2027, max: 60000 }] },
}

describe("the integer constraint of a limit", () => {
  it("is the largest integer bound the converted costs may reach (floor of a max, ceil of a min)", () => {
    const r = rng(5)
    for (let i = 0; i < 200; i++) {
      const service = r.int(0, 400_000)
      const min = r.int(0, 50_000)
      const p = compile(
        proposals,
        Rules.parse({
          limits: { service },
          committees: [{ committee: "Socialudvalget", measure: "poolCost", min }],
        }),
      )
      const c = p.constraints.find((x) => x.rule === "limit:service")
      const q = p.constraints.find((x) => x.rule === "quota:0:min")
      if (!c || !q) throw new Error("compiled rules missing")
      // max/scale ≤ limit < (max + 1)/scale, in exact arithmetic
      expect(BigInt(c.max ?? 0)).toBe(floor(mul(fromNumber(service), c.exactScale ?? fromNumber(c.scale))))
      expect(BigInt(q.min ?? 0)).toBe(ceil(mul(fromNumber(min), q.exactScale ?? fromNumber(q.scale))))
      expect(c.coefs.every((row) => row.every((x) => Number.isInteger(x)))).toBe(true)
    }
  })
})

describe("warm re-solve (lower once, resolve many)", () => {
  const rules = Rules.parse(BASE)
  const lowered = lower(compile(proposals, rules))
  const ids = proposals.map((p) => p.id)

  it("gives the optimum of a fresh solve() for 60 random what-ifs on the real data", () => {
    const r = rng(11)
    let checked = 0
    for (let i = 0; i < 60; i++) {
      const service = r.int(20_000, 200_000)
      const anlaeg = r.int(20_000, 150_000)
      const year = r.int(20_000, 90_000)
      const lock = r.chance(0.4) ? [{ proposal: r.pick(ids) }] : []
      const exclude = r.chance(0.4) ? [r.pick(ids)] : []
      const warm = resolve(lowered, {
        limits: {
          "limit:service": { max: service },
          "limit:anlaeg": { max: anlaeg },
          "limit:service:2027": { max: year },
        },
        lock,
        exclude,
      })
      const fresh = solve(
        proposals,
        Rules.parse({
          limits: { service, anlaeg, perYear: [{ area: "service", year: 2027, max: year }] },
          locks: lock,
          exclude: exclude.filter((x) => !lock.some((l) => l.proposal === x)),
        }),
      )
      const lockedAndExcluded = lock.some((l) => exclude.includes(l.proposal))
      if (lockedAndExcluded) expect(warm.status).toBe("infeasible")
      else {
        expect(warm.status, `what-if ${i}`).toBe(fresh.status)
        expect(warm.objective, `what-if ${i}`).toBe(fresh.status === "optimal" ? fresh.objective : null)
      }
      checked++
    }
    expect(checked).toBe(60)
  })

  it("changes values without compiling again", () => {
    const before = resolve(lowered, {})
    const chosen = before.choice?.findIndex((c) => c >= 0) ?? -1
    const g = lowered.problem.groups[chosen]
    if (!g) throw new Error("the base package is empty")
    const after = resolve(lowered, { values: { [`${g.proposal}:${g.options[0]?.variant}`]: -1 } })
    expect(after.choice?.[chosen]).not.toBe(0)
    expect(after.objective).toBeLessThanOrEqual(before.objective ?? 0)
  })

  it("names what it does not know", () => {
    expect(() => resolve(lowered, { limits: { "limit:combined": { max: 1 } } })).toThrow(WhatIfError)
    expect(() => resolve(lowered, { values: { "BC05:nope": 1 } })).toThrow(/BC05:nope/)
  })
})

describe("lowering", () => {
  it("gives the same knapsack from the kept groups' options as from a fresh copy of the data, whatever was lowered before", () => {
    const rules = Rules.parse(BASE)
    const first = lower(compile(proposals, rules)).knapsack
    const p0 = proposals[0]
    // Other shapes in between: other groups, other options, a locked group.
    for (const other of [
      Rules.parse({ ...BASE, exclude: [p0?.id ?? ""] }),
      Rules.parse({ ...BASE, locks: [{ proposal: p0?.id ?? "", variant: p0?.variants[0]?.id }] }),
      Rules.parse({ ...BASE, payback: { maxYears: 3, basis: "service", exempt: [] } }),
      Rules.parse({ ...BASE, objective: { kind: "cumulatedNetEffect", untilYear: 2028 } }),
    ]) {
      const kept = lower(compile(proposals, other))
      const fresh = lower(compile(structuredClone(proposals), other))
      expect(kept.knapsack).toEqual(fresh.knapsack)
      expect(kept.optionAt).toEqual(fresh.optionAt)
      expect(kept.firstOption).toEqual(fresh.firstOption)
    }
    expect(lower(compile(proposals, rules)).knapsack).toEqual(first)
    expect(lower(compile(structuredClone(proposals), rules)).knapsack).toEqual(first)
  })
})

describe("an engine's answer read back per group", () => {
  it("keeps every field of the knapsack result but the package, and maps the package to a choice per group", () => {
    const l = lower(compile(proposals, Rules.parse(BASE)))
    const r = solveKnapsack(l.knapsack)
    const e = toEngineResult(l, r)
    const { package: pkg, ...rest } = r
    expect(Object.keys(e).sort()).toEqual([...Object.keys(rest), "choice"].sort())
    for (const [k, v] of Object.entries(rest)) expect(e[k as keyof typeof e], k).toEqual(v)
    const taken = (pkg ?? []).map((k) => l.optionAt[k])
    e.choice?.forEach((o, g) => {
      expect(o, `group ${g}`).toBe(taken.find((t) => t?.group === g)?.option ?? -1)
    })
    expect(e.choice?.filter((o) => o >= 0).length).toBe(pkg?.length)
  })
})
