import type { FastifyInstance } from "fastify"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { buildApp } from "../../src/api/app.ts"
import { generatedProposals } from "./generated.ts"
import { hardProblem } from "./hard.ts"

/** Every endpoint and every error class, through app.inject, with responses checked against their schemas. */

let app: FastifyInstance
beforeAll(async () => {
  app = await buildApp({ threads: 2, validateResponses: true })
  await app.ready()
})
afterAll(() => app.close())

/** The default scenario's optimum (1.000 kr. 2027 p/l, yearly saving at full phase-in). */
const DEFAULT_OPTIMUM = 79157
const DEFAULT_PACKAGE = "BC05 BC07 BC08 BC20 BC26 BC28 BC32 BC34 BC35 BC37 BC38 BC41".split(" ")
/** BC10 in scenario 2 (the half pilot) locked; the rest chosen optimally. */
const BC10_SCENARIO_2_OPTIMUM = 74563

/** A JSON POST; no payload sends `{}` (a solving POST must say it is JSON). */
const post = (url: string, payload: unknown = {}) =>
  app.inject({ method: "POST", url, payload: payload as object })
const get = (url: string) => app.inject({ method: "GET", url })

type Issue = { path: string; message: string }
const issuesOf = (body: string): Issue[] => JSON.parse(body).issues ?? []
const paths = (body: string) => issuesOf(body).map((i) => i.path)

describe("service", () => {
  it("GET /health says what it serves", async () => {
    const r = await get("/health")
    expect(r.statusCode).toBe(200)
    expect(r.json()).toEqual({
      status: "ok",
      proposals: 30,
      scenarios: 5,
      defaultScenario: "ofs-2025-26",
      solverThreads: 2,
      solves: { running: 0, queued: 0 },
    })
  })

  it("GET /openapi.json documents every endpoint from the zod schemas", async () => {
    const r = await get("/openapi.json")
    expect(r.statusCode).toBe(200)
    const doc = r.json()
    expect(doc.openapi).toMatch(/^3\./)
    for (const p of [
      "/health",
      "/proposals",
      "/proposals/details",
      "/proposals/{id}",
      "/audit",
      "/scenarios",
      "/scenarios/{id}",
      "/scenarios/{id}/solve",
      "/solve",
      "/evaluate",
      "/compare",
    ])
      expect(Object.keys(doc.paths)).toContain(p)
    const body = doc.paths["/scenarios/{id}/solve"].post.requestBody.content["application/json"].schema
    expect(JSON.stringify(body)).toContain("#/components/schemas/RulesPatchInput")
    expect(JSON.stringify(doc.components.schemas.RulesPatchInput)).toContain("maxYears")
    expect(doc.paths["/solve"].post.responses["200"]).toBeDefined()
  })

  it("serves the browsable docs at /docs", async () => {
    const r = await get("/docs/")
    expect(r.statusCode).toBe(200)
    expect(r.headers["content-type"]).toMatch(/html/)
  })

  it("answers an unknown route with 404 naming the endpoints", async () => {
    const r = await get("/nothing-here")
    expect(r.statusCode).toBe(404)
    expect(r.json().message).toContain("POST /scenarios/:id/solve")
  })

  it("gives every answer a request id, and keeps the caller's", async () => {
    const mine = await app.inject({
      method: "GET",
      url: "/health",
      headers: { "x-request-id": "negotiation-7" },
    })
    expect(mine.headers["x-request-id"]).toBe("negotiation-7")
    const bad = await get("/proposals/BC99")
    expect(bad.json().requestId).toBe(bad.headers["x-request-id"])
  })
})

describe("proposals and audit", () => {
  it("GET /proposals lists all 30 with figures in both price levels", async () => {
    const r = await get("/proposals")
    expect(r.statusCode).toBe(200)
    const body = r.json()
    expect(body.count).toBe(30)
    const bc05 = body.proposals.find((p: { id: string }) => p.id === "BC05")
    expect(bc05.poolPriceLevel).toBe(2026)
    expect(bc05.variants[0].tablePriceLevel).toBe(2027)
    // The overview prints 2.062 service and 978 anlæg (2026 p/l) and -1.798 at full phase-in.
    expect(Math.round(bc05.variants[0].poolCostPool.service)).toBe(2062)
    expect(Math.round(bc05.variants[0].poolCostPool.anlaeg)).toBe(978)
    expect(bc05.variants[0].permanentEffect).toBe(-1798)
  })

  it("GET /proposals/details gives every proposal as GET /proposals/{id} does, in one answer, filtered alike", async () => {
    const all = await get("/proposals/details")
    expect(all.statusCode).toBe(200)
    const body = all.json()
    const ids = body.proposals.map((d: { proposal: { id: string } }) => d.proposal.id)
    expect(body.count).toBe(30)
    const listed = (await get("/proposals")).json().proposals.map((p: { id: string }) => p.id)
    expect(ids).toEqual(listed)
    for (const id of ["BC05", "BC10", "BC43"])
      expect(body.proposals[ids.indexOf(id)]).toEqual((await get(`/proposals/${id}`)).json())
    const social = (await get("/proposals/details?committee=social")).json()
    expect(social.proposals.map((d: { proposal: { id: string } }) => d.proposal.id)).toEqual([
      "BC31",
      "BC32",
      "BC34",
      "BC35",
    ])
    const bad = await get("/proposals/details?committee=nowhere")
    expect(bad.statusCode).toBe(400)
    expect(bad.json().issues[0].path).toBe("querystring.committee")
  })

  it("filters by committee (any part of the name, any case) and by area", async () => {
    const social = (await get("/proposals?committee=SOCIAL")).json()
    expect(social.proposals.map((p: { id: string }) => p.id)).toEqual(["BC31", "BC32", "BC34", "BC35"])
    const anlaeg = (await get("/proposals?area=anlaeg")).json()
    expect(anlaeg.count).toBeGreaterThan(0)
    expect(anlaeg.count).toBeLessThan(30)
    for (const p of anlaeg.proposals)
      expect(p.variants.some((v: { poolCostPool: { anlaeg: number } }) => v.poolCostPool.anlaeg > 0)).toBe(
        true,
      )
    const both = (await get("/proposals?committee=social&area=anlaeg")).json()
    expect(both.count).toBe(0)
  })

  it("answers a bad filter with 400 naming the field and what exists", async () => {
    const r = await get("/proposals?committee=finans")
    expect(r.statusCode).toBe(400)
    expect(paths(r.body)).toEqual(["querystring.committee"])
    expect(r.body).toContain("Socialudvalget")
    const area = await get("/proposals?area=drift")
    expect(area.statusCode).toBe(400)
    expect(paths(area.body)).toEqual(["querystring.area"])
    const unknown = await get("/proposals?udvalg=x")
    expect(unknown.statusCode).toBe(400)
    expect(paths(unknown.body)).toEqual(["querystring"])
  })

  it("GET /proposals/:id gives variants, lines and derived figures per variant", async () => {
    const r = await get("/proposals/BC10")
    expect(r.statusCode).toBe(200)
    const body = r.json()
    expect(body.proposal.variants.map((v: { id: string }) => v.id)).toEqual(["base", "scenario-2"])
    const base = body.figures.find((f: { variant: string }) => f.variant === "base")
    // Tabel 1: implementation costs 10.181 + 19.956 + 8.775 (2027 p/l); the overview: 37.852 (2026 p/l).
    expect(base.poolCostTable.service.byYear).toMatchObject({ "2026": 10181, "2027": 19956, "2028": 8775 })
    expect(base.poolCostTable.service.total).toBe(38912)
    expect(Math.round(base.poolCostPool.service.total)).toBe(37852)
    expect(base.poolCostPool.service.byYear["2026"]).toBeCloseTo(10181 / 1.028, 6)
    expect(base.permanentEffect).toBe(-5643)
    expect(base.paybackYears.total).toBe(9)
    const s2 = body.figures.find((f: { variant: string }) => f.variant === "scenario-2")
    expect(s2.paybackYears.total).toBe(9)
    expect(body.findings.length).toBeGreaterThan(0)
    expect(body.proposal.anomalies.length).toBeGreaterThan(0)
  })

  it("finds a proposal whatever the case of its id", async () => {
    expect((await get("/proposals/bc05")).statusCode).toBe(200)
  })

  it("answers an unknown proposal with 404 naming those that exist", async () => {
    const r = await get("/proposals/BC99")
    expect(r.statusCode).toBe(404)
    expect(r.json().message).toContain('no proposal "BC99"')
    expect(r.json().message).toContain("BC05, BC06")
  })

  it("GET /audit lists each finding and counts them", async () => {
    const r = await get("/audit")
    expect(r.statusCode).toBe(200)
    const { findings, summary } = r.json()
    expect(summary.findings).toBe(findings.length)
    expect(summary.recorded + summary.unexplained).toBe(summary.findings)
    expect(findings.length).toBeGreaterThan(10)
    expect(findings[0]).toHaveProperty("printed")
    expect(findings[0]).toHaveProperty("computed")
  })
})

describe("scenarios", () => {
  it("GET /scenarios lists the five with the default", async () => {
    const r = (await get("/scenarios")).json()
    expect(r.defaultScenario).toBe("ofs-2025-26")
    expect(r.scenarios.map((s: { id: string }) => s.id)).toEqual([
      "all-requested",
      "bc10-full",
      "bc10-scenario-2",
      "ofs-2025-26",
      "payback-waived",
    ])
  })

  it("GET /scenarios/:id gives its rules, sources and assumptions", async () => {
    const r = await get("/scenarios/bc10-scenario-2")
    expect(r.statusCode).toBe(200)
    const s = r.json()
    expect(s.rules.locks).toEqual([{ proposal: "BC10", variant: "scenario-2" }])
    expect(s.rules.limits).toMatchObject({ service: 100000, anlaeg: 87500 })
    expect(s.compareTo).toBe("ofs-2025-26")
    expect(s.sources.length).toBeGreaterThan(0)
  })

  it("answers an unknown scenario with 404 naming those that exist", async () => {
    for (const r of [await get("/scenarios/ofs-2024"), await post("/scenarios/ofs-2024/solve", {})]) {
      expect(r.statusCode).toBe(404)
      expect(r.json().message).toContain("bc10-scenario-2")
    }
  })
})

describe("POST /scenarios/:id/solve", () => {
  it("solves the default scenario: the proven optimum and its package", async () => {
    const r = await post("/scenarios/ofs-2025-26/solve")
    expect(r.statusCode).toBe(200)
    const body = r.json()
    expect(body.unit).toBe("1.000 kr.")
    expect(body.result.status).toBe("optimal")
    expect(body.result.objective).toBe(DEFAULT_OPTIMUM)
    expect(body.result.gap).toBe(0)
    const pkg = body.result.package
    expect(pkg.chosen.map((c: { proposal: string }) => c.proposal)).toEqual(DEFAULT_PACKAGE)
    expect(pkg.permanentEffect).toBe(-DEFAULT_OPTIMUM)
    expect(pkg.poolPriceLevel).toBe(2026)
    expect(pkg.tablePriceLevel).toBe(2027)
    expect(pkg.totals.pool.service).toBeLessThanOrEqual(100000)
    expect(pkg.totals.pool.anlaeg).toBeLessThanOrEqual(87500)
    expect(pkg.poolLeft.service).toBeCloseTo(100000 - pkg.totals.pool.service, 6)
    expect(pkg.rules.some((u: { binding: boolean }) => u.binding)).toBe(true)
    expect(body.compareTo).toBeUndefined()
  })

  it("gives the price of a political choice against the scenario's compareTo", async () => {
    const body = (await post("/scenarios/bc10-scenario-2/solve", {})).json()
    expect(body.result.status).toBe("optimal")
    expect(body.result.objective).toBe(BC10_SCENARIO_2_OPTIMUM)
    expect(body.result.package.chosen).toContainEqual(
      expect.objectContaining({ proposal: "BC10", variant: "scenario-2" }),
    )
    expect(body.compareTo).toEqual({
      scenario: { id: "ofs-2025-26", title: "OFS 2025-26: standardpuljer" },
      status: "optimal",
      objective: DEFAULT_OPTIMUM,
      difference: BC10_SCENARIO_2_OPTIMUM - DEFAULT_OPTIMUM,
      overridesApplied: false,
    })
    expect(body.compareTo.difference).toBe(-4594)
  })

  it("deep-merges a what-if over the scenario's rules", async () => {
    const body = (
      await post("/scenarios/bc10-scenario-2/solve", { rules: { limits: { service: 120000 } }, engine: "lp" })
    ).json()
    expect(body.rules.limits).toEqual({ service: 120000, anlaeg: 87500, perYear: [] })
    expect(body.rules.locks).toEqual([{ proposal: "BC10", variant: "scenario-2" }])
    expect(body.rules.payback.exempt).toEqual(["BC10"])
    expect(body.result.engine).toBe("lp")
    expect(body.result.objective).toBeGreaterThanOrEqual(BC10_SCENARIO_2_OPTIMUM)
    expect(body.compareTo.overridesApplied).toBe(true)
    expect(body.compareTo.objective).toBeGreaterThanOrEqual(DEFAULT_OPTIMUM)
  })

  it("null removes a limit; payback.maxYears null switches the rule off", async () => {
    const body = (
      await post("/scenarios/ofs-2025-26/solve", {
        rules: { limits: { anlaeg: null }, payback: { maxYears: null } },
      })
    ).json()
    expect(body.rules.limits).toEqual({ service: 100000, perYear: [] })
    expect(body.rules.payback).toEqual({ maxYears: null, basis: "total", exempt: [] })
    expect(body.result.objective).toBeGreaterThan(DEFAULT_OPTIMUM)
    expect(body.result.package.poolLeft.anlaeg).toBeUndefined()
  })

  it("answers rules that cannot all hold with the conflict in words", async () => {
    const r = await post("/scenarios/ofs-2025-26/solve", { rules: { locks: [{ proposal: "BC10" }] } })
    expect(r.statusCode).toBe(200)
    const result = r.json().result
    expect(result.status).toBe("infeasible")
    expect(result.conflict.map((c: { id: string }) => c.id).sort()).toEqual(["lock:BC10", "payback"])
    expect(result.conflict.map((c: { text: string }) => c.text).join(" ")).toContain("tilbagebetalingstid")
  })

  it("answers bad values with 400 and the path of each bad field", async () => {
    const r = await post("/scenarios/ofs-2025-26/solve", {
      rules: { limits: { service: -1, anlaeg: "87.500" }, payback: { basis: "cash" } },
      timeLimitMs: 999_999,
      engine: "simplex",
    })
    expect(r.statusCode).toBe(400)
    expect(paths(r.body).sort()).toEqual([
      "body.engine",
      "body.rules.limits.anlaeg",
      "body.rules.limits.service",
      "body.rules.payback.basis",
      "body.timeLimitMs",
    ])
    for (const i of issuesOf(r.body)) expect(i.message.length).toBeGreaterThan(5)
  })

  it("names a misspelt field", async () => {
    const r = await post("/scenarios/ofs-2025-26/solve", { rules: { limit: { service: 1 } } })
    expect(r.statusCode).toBe(400)
    expect(issuesOf(r.body)[0]).toEqual({ path: "body.rules", message: expect.stringContaining("limit") })
  })

  it("answers rules that name unknown proposals or variants with 400 and their paths", async () => {
    const r = await post("/scenarios/ofs-2025-26/solve", {
      rules: {
        locks: [{ proposal: "BC77" }, { proposal: "BC10", variant: "scenario-3" }],
        payback: { exempt: ["BC78"] },
      },
    })
    expect(r.statusCode).toBe(400)
    const issues = issuesOf(r.body)
    expect(issues.map((i) => i.path).sort()).toEqual([
      "body.rules.locks[0].proposal",
      "body.rules.locks[1].variant",
      "body.rules.payback.exempt[0]",
    ])
    expect(issues.find((i) => i.path === "body.rules.locks[1].variant")?.message).toContain(
      "base, scenario-2",
    )
  })

  it("answers malformed JSON or a body that is not an object with 400, another media type with 415", async () => {
    const bad = await app.inject({
      method: "POST",
      url: "/scenarios/ofs-2025-26/solve",
      headers: { "content-type": "application/json" },
      payload: '{"rules": {',
    })
    expect(bad.statusCode).toBe(400)
    const xml = await app.inject({
      method: "POST",
      url: "/scenarios/ofs-2025-26/solve",
      headers: { "content-type": "application/xml" },
      payload: "<solve/>",
    })
    expect(xml.statusCode).toBe(415)
    const text = await app.inject({
      method: "POST",
      url: "/scenarios/ofs-2025-26/solve",
      headers: { "content-type": "text/plain" },
      payload: "solve it",
    })
    // text/plain is what a page on another site can send without asking first: refused unread.
    expect(text.statusCode).toBe(415)
    const bare = await app.inject({ method: "POST", url: "/scenarios/ofs-2025-26/solve" })
    expect(bare.statusCode).toBe(415)
    expect(bare.json().message).toContain("application/json")
  })
})

describe("POST /solve", () => {
  const LIMITS = { limits: { service: 100000, anlaeg: 87500 } }
  /**
   * 100 made-up proposals of three variants under whole-period and per-year limits: the exact
   * solver finds good packages at once but cannot prove the optimum within seconds.
   */
  const { rules: hardRules, proposals: noneBuiltIn } = hardProblem(0)
  const HARD = { rules: hardRules, proposals: noneBuiltIn }

  it("solves a whole problem over the built-in proposals", async () => {
    const body = (await post("/solve", { rules: LIMITS })).json()
    expect(body.proposals).toHaveLength(30)
    expect(body.result.objective).toBe(DEFAULT_OPTIMUM)
  })

  it("solves over the built-in proposals named and new ones sent inline", async () => {
    const [extra] = generatedProposals(1, 1)
    const inline = { ...extra, id: "BC99", title: "Nyt forslag" }
    const body = (
      await post("/solve", { rules: LIMITS, proposals: ["BC05", "BC07"], inlineProposals: [inline] })
    ).json()
    expect(body.proposals).toEqual(["BC05", "BC07", "BC99"])
    expect(body.result.status).toBe("optimal")
    expect(body.result.package.chosen.map((c: { proposal: string }) => c.proposal)).toEqual([
      "BC05",
      "BC07",
      "BC99",
    ])
  })

  it("validates inline proposals like the data files, naming the bad field", async () => {
    const [p] = generatedProposals(1, 1)
    const bad = structuredClone(p) as unknown as { variants: { lines: { values: number[] }[] }[] }
    bad.variants[0]?.lines[0]?.values.pop()
    const r = await post("/solve", { rules: LIMITS, proposals: [], inlineProposals: [bad, { id: "X1" }] })
    expect(r.statusCode).toBe(400)
    const ps = paths(r.body)
    expect(ps).toContain("body.inlineProposals[0].variants[0].lines[0].values")
    expect(ps).toContain("body.inlineProposals[1].id")
    expect(ps).toContain("body.inlineProposals[1].title")
  })

  it("answers unknown and clashing proposal ids with 400", async () => {
    const [p] = generatedProposals(1, 1)
    const r = await post("/solve", {
      rules: LIMITS,
      proposals: ["BC05", "BC98"],
      inlineProposals: [{ ...p, id: "BC05" }],
    })
    expect(r.statusCode).toBe(400)
    expect(paths(r.body)).toEqual(["body.proposals[1]", "body.inlineProposals[0].id"])
    expect(r.body).toContain("built-in: BC05, BC06")
    const none = await post("/solve", { rules: LIMITS, proposals: [] })
    expect(none.statusCode).toBe(400)
    expect(paths(none.body)).toEqual(["body.proposals"])
  })

  it("answers rules over unknown committees with 400 and the path", async () => {
    const r = await post("/solve", {
      rules: { ...LIMITS, committees: [{ committee: "Finansudvalget", measure: "count", max: 2 }] },
    })
    expect(r.statusCode).toBe(400)
    expect(paths(r.body)).toEqual(["body.rules.committees[0].committee"])
  })

  it("past its time limit answers with the best package found and its gap", async () => {
    const r = await post("/solve", { ...HARD, inlineProposals: generatedProposals(100, 3), timeLimitMs: 5 })
    expect(r.statusCode).toBe(200)
    const result = r.json().result
    expect(result.status).toBe("feasible")
    expect(result.gap).toBeGreaterThan(0)
    expect(result.bound).toBeGreaterThan(result.objective)
    expect(result.package.chosen.length).toBeGreaterThan(0)
    expect(result.package.totals.pool.service).toBeLessThanOrEqual(150000)
    expect(result.package.totals.pool.anlaeg).toBeLessThanOrEqual(100000)
    expect(result.package.totals.pool.byYear["2026"].service).toBeLessThanOrEqual(60000)
  })

  it("keeps answering other requests while a long solve runs", async () => {
    const done: string[] = []
    const long = post("/solve", {
      ...HARD,
      inlineProposals: generatedProposals(100, 3, 11),
      timeLimitMs: 1500,
    }).then((r) => {
      done.push("long")
      return r
    })
    const health = get("/health").then((r) => {
      done.push("health")
      return r
    })
    const small = post("/scenarios/ofs-2025-26/solve").then((r) => {
      done.push("small")
      return r
    })
    const [h, s] = await Promise.all([health, small])
    expect(h.statusCode).toBe(200)
    expect(s.json().result.objective).toBe(DEFAULT_OPTIMUM)
    expect(done).not.toContain("long")
    // The engine proves this instance in about 1,4 s on a quiet machine, so it may end either way.
    expect(["optimal", "feasible"]).toContain((await long).json().result.status)
  })

  it("answers a body over the limit with 413", async () => {
    const huge = { rules: LIMITS, inlineProposals: [{ id: "BC99", title: "x".repeat(1.2 * 1024 * 1024) }] }
    const r = await post("/solve", huge)
    expect(r.statusCode).toBe(413)
    expect(r.json().message).toContain("262144 bytes for POST /solve")
  })
})

describe("POST /evaluate", () => {
  it("says why a package breaks the rules, its totals and its distance to the optimum", async () => {
    const r = await post("/evaluate", {
      package: [{ proposal: "BC05" }, { proposal: "BC10", variant: "scenario-2" }],
    })
    expect(r.statusCode).toBe(200)
    const body = r.json()
    expect(body.scenario.id).toBe("ofs-2025-26")
    expect(body.feasible).toBe(false)
    expect(body.broken.map((b: { rule: string }) => b.rule)).toEqual(["payback"])
    expect(body.broken[0].text).toContain("BC10")
    // BC05 saves 1.798 and BC10 in scenario 2 2.821 a year at full phase-in.
    expect(body.package.objective).toBe(1798 + 2821)
    expect(body.againstOptimum).toBe(1798 + 2821 - DEFAULT_OPTIMUM)
    expect(body.optimum.objective).toBe(DEFAULT_OPTIMUM)
    expect(body.completion.status).toBe("optimal")
    expect(body.completionAdds.length).toBeGreaterThan(0)
    expect(body.completionAdds.map((a: { proposal: string }) => a.proposal)).not.toContain("BC05")
  })

  it("finds the scenario's own optimum feasible and at distance 0", async () => {
    const chosen = (await post("/scenarios/bc10-scenario-2/solve")).json().result.package.chosen
    const body = (
      await post("/evaluate", {
        scenario: "bc10-scenario-2",
        package: chosen.map((c: { proposal: string; variant: string }) => ({
          proposal: c.proposal,
          variant: c.variant,
        })),
      })
    ).json()
    expect(body.feasible).toBe(true)
    expect(body.broken).toEqual([])
    expect(body.package.objective).toBe(BC10_SCENARIO_2_OPTIMUM)
    expect(body.againstOptimum).toBe(0)
    expect(body.completionAdds).toEqual([])
  })

  it("applies rule overrides: a bigger pool lets a package through", async () => {
    const tight = (
      await post("/evaluate", { package: [{ proposal: "BC34" }], rules: { limits: { service: 50000 } } })
    ).json()
    expect(tight.feasible).toBe(false)
    expect(tight.broken.map((b: { rule: string }) => b.rule)).toEqual(["limit:service"])
  })

  it("answers unknown proposals and variants in the package with 400 and their paths", async () => {
    const r = await post("/evaluate", {
      package: [{ proposal: "BC05", variant: "scenario-9" }, { proposal: "BC97" }],
    })
    expect(r.statusCode).toBe(400)
    expect(paths(r.body).sort()).toEqual(["body.package[0].variant", "body.package[1].proposal"])
    const shape = await post("/evaluate", { package: [{ proposal: "5" }] })
    expect(paths(shape.body)).toEqual(["body.package[0].proposal"])
  })

  it("answers an unknown scenario with 404", async () => {
    const r = await post("/evaluate", { scenario: "ofs-2030", package: [] })
    expect(r.statusCode).toBe(404)
    expect(r.json().message).toContain("ofs-2025-26")
  })
})

describe("POST /compare", () => {
  it("compares two scenarios: which proposals differ, in effect and pool use", async () => {
    const r = await post("/compare", {
      items: [{ scenario: "ofs-2025-26" }, { scenario: "bc10-scenario-2" }],
    })
    expect(r.statusCode).toBe(200)
    const c = r.json().comparison
    expect(c.labels).toEqual(["ofs-2025-26", "bc10-scenario-2"])
    expect(c.objective).toEqual([DEFAULT_OPTIMUM, BC10_SCENARIO_2_OPTIMUM])
    expect(c.objectiveDelta).toEqual([0, -4594])
    expect(c.differences).toContainEqual({ proposal: "BC10", variants: [null, "scenario-2"] })
    expect(c.differences).toContainEqual({ proposal: "BC34", variants: ["base", null] })
    expect(c.poolDelta[1].service).toBeCloseTo(c.pool[1].service - c.pool[0].service, 6)
    expect(Object.keys(c.poolByYear[0])).toEqual(["2026", "2027", "2028", "2029", "2030", "2031"])
  })

  it("compares a hand-picked package with a scenario's optimum, with overrides", async () => {
    const r = await post("/compare", {
      items: [
        { label: "forhandlet", package: [{ proposal: "BC34" }, { proposal: "BC32" }] },
        { scenario: "ofs-2025-26", rules: { limits: { service: 90000 } } },
      ],
    })
    expect(r.statusCode).toBe(200)
    const body = r.json()
    expect(body.items[0]).toMatchObject({ label: "forhandlet", kind: "package", feasible: true })
    expect(body.items[1]).toMatchObject({ label: "ofs-2025-26", kind: "optimum", status: "optimal" })
    expect(body.comparison.objective[0]).toBe(21050 + 12363)
  })

  it("answers bad items with 400 and their paths", async () => {
    const one = await post("/compare", { items: [{ scenario: "ofs-2025-26" }] })
    expect(one.statusCode).toBe(400)
    expect(paths(one.body)).toEqual(["body.items"])
    const empty = await post("/compare", { items: [{}, { scenario: "ofs-2025-26" }] })
    expect(paths(empty.body)).toEqual(["body.items[0]"])
    const rules = await post("/compare", {
      items: [
        { scenario: "ofs-2025-26" },
        { scenario: "ofs-2025-26", rules: { locks: [{ proposal: "BC66" }] } },
      ],
    })
    expect(rules.statusCode).toBe(400)
    expect(paths(rules.body)).toEqual(["body.items[1].rules.locks[0].proposal"])
  })

  it("answers 422 when an item has no package, saying why", async () => {
    const r = await post("/compare", {
      items: [
        { scenario: "ofs-2025-26" },
        { scenario: "ofs-2025-26", rules: { locks: [{ proposal: "BC24" }] } },
      ],
    })
    expect(r.statusCode).toBe(422)
    expect(r.json().message).toContain("item 1")
    expect(r.json().message).toContain("BC24 skal finansieres")
  })
})
