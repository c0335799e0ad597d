import type { FastifyInstance } from "fastify"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { buildApp } from "../../src/api/app.ts"
import { loadRound } from "../../src/app/round.ts"
import { BUILT_IN_ROUND_DIR } from "../../src/model/round.ts"
import { Rules } from "../../src/solver/rules.ts"
import { solve } from "../../src/solver/solve.ts"

/** The analyses through app.inject, responses checked against their schemas, figures against direct solves. */

let app: FastifyInstance
beforeAll(async () => {
  app = await buildApp({ threads: 1, validateResponses: true })
  await app.ready()
})
afterAll(() => app.close())

const { proposals } = loadRound(BUILT_IN_ROUND_DIR)
const DEFAULT = Rules.parse({ limits: { service: 100000, anlaeg: 87500 } })
const post = (url: string, payload?: unknown) =>
  app.inject({ method: "POST", url, ...(payload === undefined ? {} : { payload: payload as object }) })
/** A direct solve with the rules as written (the library's figures are checked against HiGHS in its own tests). */
const oracle = async (rules: Rules) => {
  const r = solve(proposals, rules)
  return r.status === "optimal" ? r.objective : null
}

describe("analysis routes", () => {
  it("POST /scenarios/:id/frontier: steps with a what-if, checked by direct solves at and below a step", async () => {
    const r = await post("/scenarios/ofs-2025-26/frontier", {
      pool: "service",
      from: 99000,
      to: 101000,
      rules: { limits: { anlaeg: 90000 } },
    })
    expect(r.statusCode).toBe(200)
    const body = r.json()
    expect(body.rules.limits.anlaeg).toBe(90000)
    const rules = { ...DEFAULT, limits: { ...DEFAULT.limits, anlaeg: 90000 } }
    const step = body.result.steps.at(-1)
    expect(await oracle({ ...rules, limits: { ...rules.limits, service: step.pool } })).toBe(step.objective)
    expect(await oracle({ ...rules, limits: { ...rules.limits, service: step.pool - 1 } })).toBeLessThan(
      step.objective,
    )
  })

  it("POST /scenarios/:id/explain explains one proposal; an unknown one is a 400 naming the field", async () => {
    const r = await post("/scenarios/ofs-2025-26/explain", { proposals: ["BC24"] })
    expect(r.statusCode).toBe(200)
    const [bc24] = r.json().result.options
    expect(bc24).toMatchObject({ proposal: "BC24", status: "ruledOut" })
    expect(bc24.text).toContain("tilbagebetalingstid")
    const bad = await post("/scenarios/ofs-2025-26/explain", { proposals: ["BC99"] })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().issues[0].path).toBe("body.proposals[0]")
  })

  it("POST /scenarios/:id/alternatives lists the three best in order", async () => {
    const r = await post("/scenarios/ofs-2025-26/alternatives", { k: 3 })
    expect(r.statusCode).toBe(200)
    expect(r.json().result.best.map((b: { package: { objective: number } }) => b.package.objective)).toEqual([
      79157, 79137, 79057,
    ])
  })

  it("POST /scenarios/:id/robustness is reproducible and refuses an unknown proposal's override", async () => {
    const a = await post("/scenarios/ofs-2025-26/robustness", { draws: 100, seed: 5 })
    const b = await post("/scenarios/ofs-2025-26/robustness", { draws: 100, seed: 5 })
    expect(a.statusCode).toBe(200)
    expect(a.json().result.realised).toEqual(b.json().result.realised)
    const bad = await post("/scenarios/ofs-2025-26/robustness", {
      draws: 10,
      uncertainty: { BC99: { min: 1, mode: 1, max: 1 } },
    })
    expect(bad.statusCode).toBe(400)
    const worse = await post("/scenarios/ofs-2025-26/robustness", { draws: 0 })
    expect(worse.statusCode).toBe(400)
    expect(worse.json().issues[0].path).toContain("draws")
  })

  it("a total frontier without both pools, or to below from, is a 400", async () => {
    const r = await post("/scenarios/ofs-2025-26/frontier", {
      pool: "total",
      rules: { limits: { anlaeg: null } },
    })
    expect(r.statusCode).toBe(400)
    expect(r.json().message).toContain("service and anlæg")
    const back = await post("/scenarios/ofs-2025-26/frontier", { from: 120000, to: 80000 })
    expect(back.statusCode).toBe(400)
  })

  it("an infeasible what-if is a 422, an unknown scenario a 404", async () => {
    const r = await post("/scenarios/ofs-2025-26/alternatives", { rules: { locks: [{ proposal: "BC24" }] } })
    expect(r.statusCode).toBe(422)
    expect((await post("/scenarios/nope/frontier", {})).statusCode).toBe(404)
  })

  it("the OpenAPI document has the four routes, each with an example and an optional body", async () => {
    const doc = (await app.inject({ method: "GET", url: "/openapi.json" })).json()
    for (const op of ["frontier", "explain", "alternatives", "robustness"]) {
      const path = doc.paths[`/scenarios/{id}/${op}`]?.post
      expect(path, op).toBeDefined()
      expect(path.requestBody.content["application/json"].example, op).toBeDefined()
      expect(path.requestBody.required, op).toBe(false)
    }
  })
})
